/**
 * Fixture matrix, the acceptance's fresh project (issue 7): `npm init -y`, the latest `typescript` and
 * `@types/node` from npm, the packed kit, and a minimal tsconfig (no `types`, so TypeScript 7 makes @types/node
 * invisible). `npx concurrency-kit add worker-pool --yes && npx tsc --noEmit` must exit 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { must, parseJson, show } from '../helpers/fixture-projects.js';
import type { CliResult } from '../helpers/run-cli.js';
import { REPO } from '../helpers/temp-project.js';

let work: string;
let app: string;
let added: CliResult | undefined;

async function run(file: string, args: readonly string[], cwd: string, timeout = 240_000): Promise<CliResult> {
  const r = await execa(file, args, { cwd, reject: false, timeout, stdin: 'ignore', env: { CI: 'true', NO_COLOR: '1', npm_config_fund: 'false', npm_config_audit: 'false' } });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), timedOut: r.timedOut };
}
const npx = (args: readonly string[]): Promise<CliResult> => run('npx', ['--no-install', ...args], app);

beforeAll(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'ck-fresh-')));
  await must('npm pack', run('npm', ['pack', '--pack-destination', work], REPO));
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  app = join(work, 'app');
  mkdirSync(app);
  await must('npm init -y', run('npm', ['init', '-y'], app));
  await must('npm install', run('npm', ['install', '--prefer-offline', '-D', 'typescript', '@types/node', join(work, tarball)], app, 500_000));
  writeFileSync(join(app, 'tsconfig.json'), `${JSON.stringify({ compilerOptions: { module: 'nodenext', strict: true } }, null, 2)}\n`);
}, 900_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a fresh `npm init -y` project with the latest typescript and @types/node and a minimal tsconfig', () => {
  it('npx concurrency-kit add worker-pool --yes && npx tsc --noEmit exits 0', async () => {
    added = await npx(['concurrency-kit', 'add', 'worker-pool', '--yes']);
    expect(added.exitCode, show('add worker-pool --yes', added)).toBe(0);
    const tsc = await npx(['tsc', '--noEmit']);
    expect(tsc.exitCode, show('tsc --noEmit', tsc)).toBe(0);
  }, 300_000);

  it('add says vitest is not declared and prints the npm command that declares it', () => {
    expect(added, 'add did not run').toBeDefined();
    const r = added as CliResult;
    expect(r.stderr + r.stdout, show('add worker-pool --yes', r)).toMatch(/npm (?:install|i|add) (?:-D|--save-dev) (?:\S+ )*vitest/);
  });

  it('verify fails honestly for the module add wrote without tests (vitest is not declared), and says how to add them', async () => {
    expect(added?.exitCode, 'add did not write worker-pool').toBe(0);
    const r = await npx(['concurrency-kit', 'verify', '--json']);
    const report = parseJson<{ ok: boolean; modules: { pattern: string; tests: { failures: { message: string }[] } }[] }>('verify --json', r);
    expect({ exitCode: r.exitCode, ok: report.ok }, show('verify --json', r)).toEqual({ exitCode: 1, ok: false });
    const message = report.modules[0]?.tests.failures[0]?.message ?? '';
    expect(message).toMatch(/no test file src\/concurrency\/worker-pool\.test\.ts/);
    expect(message).toMatch(/concurrency-kit add worker-pool .*--overwrite/);
  }, 300_000);

  it('info --json: the project compiler (TypeScript 7 through its tsc), a CommonJS project, vitest not declared', async () => {
    const r = await npx(['concurrency-kit', 'info', '--json']);
    const doc = parseJson<Record<string, unknown>>('info --json', r);
    expect(doc, JSON.stringify(doc, null, 2)).toMatchObject({
      root: app,
      packageManager: 'npm',
      compiler: { source: 'project', version: expect.stringMatching(/^7\./) as unknown, via: 'tsc' },
      tsconfig: { path: 'tsconfig.json', moduleFormat: 'cjs' },
      testRunner: { name: 'vitest', declared: false },
      modules: [{ pattern: 'worker-pool', file: 'src/concurrency/worker-pool.ts', status: 'current' }],
    });
  }, 120_000);
});
