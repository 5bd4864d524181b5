import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig, serializeConfig } from '../../src/config/config.js';
import { moduleStatus, recordFileFor, withModuleRecorded } from '../../src/config/record.js';
import { applyFiles, type RenderedFile } from '../../src/generate/apply.js';
import { FileExistsError } from '../../src/errors.js';
import { createTempProject, snapshotTree, type TempProject } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const file = (dir: string, name: string, action: 'create' | 'overwrite', contents = `// ${name}\n`): RenderedFile => ({
  role: 'module',
  path: join(dir, 'out', name),
  displayPath: `out/${name}`,
  action,
  contents,
});

describe('applying files', () => {
  it('creates the directory and every file', async () => {
    project = createTempProject({}, { linkModules: false });
    const result = await applyFiles([file(project.dir, 'a.ts', 'create'), file(project.dir, 'b.ts', 'create')], { dryRun: false });
    expect(result.map((r) => r.action)).toEqual(['created', 'created']);
    expect(readFileSync(join(project.dir, 'out', 'b.ts'), 'utf8')).toBe('// b.ts\n');
    expect(Object.keys(snapshotTree(project.dir)).sort()).toEqual(['out/', 'out/a.ts', 'out/b.ts']);
  });

  it('writes nothing on a dry run', async () => {
    project = createTempProject({}, { linkModules: false });
    const result = await applyFiles([file(project.dir, 'a.ts', 'create')], { dryRun: true });
    expect(result[0]!.action).toBe('would-create');
    expect(snapshotTree(project.dir)).toEqual({});
  });

  it('is all-or-nothing: a file that appeared meanwhile rolls back the others and the new directory', async () => {
    project = createTempProject({}, { linkModules: false });
    const files = [file(project.dir, 'a.ts', 'create'), file(project.dir, 'b.ts', 'create')];
    mkdirSync(join(project.dir, 'out'));
    writeFileSync(join(project.dir, 'out', 'b.ts'), 'mine\n');
    const before = snapshotTree(project.dir);
    await expect(applyFiles(files, { dryRun: false })).rejects.toThrow(FileExistsError);
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('replaces files planned as overwrite, keeping no backups', async () => {
    project = createTempProject({ 'out/a.ts': 'old\n' }, { linkModules: false });
    const result = await applyFiles([file(project.dir, 'a.ts', 'overwrite', 'new\n')], { dryRun: false });
    expect(result[0]!.action).toBe('overwritten');
    expect(readFileSync(join(project.dir, 'out', 'a.ts'), 'utf8')).toBe('new\n');
    expect(Object.keys(snapshotTree(project.dir)).sort()).toEqual(['out/', 'out/a.ts']);
    expect(existsSync(join(project.dir, 'out', 'a.ts.bak'))).toBe(false);
  });
});

describe('applying files with their provenance record', () => {
  const moduleText = '// generated module\n';
  const recordInput = (dir: string, loaded: ReturnType<typeof readConfig>) => ({
    root: dir,
    loaded,
    cwd: dir,
    pattern: 'worker-pool',
    name: 'WorkerPool',
    kitVersion: '0.1.0',
    options: { concurrency: 4 },
    files: [{ role: 'module' as const, path: join(dir, 'out', 'worker-pool.ts'), contents: moduleText }],
  });

  it('creates concurrency-kit.json with the files, their options, kit version and hashes as written', async () => {
    project = createTempProject({ 'package.json': { name: 'p' } }, { linkModules: false });
    const record = recordFileFor(recordInput(project.dir, null));
    expect(record).not.toBeNull();
    const result = await applyFiles([file(project.dir, 'worker-pool.ts', 'create', moduleText), record!], { dryRun: false });
    expect(result.map((r) => [r.displayPath, r.action])).toEqual([
      ['out/worker-pool.ts', 'created'],
      ['concurrency-kit.json', 'created'],
    ]);
    const config = readConfig(project.dir)!.config;
    expect(config.modules).toEqual([
      {
        pattern: 'worker-pool',
        name: 'WorkerPool',
        kitVersion: '0.1.0',
        options: { concurrency: 4 },
        files: [{ role: 'module', path: 'out/worker-pool.ts', sha256: createHash('sha256').update(moduleText).digest('hex') }],
      },
    ]);
    expect(config.$schema).toMatch(/concurrency-kit\.schema\.json$/);
    expect(moduleStatus(project.dir, config.modules![0]!)).toBe('current');
  });

  it('keeps the settings and other records, replacing the record of the same files', async () => {
    const other = { pattern: 'rate-limiter', name: 'TokenBucket', kitVersion: '0.0.9', options: {}, files: [{ role: 'module' as const, path: 'lib/rate-limiter.ts', sha256: 'b'.repeat(64) }] };
    const stale = { ...other, pattern: 'worker-pool', files: [{ role: 'module' as const, path: 'out/worker-pool.ts', sha256: 'c'.repeat(64) }] };
    project = createTempProject({ 'concurrency-kit.json': serializeConfig({ targetDir: 'out', testNaming: 'spec', modules: [other, stale] }) }, { linkModules: false });
    const record = recordFileFor(recordInput(project.dir, readConfig(project.dir)))!;
    await applyFiles([file(project.dir, 'worker-pool.ts', 'create', moduleText), record], { dryRun: false });
    const config = readConfig(project.dir)!.config;
    expect(config.targetDir).toBe('out');
    expect(config.testNaming).toBe('spec');
    expect(config.modules?.map((m) => [m.pattern, m.kitVersion])).toEqual([
      ['rate-limiter', '0.0.9'],
      ['worker-pool', '0.1.0'],
    ]);
  });

  it('writes nothing when concurrency-kit.json changed after it was read', async () => {
    project = createTempProject({ 'concurrency-kit.json': serializeConfig({ targetDir: 'out' }) }, { linkModules: false });
    const record = recordFileFor(recordInput(project.dir, readConfig(project.dir)))!;
    writeFileSync(join(project.dir, 'concurrency-kit.json'), serializeConfig({ targetDir: 'elsewhere' }));
    const before = snapshotTree(project.dir);
    await expect(applyFiles([file(project.dir, 'worker-pool.ts', 'create', moduleText), record], { dryRun: false })).rejects.toThrow(
      /concurrency-kit\.json changed while the command ran; nothing was written/,
    );
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('rolls back the generated files when the record cannot be written', async () => {
    project = createTempProject({}, { linkModules: false });
    const record = recordFileFor(recordInput(project.dir, null))!;
    mkdirSync(join(project.dir, 'concurrency-kit.json')); // a folder where the record should go: linking fails
    const before = snapshotTree(project.dir);
    await expect(applyFiles([file(project.dir, 'worker-pool.ts', 'create', moduleText), record], { dryRun: false })).rejects.toThrow();
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('records nothing for files outside the root', () => {
    project = createTempProject({}, { linkModules: false });
    const input = recordInput(join(project.dir, 'sub'), null);
    expect(recordFileFor({ ...input, files: [{ role: 'module', path: join(project.dir, 'x.ts'), contents: '' }] })).toBeNull();
  });
});

describe('the status of recorded modules', () => {
  it('is current, edited (module or sibling changed, sibling gone) or missing', () => {
    project = createTempProject({ 'src/m.ts': 'module\n', 'src/m.test.ts': 'test\n' }, { linkModules: false });
    const hash = (t: string): string => createHash('sha256').update(t).digest('hex');
    const record = {
      pattern: 'worker-pool',
      name: 'P',
      kitVersion: '0.1.0',
      options: {},
      files: [
        { role: 'module' as const, path: 'src/m.ts', sha256: hash('module\n') },
        { role: 'test' as const, path: 'src/m.test.ts', sha256: hash('test\n') },
      ],
    };
    expect(moduleStatus(project.dir, record)).toBe('current');
    writeFileSync(join(project.dir, 'src', 'm.test.ts'), 'test edited\n');
    expect(moduleStatus(project.dir, record)).toBe('edited');
    rmSync(join(project.dir, 'src', 'm.test.ts'));
    expect(moduleStatus(project.dir, record)).toBe('edited');
    rmSync(join(project.dir, 'src', 'm.ts'));
    expect(moduleStatus(project.dir, record)).toBe('missing');
    expect(withModuleRecorded({ modules: [record] }, { ...record, name: 'Q' }).modules?.map((m) => m.name)).toEqual(['Q']);
  });
});
