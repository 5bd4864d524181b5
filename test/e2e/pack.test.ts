/**
 * The published shape: `npm pack`, installed into a fresh `npm init -y` project with TypeScript, vitest and a strict
 * NodeNext tsconfig, gives a working `npx concurrency-kit`. Installs come from the npm cache that `npm ci` filled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO, STRICT_FLAGS, snapshotTree } from '../helpers/temp-project.js';
import { listPatterns } from '../../src/patterns/registry.js';
import { lintPaths } from '../../src/agents/lint.js';

let work: string;
let app: string;
const npm = (args: string[], cwd: string, timeout = 240_000) =>
  execa('npm', args, { cwd, reject: false, timeout, env: { CI: 'true', NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false' } });
const npx = (args: string[]) => execa('npx', ['--no-install', ...args], { cwd: app, reject: false, timeout: 240_000, env: { CI: 'true', NO_COLOR: '1' } });

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ck-pack-'));
  const packed = await npm(['pack', '--pack-destination', work, '--json'], REPO);
  expect(packed.exitCode, String(packed.stderr)).toBe(0);
  app = join(work, 'app');
  await execa('mkdir', [app]);
  expect((await npm(['init', '-y'], app)).exitCode).toBe(0);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
  const installed = await npm(['install', '--prefer-offline', '--no-fund', '--no-audit', '-D', join(work, tarball), 'typescript@~5.9.3', '@types/node@^20', 'vitest@~4.1'], app, 400_000);
  expect(installed.exitCode, String(installed.stderr)).toBe(0);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', ...STRICT_FLAGS }, include: ['src'] }, null, 2),
  );
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed tarball', () => {
  it('contains the built CLI, templates and agents but no sources or tests', async () => {
    const result = await npm(['pack', '--dry-run', '--json'], REPO);
    const files = (JSON.parse(String(result.stdout)) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'package.json', 'README.md', 'templates/worker-pool/manifest.json', 'templates/_partials/banner.hbs']));
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f) || f.includes('/evals/') || f.endsWith('.map'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['agents/concurrency-reviewer.md', 'skills/concurrency-kit/SKILL.md', 'skills/concurrency-kit/references/patterns.md']));
  });

  it('npx concurrency-kit list --json lists the patterns', async () => {
    const result = await npx(['concurrency-kit', 'list', '--json']);
    expect(result.exitCode).toBe(0);
    expect((JSON.parse(String(result.stdout)) as { id: string }[]).map((p) => p.id)).toEqual(listPatterns().map((m) => m.id));
  });

  it('exports concurrency-kit/leaks (runtime and types) and its vitest setup file concurrency-kit/leaks/setup', async () => {
    const probe = [
      "const leaks = await import('concurrency-kit/leaks');",
      "const fns = ['createLeakDetector', 'expectNoLeaks', 'installLeakHooks'].map((name) => typeof leaks[name]);",
      "console.log(JSON.stringify({ fns, code: new leaks.LeakError([]).code, setup: import.meta.resolve('concurrency-kit/leaks/setup') }));",
    ].join('\n');
    const result = await execa(process.execPath, ['--input-type=module', '-e', probe], { cwd: app, reject: false });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const out = JSON.parse(String(result.stdout)) as { fns: string[]; code: string; setup: string };
    expect(out).toEqual({ fns: ['function', 'function', 'function'], code: 'ERR_LEAK', setup: expect.stringMatching(/node_modules\/concurrency-kit\/dist\/leaks\/setup\.js$/) });
    writeFileSync(
      join(app, 'leaks-types.ts'),
      "import { expectNoLeaks, type Leak } from 'concurrency-kit/leaks';\nexport const kinds: Promise<Leak['kind'][]> = expectNoLeaks(() => ['timer']);\n",
    );
    const tsc = await npx(['tsc', '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--typeRoots', join(app, 'node_modules', '@types'), join(app, 'leaks-types.ts')]);
    expect(String(tsc.stdout)).toBe('');
    expect(tsc.exitCode).toBe(0);
  });

  it('npx concurrency-kit agents install --target all --yes writes every format, each passing agents lint; a re-run changes nothing; an edit is kept and named', async () => {
    const dir = join(app, 'agents-e2e');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{ "name": "agents-e2e", "private": true }\n');
    const run = (args: string[]) => execa(join(app, 'node_modules', '.bin', 'concurrency-kit'), args, { cwd: dir, reject: false, env: { CI: 'true', NO_COLOR: '1' } });
    const first = await run(['agents', 'install', '--target', 'all', '--yes']);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    const written = Object.keys(snapshotTree(dir));
    for (const f of ['.claude/agents/concurrency-specialist.md', '.claude/skills/concurrency-kit/SKILL.md', '.agents/skills/concurrency-kit/SKILL.md', 'AGENTS.md', '.cursor/rules/concurrency-kit.mdc', '.github/instructions/concurrency-kit.instructions.md', '.github/agents/concurrency-reviewer.agent.md']) {
      expect(written).toContain(f);
    }
    expect(lintPaths([], dir).findings).toEqual([]);
    const before = snapshotTree(dir);
    expect((await run(['agents', 'install', '--target', 'all', '--yes'])).exitCode).toBe(0);
    expect(snapshotTree(dir)).toEqual(before);
    writeFileSync(join(dir, '.cursor/rules/concurrency-kit.mdc'), 'edited by hand\n', { flag: 'a' });
    const third = await run(['agents', 'install', '--target', 'all', '--yes']);
    expect(third.exitCode).toBe(0);
    expect(String(third.stderr).replace(/\n\s*/g, ' ')).toContain('kept 1 file as they are: .cursor/rules/concurrency-kit.mdc');
  });

  it("setupFiles: ['concurrency-kit/leaks/setup'] fails the test that leaks and passes the one that cleans up", async () => {
    const dir = join(app, 'leaks-e2e');
    mkdirSync(dir);
    writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.mjs'], setupFiles: ['concurrency-kit/leaks/setup'] } };\n");
    writeFileSync(
      join(dir, 'interval.test.mjs'),
      [
        "import { it } from 'vitest';",
        'const timers = [];',
        "it('leaks an interval', () => { timers.push(setInterval(() => {}, 1000).unref()); });",
        "it('clears its interval', () => { clearInterval(setInterval(() => {}, 1000)); });",
        '',
      ].join('\n'),
    );
    const result = await npx(['vitest', 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')]);
    const output = String(result.stdout) + String(result.stderr);
    expect(result.exitCode, output).toBe(1);
    expect(output).toMatch(/LeakError: 1 leak found after the test/);
    expect(output).toContain('[timer] setInterval(…, 1000 ms), unref\'d, created during the test is still active');
    expect(output).toMatch(/1 failed \| 1 passed/);
  });

  it('add worker-pool --yes, then tsc --noEmit and verify pass; the same add again changes nothing', async () => {
    const added = await npx(['concurrency-kit', 'add', 'worker-pool', '--yes']);
    expect(added.exitCode, String(added.stderr)).toBe(0);
    const tsc = await npx(['tsc', '--noEmit', '-p', '.']);
    expect(String(tsc.stdout)).toBe('');
    expect(tsc.exitCode).toBe(0);
    const verified = await npx(['concurrency-kit', 'verify']);
    expect(verified.exitCode, String(verified.stdout)).toBe(0);
    const before = snapshotTree(join(app, 'src'));
    const again = await npx(['concurrency-kit', 'add', 'worker-pool', '--yes']);
    expect(again.exitCode).toBe(2);
    expect(String(again.stderr)).toMatch(/Refusing to overwrite/);
    expect(snapshotTree(join(app, 'src'))).toEqual(before);
  });

  it("the installed kit's runBench measures the added module (its driver loads from node_modules)", async () => {
    const script = join(app, 'bench-check.mjs');
    writeFileSync(
      script,
      [
        "import { runBench } from 'concurrency-kit';",
        "import { join } from 'node:path';",
        "const dir = join(process.cwd(), 'src', 'concurrency');",
        "const module = { pattern: 'worker-pool', version: '0', file: join(dir, 'worker-pool.ts'), testFile: null, benchFile: join(dir, 'worker-pool.bench.ts') };",
        'const budget = { throughputOpsPerSec: 1, p99Ms: 60000, ratePerSec: 500, durationMs: 200, heapGrowthBytes: 1e9 };',
        'const report = await runBench(module, budget, { projectRoot: process.cwd(), warmupMs: 50, throughputMs: 100, loadAttempts: 1 });',
        'console.log(JSON.stringify(report));',
      ].join('\n'),
    );
    const result = await execa(process.execPath, [script], { cwd: app, reject: false, timeout: 120_000 });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const report = JSON.parse(String(result.stdout)) as { ok: boolean; error: string | null; load: { requests: number } | null };
    expect(report.error).toBeNull();
    expect(report.ok).toBe(true);
    expect(report.load?.requests).toBe(100);
  });
});
