/**
 * End to end: with a TypeScript 7 project, `add` stages the rendered files and a temporary tsconfig that extends the
 * governing one, runs the project's tsc, and removes everything again, also when Ctrl-C arrives while tsc runs.
 * The project's "TypeScript 7" here is a stand-in whose tsc records what it was given and then waits to be stopped,
 * so the interruption lands mid-check every time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import { CLI, createTempProject, snapshotTree, type TempProject } from '../helpers/temp-project.js';

const FAKE_TSC = `#!/usr/bin/env node
const fs = require('node:fs');
const args = process.argv.slice(2);
const config = args[args.indexOf('-p') + 1];
fs.writeFileSync(process.env.CK_FAKE_TSC_MARKER, JSON.stringify({ args, cwd: process.cwd(), config, text: fs.readFileSync(config, 'utf8') }));
setInterval(() => {}, 1000);
`;

let project: TempProject | undefined;
let scratch: string | undefined;
afterEach(() => {
  project?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Waits (bounded by the test timeout) until `check` holds, or fails at once if `child` ended first. */
async function until(check: () => boolean, child: Promise<{ stderr: unknown }>): Promise<void> {
  let ended: { stderr: unknown } | undefined;
  void child.then((r) => {
    ended = r;
  });
  while (!check()) {
    if (ended) throw new Error(`the CLI ended before the check started: ${String(ended.stderr)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('TypeScript 7: staged check', () => {
  it('extends the governing config from its own folder, and Ctrl-C mid-check leaves the tree byte-identical', async () => {
    project = createTempProject(
      {
        // vitest declared (not installed: the fake tsc never resolves it), so add writes and checks the test file too.
        'package.json': { name: 'app', type: 'module', devDependencies: { typescript: '7.0.2', vitest: '^4.1.0' } },
        'tsconfig.json': { files: [], references: [{ path: './config/tsconfig.app.json' }] },
        'config/tsconfig.app.json': { compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', strict: true, composite: true, isolatedDeclarations: true }, include: ['../src'] },
        'node_modules/typescript/package.json': { name: 'typescript', version: '7.0.2', bin: { tsc: './bin/tsc' } },
        'node_modules/typescript/bin/tsc': FAKE_TSC,
      },
      { linkModules: false },
    );
    scratch = mkdtempSync(join(tmpdir(), 'ck-fake-tsc-'));
    const marker = join(scratch, 'started.json');
    const before = snapshotTree(project.dir);

    const child = execa(process.execPath, [CLI, 'add', 'sharded-cache', '--yes', '--no-bench'], {
      cwd: project.dir,
      reject: false,
      timeout: 90_000,
      env: { CI: 'true', NO_COLOR: '1', CK_FAKE_TSC_MARKER: marker },
    });
    await until(() => existsSync(marker) && readFileSync(marker, 'utf8').length > 0, child);

    const seen = JSON.parse(readFileSync(marker, 'utf8')) as { args: string[]; cwd: string; config: string; text: string };
    const config = JSON.parse(seen.text) as { extends: string; compilerOptions: Record<string, unknown>; files: string[]; include: unknown[] };
    // Next to the governing config, so relative paths and ${configDir} mean the same; files only, no emit.
    expect(dirname(resolve(seen.cwd, seen.config))).toBe(join(project.dir, 'config'));
    expect(config.extends).toBe('./tsconfig.app.json');
    expect(config.include).toEqual([]);
    expect(config.compilerOptions).toMatchObject({ noEmit: true, composite: false, incremental: false, declaration: true });
    expect(config.files.map((f) => f.replace(/check-[0-9a-f]+\//, 'check-*/'))).toEqual([
      '../src/concurrency/.concurrency-kit-check-*/0/sharded-cache.ts',
      '../src/concurrency/.concurrency-kit-check-*/0/sharded-cache.test.ts',
      ...(config.files.length > 2
        ? ['../src/concurrency/.concurrency-kit-check-*/1/sharded-cache.ts', '../src/concurrency/.concurrency-kit-check-*/1/sharded-cache.test.ts']
        : []),
    ]);
    expect(seen.args).toContain('--pretty');
    expect(existsSync(join(project.dir, 'src', 'concurrency'))).toBe(true);

    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(snapshotTree(project.dir)).toEqual(before);
  });
});
