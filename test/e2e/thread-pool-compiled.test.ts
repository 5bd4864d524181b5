/**
 * thread-pool from compiled JavaScript: the project's `tsc` compiles the generated pool, its companions (thread and
 * worker sides, example task file) with a small program of the user's own, and plain `node` runs it (no loader),
 * in an ES module project and a CommonJS one. The task file is found next to the compiled program (`import.meta.url` or
 * `__dirname`), as the module's "Worker files" paragraph says; a crashing task settles with WorkerExitError while
 * the pool keeps serving, and the process exits by itself once the pool is closed (no thread is left running).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO, cjsProjectTree, createTempProject, esmProjectTree, type TempProject, type Tree } from '../helpers/temp-project.js';
import { runCli } from '../helpers/run-cli.js';
import { loadPattern } from '../../src/patterns/registry.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/** The user's program: eight sums on two threads, one task that exits its thread, then one more sum. */
function program(format: 'esm' | 'cjs'): string {
  const ext = format === 'esm' ? '.js' : '';
  const filename = format === 'esm' ? "new URL('./concurrency/thread-pool.task.js', import.meta.url)" : "join(__dirname, 'concurrency', 'thread-pool.task.js')";
  return [
    format === 'cjs' ? "import { join } from 'node:path';" : '',
    `import { ThreadPool, WorkerExitError } from './concurrency/thread-pool${ext}';`,
    `import type { ExampleInput } from './concurrency/thread-pool.task${ext}';`,
    '',
    'async function main(): Promise<void> {',
    `  const pool = new ThreadPool<ExampleInput, number>({ filename: ${filename}, maxThreads: 2 });`,
    "  const sums = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((a) => pool.run({ kind: 'add', a, b: 10 })));",
    "  const crash = await pool.run({ kind: 'exit', code: 3 }).then(",
    "    () => 'resolved',",
    "    (error: unknown) => (error instanceof WorkerExitError ? `${error.code} ${String(error.exitCode)}` : 'other'),",
    '  );',
    "  const after = await pool.run({ kind: 'add', a: 20, b: 22 });",
    '  await pool.close();',
    '  console.log(JSON.stringify({ sums, crash, after }));',
    '}',
    '',
    'main().catch((error: unknown) => {',
    '  console.error(error);',
    '  process.exitCode = 1;',
    '});',
    '',
  ].join('\n');
}

const cases: readonly { name: string; tree: () => Tree; format: 'esm' | 'cjs' }[] = [
  { name: 'an ES module project (NodeNext)', tree: esmProjectTree, format: 'esm' },
  { name: 'a CommonJS project', tree: cjsProjectTree, format: 'cjs' },
];

describe('thread-pool run from compiled JavaScript with plain node', () => {
  for (const c of cases) {
    it(`${c.name}: tsc, then node dist/main.js runs the example task through the pool and exits`, async () => {
      project = createTempProject(c.tree());
      const add = await runCli(['add', 'thread-pool', '--yes'], project.dir);
      expect(add.exitCode, add.stderr).toBe(0);
      writeFileSync(join(project.dir, 'src', 'main.ts'), program(c.format));

      const tsc = await execa(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit', 'false', '--outDir', 'dist'], {
        cwd: project.dir,
        reject: false,
        timeout: 120_000,
      });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.exitCode).toBe(0);
      for (const stem of ['thread-pool', ...loadPattern('thread-pool').manifest.companions.map((c) => `thread-pool.${c.role}`)]) {
        expect(existsSync(join(project.dir, 'dist', 'concurrency', `${stem}.js`)), stem).toBe(true);
      }

      // No loader: execArgv and NODE_OPTIONS carry nothing of tsx or vitest.
      const run = await execa(process.execPath, [join('dist', 'main.js')], { cwd: project.dir, reject: false, timeout: 60_000, env: { NODE_OPTIONS: '' } });
      expect(run.timedOut, 'the process did not exit by itself: a thread or handle outlived close()').toBe(false);
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(String(run.stdout))).toEqual({ sums: [11, 12, 13, 14, 15, 16, 17, 18], crash: 'ERR_WORKER_EXIT 3', after: 42 });
    }, 240_000);
  }
});
