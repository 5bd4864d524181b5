import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { applyFiles, type RenderedFile } from '../../src/generate/apply.js';
import { FileExistsError } from '../../src/errors.js';
import { createTempProject, snapshotTree, type TempProject } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

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
