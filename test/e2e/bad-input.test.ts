/**
 * Bad input: each case gives a clear message, a non-zero exit, and leaves the project byte-for-byte unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTempProject, esmProjectTree, snapshotTree, type TempProject } from '../helpers/temp-project.js';
import { runCli } from '../helpers/run-cli.js';
import { listPatterns } from '../../src/patterns/registry.js';

/** The registered pattern ids as the CLI lists them. */
const IDS = listPatterns().map((m) => m.id).join(', ');

/** Output wraps at 80 columns: messages are compared as one line. */
const flat = (text: string): string => text.replace(/\n\s*/g, ' ');

let project: TempProject;
beforeEach(() => {
  project = createTempProject(esmProjectTree());
});
afterEach(() => project.cleanup());

const cases: { title: string; args: string[]; message: RegExp; setup?: (dir: string) => void }[] = [
  { title: 'an unknown pattern', args: ['add', 'thread-poool', '--yes'], message: new RegExp(`Unknown pattern "thread-poool"\\. Available patterns: ${IDS}`) },
  { title: '--name 123abc', args: ['add', 'worker-pool', '--yes', '--name', '123abc'], message: /--name "123abc" is not a valid TypeScript identifier/ },
  { title: 'a reserved word as --name', args: ['add', 'worker-pool', '--yes', '--name', 'class'], message: /--name "class" is a reserved word/ },
  { title: 'a strict-mode reserved word as --name', args: ['add', 'worker-pool', '--yes', '--name', 'implements'], message: /reserved word/ },
  { title: 'a --name shadowing a global', args: ['add', 'worker-pool', '--yes', '--name', 'Promise'], message: /would shadow the global "Promise"/ },
  {
    title: "a --name taken by the module's own exports",
    args: ['add', 'worker-pool', '--yes', '--name', 'QueueFullError'],
    message: /--name "QueueFullError" cannot be used for worker-pool: the generated code would then declare QueueFullError twice\. Names the worker-pool module already uses: .*ClosedError/,
  },
  { title: 'an invalid concurrency-kit.json', args: ['add', 'worker-pool', '--yes'], message: /concurrency-kit\.json does not match its schema: targetdir is not a known field/, setup: (dir) => writeFileSync(join(dir, 'concurrency-kit.json'), '{ "targetdir": "src" }\n') },
  { title: 'init over an existing concurrency-kit.json without --force', args: ['init', '--yes'], message: /concurrency-kit\.json exists already\. Pass --force/, setup: (dir) => writeFileSync(join(dir, 'concurrency-kit.json'), '{}\n') },
  { title: 'init with an unknown --test-naming', args: ['init', '--yes', '--test-naming', 'tests'], message: /argument 'tests' is invalid\. Allowed choices are test, spec/ },
  { title: 'init with a target folder outside the project', args: ['init', '--yes', '--target-dir', '../elsewhere'], message: /The target folder "\.\.\/elsewhere" must be a folder inside the project/ },
  { title: 'an unknown --set key', args: ['add', 'worker-pool', '--yes', '--set', 'threads=4'], message: /Unknown option "threads" for pattern "worker-pool"\. Known options: concurrency/ },
  { title: 'an ill-typed --set value', args: ['add', 'worker-pool', '--yes', '--set', 'concurrency=four'], message: /Option "concurrency" of pattern "worker-pool" accepts an integer from 1 to 1024; received "four"/ },
  { title: 'an out-of-range --set value', args: ['add', 'worker-pool', '--yes', '--set', 'concurrency=0'], message: /accepts an integer from 1 to 1024; received "0"/ },
  { title: 'an enum --set value outside its choices', args: ['add', 'worker-pool', '--yes', '--set', 'overflow=drop'], message: /accepts one of "reject", "wait"; received "drop"/ },
  { title: 'a malformed --set', args: ['add', 'worker-pool', '--yes', '--set', 'concurrency'], message: /--set expects key=value/ },
  { title: 'no pattern without a TTY', args: ['add'], message: new RegExp(`Missing <pattern> \\(and no prompt without a TTY or with --yes\\)\\. Available patterns: ${IDS}`) },
  { title: 'an unknown flag', args: ['add', 'worker-pool', '--frobnicate'], message: /unknown option '--frobnicate'/ },
  { title: 'an unknown command', args: ['generate', 'worker-pool'], message: /unknown command 'generate'/ },
  { title: 'a --cwd that does not exist', args: ['add', 'worker-pool', '--yes', '--cwd', 'no/such/dir'], message: /Working directory .* does not exist/ },
  {
    title: 'an existing file without --overwrite',
    args: ['add', 'worker-pool', '--yes'],
    message: /Refusing to overwrite existing file: src\/concurrency\/worker-pool\.ts\. Pass --overwrite/,
    setup: (dir) => {
      mkdirSync(join(dir, 'src', 'concurrency'), { recursive: true });
      writeFileSync(join(dir, 'src', 'concurrency', 'worker-pool.ts'), 'export const mine = 1;\n');
    },
  },
  {
    title: 'a broken tsconfig',
    args: ['add', 'worker-pool', '--yes'],
    message: /tsconfig\.json/,
    setup: (dir) => writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "module": '),
  },
];

describe('bad input leaves the project unchanged', () => {
  for (const c of cases) {
    it(`${c.title}: clear message, exit 2`, async () => {
      c.setup?.(project.dir);
      const before = snapshotTree(project.dir);
      const result = await runCli(c.args, project.dir);
      expect(result.timedOut).toBe(false);
      expect(flat(result.stderr)).toMatch(c.message);
      expect(result.stdout).toBe('');
      expect(result.exitCode).toBe(2);
      expect(snapshotTree(project.dir)).toEqual(before);
    });
  }

  it('under --json, the error is the one JSON document on stdout', async () => {
    const before = snapshotTree(project.dir);
    const result = await runCli(['add', 'worker-pool', '--yes', '--json', '--set', 'concurrency=0'], project.dir);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: { code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/Option "concurrency"/) as unknown },
    });
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('verify with no generated modules exits 2 and says how to add one', async () => {
    mkdirSync(join(project.dir, 'src', 'concurrency'), { recursive: true });
    const result = await runCli(['verify'], project.dir);
    expect(result.exitCode).toBe(2);
    expect(flat(result.stderr)).toMatch(/No modules generated by concurrency-kit found in the project at .* \(recorded in concurrency-kit\.json, or carrying the kit's banner\)/);
  });
});

describe('projects without Node types', () => {
  it('refuses code that cannot type-check (no AbortSignal types), naming the setting and its fix, writing nothing', async () => {
    const bare = createTempProject(
      { 'package.json': { name: 'bare', type: 'module' }, 'tsconfig.json': { compilerOptions: { strict: true, lib: ['ES2022'], module: 'NodeNext', types: [] } } },
      { linkModules: false },
    );
    try {
      const before = snapshotTree(bare.dir);
      const result = await runCli(['add', 'worker-pool', '--yes'], bare.dir);
      expect(result.exitCode).toBe(2);
      expect(flat(result.stderr)).toMatch(/cannot compile under the project's settings; nothing was written/);
      expect(flat(result.stderr)).toContain('Fix: install @types/node (npm i -D @types/node), then add "types": ["node"] to compilerOptions in tsconfig.json');
      expect(snapshotTree(bare.dir)).toEqual(before);
    } finally {
      bare.cleanup();
    }
  });

  it('adapts to a DOM-lib project whose lib lacks Symbol.asyncDispose; without vitest declared, writes the module only and says how to get the tests', async () => {
    const dom = createTempProject(
      { 'package.json': { name: 'dom', type: 'module' }, 'tsconfig.json': { compilerOptions: { strict: true, lib: ['ES2022', 'DOM'], module: 'NodeNext', types: [] } } },
      { linkModules: false },
    );
    try {
      const result = await runCli(['add', 'worker-pool', '--yes'], dom.dir);
      expect(result.exitCode).toBe(0);
      expect(flat(result.stderr)).toMatch(/warning: the project does not declare vitest in package\.json, so only the module was written/);
      expect(flat(result.stderr)).toContain('Install with `npm install --save-dev vitest@^');
      const { existsSync, readFileSync } = await import('node:fs');
      expect(existsSync(join(dom.dir, 'src', 'concurrency', 'worker-pool.test.ts'))).toBe(false);
      const code = readFileSync(join(dom.dir, 'src', 'concurrency', 'worker-pool.ts'), 'utf8');
      expect(code).not.toContain('[Symbol.asyncDispose]()');
      expect(code).toMatch(/Object\.defineProperty\(WorkerPool\.prototype, asyncDispose/);
    } finally {
      dom.cleanup();
    }
  });
});

describe('add behaviours', () => {
  it('never waits for input when stdin is not a TTY (no pattern and no --yes)', async () => {
    const result = await runCli(['add', 'worker-pool'], project.dir, { timeoutMs: 60_000 });
    expect(result.timedOut).toBe(false);
    expect(result.exitCode).toBe(0);
  });

  it('Ctrl-C (SIGINT) during generation exits 130 and writes nothing', async () => {
    const before = snapshotTree(project.dir);
    const { execa } = await import('execa');
    const { CLI } = await import('../helpers/temp-project.js');
    const child = execa(process.execPath, [CLI, 'add', 'worker-pool', '--yes'], { cwd: project.dir, reject: false, env: { CI: 'true' }, timeout: 60_000 });
    // Interrupt as soon as generation has started (its first progress line), whatever the machine's speed.
    child.stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('reading the project')) child.kill('SIGINT');
    });
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toMatch(/Interrupted; nothing was written/);
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('--dry-run prints the plan and a summary and writes nothing', async () => {
    const before = snapshotTree(project.dir);
    const result = await runCli(['add', 'sharded-cache', '--yes', '--dry-run'], project.dir);
    expect(result.exitCode).toBe(0);
    expect(flat(result.stdout)).toMatch(/would-create\s+src\/concurrency\/sharded-cache\.ts/);
    expect(flat(result.stdout)).toMatch(/exports: .*class ShardedCache/);
    expect(flat(result.stdout)).toMatch(/nothing was written/);
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('--dry-run --json reports would-create actions', async () => {
    const result = await runCli(['add', 'rate-limiter', 'lib/limits', '--yes', '--dry-run', '--json', '--no-bench'], project.dir);
    expect(JSON.parse(result.stdout)).toEqual({
      pattern: 'rate-limiter',
      files: [
        { path: 'lib/limits/rate-limiter.ts', action: 'would-create' },
        { path: 'lib/limits/rate-limiter.test.ts', action: 'would-create' },
      ],
      record: { path: 'concurrency-kit.json', action: 'would-create' },
    });
  });

  it('--overwrite replaces existing files; --name and --set shape the code', async () => {
    expect((await runCli(['add', 'worker-pool', '--yes', '--no-bench'], project.dir)).exitCode).toBe(0);
    const again = await runCli(['add', 'worker-pool', '--yes', '--no-bench'], project.dir);
    expect(again.exitCode).toBe(2);
    const result = await runCli(['add', 'worker-pool', '--yes', '--no-bench', '--overwrite', '--json', '--name', 'JobPool', '--set', 'concurrency=8'], project.dir);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).files).toEqual([
      { path: 'src/concurrency/worker-pool.ts', action: 'overwritten' },
      { path: 'src/concurrency/worker-pool.test.ts', action: 'overwritten' },
    ]);
    const { readFileSync } = await import('node:fs');
    const code = readFileSync(join(project.dir, 'src', 'concurrency', 'worker-pool.ts'), 'utf8');
    expect(code).toMatch(/export class JobPool/);
    expect(code).toMatch(/concurrency: 8/);
  });

  it('honours the project prettier config', async () => {
    writeFileSync(join(project.dir, '.prettierrc.json'), JSON.stringify({ singleQuote: false, semi: false, tabWidth: 4 }));
    const result = await runCli(['add', 'worker-pool', '--yes', '--no-test', '--no-bench'], project.dir);
    expect(result.exitCode).toBe(0);
    const { readFileSync } = await import('node:fs');
    const code = readFileSync(join(project.dir, 'src', 'concurrency', 'worker-pool.ts'), 'utf8');
    // tabWidth 4, no semicolons, double quotes, as the project's .prettierrc says.
    expect(code).toMatch(/\n {4}override readonly name = "QueueFullError"\n/);
    expect(code).not.toMatch(/^\s*(const|let|return) [^\n]*;$/m);
  });

  it('a prettier failure is a warning: the files are written unformatted and add succeeds', async () => {
    writeFileSync(join(project.dir, '.prettierrc.json'), '{ broken');
    const result = await runCli(['add', 'rate-limiter', '--yes', '--no-bench'], project.dir);
    expect(result.exitCode).toBe(0);
    expect(flat(result.stderr)).toMatch(/warning: prettier could not format .*rate-limiter\.ts; it is written unformatted/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(project.dir, 'src', 'concurrency', 'rate-limiter.ts'))).toBe(true);
  });

  it("verify runs the generated tests under its own config, whatever the project's vitest include says", async () => {
    writeFileSync(join(project.dir, 'vitest.config.mjs'), "export default { test: { include: ['tests/**/*.test.ts'] } };\n");
    expect((await runCli(['add', 'rate-limiter', '--yes', '--no-bench'], project.dir)).exitCode).toBe(0);
    const result = await runCli(['verify', '--json'], project.dir, { timeoutMs: 180_000 });
    const report = JSON.parse(result.stdout) as { ok: boolean; notes: string[]; modules: { tests: { passed: number } }[] };
    expect(report.ok).toBe(true);
    expect(report.modules[0]!.tests.passed).toBeGreaterThan(5);
    expect(report.notes).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it("verify runs the kit's own vitest when the project has none", async () => {
    expect((await runCli(['add', 'rate-limiter', '--yes', '--no-bench'], project.dir)).exitCode).toBe(0);
    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(project.dir, 'node_modules'));
    const result = await runCli(['verify', '--json'], project.dir, { timeoutMs: 180_000 });
    const report = JSON.parse(result.stdout) as { ok: boolean; runner: { source: string }; modules: { tests: { passed: number } }[] };
    expect(report.runner.source).toBe('kit');
    expect(report.ok).toBe(true);
    expect(report.modules[0]!.tests.passed).toBeGreaterThan(5);
    expect(result.exitCode).toBe(0);
  });

  it('verify stops a test run that never finishes and leaves no vitest process behind', async () => {
    expect((await runCli(['add', 'worker-pool', '--yes', '--no-bench'], project.dir)).exitCode).toBe(0);
    const testFile = join(project.dir, 'src', 'concurrency', 'worker-pool.test.ts');
    const { appendFileSync } = await import('node:fs');
    appendFileSync(testFile, "\nimport { it as spinIt } from 'vitest';\nspinIt('spins forever', () => { for (;;) { /* hang */ } });\n");
    const result = await runCli(['verify', '--timeout', '15'], project.dir, { timeoutMs: 90_000 });
    expect(result.exitCode).toBe(1);
    expect(flat(result.stdout)).toMatch(/vitest did not finish within 15 s and was stopped/);
    // vitest's fork workers run with the project as working directory: none may survive the run.
    const { readdirSync, readlinkSync } = await import('node:fs');
    const survivors = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readlinkSync(`/proc/${pid}/cwd`).startsWith(project.dir);
        } catch {
          return false;
        }
      });
    expect(survivors).toEqual([]);
  });

  it('list --json describes every pattern and its options', async () => {
    const result = await runCli(['list', '--json'], project.dir);
    expect(result.exitCode).toBe(0);
    const list = JSON.parse(result.stdout) as { id: string; description: string; options: { name: string; type: string; default: unknown; description: string }[] }[];
    expect(list.map((p) => p.id)).toEqual(listPatterns().map((m) => m.id));
    for (const p of list) {
      expect(p.description.length).toBeGreaterThan(10);
      for (const o of p.options) expect(Object.keys(o)).toEqual(expect.arrayContaining(['name', 'type', 'default', 'description']));
    }
  });

  it('--help and --version exit 0', async () => {
    expect((await runCli(['--help'], project.dir)).exitCode).toBe(0);
    expect((await runCli(['add', '--help'], project.dir)).stdout).toMatch(/--overwrite/);
    const version = await runCli(['--version'], project.dir);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(version.exitCode).toBe(0);
  });
});
