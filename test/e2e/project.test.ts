/**
 * End to end, the built CLI in temp projects: paths from the project root (add from a subfolder, backslashes),
 * `init`, the provenance record, `info --json`, and a plain `verify` that proves modules in three folders.
 * The steps of the first suite build on each other, in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { STRICT_FLAGS, createTempProject, snapshotTree, type TempProject } from '../helpers/temp-project.js';
import { runCli } from '../helpers/run-cli.js';

const longest = (text: string): number => Math.max(0, ...text.split('\n').map((l) => [...l].length));
/** Output wraps at 80 columns: messages are compared as one line. */
const flat = (text: string): string => text.replace(/\n\s*/g, ' ');

interface Profile {
  root: string;
  packageManager: string;
  compiler: { source: string; version: string; via: string };
  tsconfig: { path: string | null; chain: string[]; module: string; moduleResolution: string; moduleFormat: string };
  formatter: { name: string; source: string };
  linter: { name: string } | null;
  testRunner: { name: string; version: string | null; declared: boolean; source: string };
  testNaming: string;
  importStyle: string;
  targetDir: string;
  modules: { pattern: string; file: string; status: string }[];
}

interface Config {
  $schema: string;
  targetDir?: string;
  testNaming?: string;
  formatter?: string;
  modules?: { pattern: string; name: string; files: { role: string; path: string; sha256: string }[] }[];
}

describe('a project worked on from a subfolder', () => {
  let project: TempProject;
  let server: string;
  const config = (): Config => JSON.parse(readFileSync(join(project.dir, 'concurrency-kit.json'), 'utf8')) as Config;

  beforeAll(() => {
    project = createTempProject({
      'package.json': { name: 'app', version: '1.0.0', private: true, type: 'module', devDependencies: { vitest: '^4.1.0' } },
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
      'eslint.config.js': 'export default [];\n',
      'tsconfig.base.json': { compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], ...STRICT_FLAGS } },
      'tsconfig.json': { extends: './tsconfig.base.json', include: ['src'] },
      'src/server/index.ts': 'export const port = 3000;\n',
    });
    server = join(project.dir, 'src', 'server');
  });
  afterAll(() => project.cleanup());

  it('init writes concurrency-kit.json from its flags, with a $schema', async () => {
    const result = await runCli(['init', '--yes', '--json', '--target-dir', 'src/limits', '--test-naming', 'test', '--formatter', 'prettier'], project.dir);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ path: 'concurrency-kit.json', action: 'created' });
    expect(config()).toEqual({
      $schema: expect.stringMatching(/schema\/concurrency-kit\.schema\.json$/) as unknown,
      targetDir: 'src/limits',
      testNaming: 'test',
      formatter: 'prettier',
    });
    const again = await runCli(['init', '--yes', '--formatter', 'biome'], project.dir);
    expect(again.exitCode).toBe(2);
    expect(config().formatter).toBe('prettier');
  });

  it('add from a subfolder writes to targetDir from the root, prints paths from where it ran, and records the files', async () => {
    const result = await runCli(['add', 'rate-limiter', '--yes', '--no-bench', '--json'], server);
    expect(result.exitCode).toBe(0);
    // The kit's own ESLint is visible from these temp projects; what it reports is another test's concern.
    const { lint: _lint, ...doc } = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(doc).toEqual({
      pattern: 'rate-limiter',
      files: [
        { path: '../limits/rate-limiter.ts', action: 'created' },
        { path: '../limits/rate-limiter.test.ts', action: 'created' },
      ],
      record: { path: '../../concurrency-kit.json', action: 'updated' },
    });
    expect(existsSync(join(project.dir, 'src', 'limits', 'rate-limiter.ts'))).toBe(true);
    expect(existsSync(join(server, 'src'))).toBe(false);
    const record = config().modules?.[0];
    expect(record).toMatchObject({ pattern: 'rate-limiter', name: 'TokenBucket' });
    expect(record?.files.map((f) => [f.role, f.path])).toEqual([
      ['module', 'src/limits/rate-limiter.ts'],
      ['test', 'src/limits/rate-limiter.test.ts'],
    ]);
    const { createHash } = await import('node:crypto');
    expect(record?.files[0]?.sha256).toBe(createHash('sha256').update(readFileSync(join(project.dir, 'src', 'limits', 'rate-limiter.ts'))).digest('hex'));
    expect(config().targetDir).toBe('src/limits');
  });

  it('an explicit [dir] stays relative to the current directory; the human output says where, within 80 columns', async () => {
    const result = await runCli(['add', 'worker-pool', '../concurrency', '--yes'], server);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Wrote worker-pool \(WorkerPool\) for an ES module project, nodenext resolution:$/m);
    expect(result.stdout).toMatch(/^ {2}created {2}\.\.\/concurrency\/worker-pool\.ts {2}\(\d+ lines, \d+ bytes\)$/m);
    expect(result.stdout).toMatch(/^ {2}updated {2}\.\.\/\.\.\/concurrency-kit\.json/m);
    expect(result.stdout).toMatch(/^Next: npx concurrency-kit verify \.\.\/concurrency\/worker-pool\.ts$/m);
    expect(longest(result.stdout)).toBeLessThanOrEqual(80);
    expect(existsSync(join(project.dir, 'src', 'concurrency', 'worker-pool.bench.ts'))).toBe(true);
  });

  it('backslashes in [dir] are folder separators', async () => {
    const result = await runCli(['add', 'sharded-cache', 'src\\cache', '--yes', '--no-bench', '--json'], project.dir);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).files[0]).toEqual({ path: 'src/cache/sharded-cache.ts', action: 'created' });
    expect(readdirSync(project.dir).filter((e) => e.includes('\\'))).toEqual([]);
    expect(existsSync(join(project.dir, 'src', 'cache', 'sharded-cache.test.ts'))).toBe(true);
  });

  it('init --force changes the settings and keeps the record', async () => {
    const result = await runCli(['init', '--yes', '--force', '--formatter', 'biome'], project.dir);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Updated concurrency-kit\.json/);
    expect(config().formatter).toBe('biome');
    expect(config().targetDir).toBe('src/limits');
    expect(config().modules?.map((m) => m.pattern)).toEqual(['rate-limiter', 'worker-pool', 'sharded-cache']);
  });

  it('info --json describes the project, and which recorded modules are current, edited or missing', async () => {
    // sharded-cache leaves the record (it stays findable by its banner); a recorded module is deleted; one is edited.
    const edited = config();
    const gone = { ...edited.modules![0]!, name: 'Gone', files: [{ role: 'module', path: 'src/gone/rate-limiter.ts', sha256: 'e'.repeat(64) }] };
    edited.modules = [...edited.modules!.filter((m) => m.pattern !== 'sharded-cache'), gone];
    writeFileSync(join(project.dir, 'concurrency-kit.json'), `${JSON.stringify(edited, null, 2)}\n`);
    appendFileSync(join(project.dir, 'src', 'concurrency', 'worker-pool.bench.ts'), '// tuned by hand\n');

    const result = await runCli(['info', '--json'], server);
    expect(result.exitCode).toBe(0);
    const profile = JSON.parse(result.stdout) as Profile;
    expect(profile).toEqual({
      root: project.dir,
      packageManager: 'pnpm',
      // The TypeScript 5.9 that resolves from the project (the kit's install, linked) is the one its `tsc` would run.
      compiler: { source: 'project', version: expect.stringMatching(/^5\.9\./) as unknown, via: 'api' },
      tsconfig: { path: 'tsconfig.json', chain: ['tsconfig.json', 'tsconfig.base.json'], module: 'nodenext', moduleResolution: 'nodenext', moduleFormat: 'esm' },
      // concurrency-kit.json names biome, which the project has not installed: the kit's prettier stands in (add warns).
      formatter: { name: 'prettier', source: 'kit' },
      linter: { name: 'eslint' },
      testRunner: { name: 'vitest', version: expect.stringMatching(/^4\./) as unknown, declared: true, source: 'project' },
      testNaming: 'test',
      importStyle: 'js',
      targetDir: 'src/limits',
      modules: [
        { pattern: 'rate-limiter', file: 'src/limits/rate-limiter.ts', status: 'current' },
        { pattern: 'worker-pool', file: 'src/concurrency/worker-pool.ts', status: 'edited' },
        { pattern: 'rate-limiter', file: 'src/gone/rate-limiter.ts', status: 'missing' },
      ],
    });
    const human = await runCli(['info'], server);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^tsconfig +tsconfig\.json\n +extends tsconfig\.base\.json$/m);
    expect(human.stdout).toMatch(/src\/concurrency\/worker-pool\.ts +worker-pool +edited/);
    expect(longest(human.stdout)).toBeLessThanOrEqual(80);
  });

  it('verify with no paths proves the modules in all three folders (recorded or found by banner), not copies in dist', async () => {
    mkdirSync(join(project.dir, 'dist'), { recursive: true });
    copyFileSync(join(project.dir, 'src', 'concurrency', 'worker-pool.ts'), join(project.dir, 'dist', 'worker-pool.ts'));
    const result = await runCli(['verify'], server, { timeoutMs: 300_000 });
    expect(result.stderr).toMatch(/running 3 test file\(s\) for 3 module\(s\)/);
    expect(result.exitCode).toBe(0);
    for (const header of [/^rate-limiter {2}\.\.\/limits\/rate-limiter\.ts {2}ok$/m, /^worker-pool {2}\.\.\/concurrency\/worker-pool\.ts {2}ok$/m, /^sharded-cache {2}\.\.\/cache\/sharded-cache\.ts {2}ok$/m]) {
      expect(result.stdout).toMatch(header);
    }
    expect(flat(result.stdout)).toMatch(/note: \.\.\/gone\/rate-limiter\.ts \(rate-limiter\) is recorded in concurrency-kit\.json but no longer exists/);
    expect(flat(result.stdout)).toMatch(/verified: 3 module\(s\)/);
    expect(longest(result.stdout)).toBeLessThanOrEqual(80);
  });
});

describe('names and hints', () => {
  let project: TempProject;
  beforeAll(() => {
    project = createTempProject({
      'my app/package.json': { name: 'app', version: '1.0.0', private: true, type: 'module' },
      'my app/tsconfig.json': { compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], ...STRICT_FLAGS }, include: ['src'] },
    });
  });
  afterAll(() => project.cleanup());

  it('--name takes a Unicode identifier; the Next hint keeps --cwd, shell-quoted', async () => {
    const result = await runCli(['add', 'worker-pool', 'src\\win\\pool', '--yes', '--no-test', '--no-bench', '--name', 'Ünïcode', '--cwd', 'my app'], project.dir);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.exitCode).toBe(0);
    const code = readFileSync(join(project.dir, 'my app', 'src', 'win', 'pool', 'worker-pool.ts'), 'utf8');
    expect(code).toMatch(/^export class Ünïcode/m);
    expect(result.stdout).toMatch(/^Next: npx concurrency-kit verify src\/win\/pool\/worker-pool\.ts --cwd 'my app'$/m);
    expect(JSON.parse(readFileSync(join(project.dir, 'my app', 'concurrency-kit.json'), 'utf8')).modules[0].name).toBe('Ünïcode');
  });

  it('a --name the module already uses is refused in plain words, writing nothing', async () => {
    const before = snapshotTree(project.dir);
    const result = await runCli(['add', 'rate-limiter', '--yes', '--name', 'KeyedRateLimiter', '--cwd', 'my app'], project.dir);
    expect(result.exitCode).toBe(2);
    expect(flat(result.stderr)).toMatch(/--name "KeyedRateLimiter" cannot be used for rate-limiter: the generated code would then declare KeyedRateLimiterOptions/);
    expect(result.stderr).not.toMatch(/TS2300/);
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('list fits 80 columns', async () => {
    const result = await runCli(['list'], project.dir);
    expect(result.exitCode).toBe(0);
    expect(longest(result.stdout)).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(/options \(--set key=value\):/);
  });
});
