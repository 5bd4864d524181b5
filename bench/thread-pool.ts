/**
 * Peer comparison for the `thread-pool` pattern, against piscina and tinypool, each on 2 threads (min = max = 2)
 * running an equivalent task file:
 * - 50,000 tiny tasks (add two numbers) submitted at once, then awaited; target >= 2x piscina;
 * - 2,000 tasks of 1 ms of CPU each, against the ideal of 2 threads x 1,000 tasks/s (target >= 95% of it), and
 *   against 2 bare threads looping over the same burns with no pool;
 * - resident set size after a warm-up, each pool alone in a child process; target <= tinypool's.
 *
 * Every contender runs plain JavaScript in its threads: the generated module and its companions (thread and worker
 * sides, example task; rendered into bench/.generated/ by bench/run.ts) are transpiled to `.js` in a temp dir first,
 * so no loader runs in any thread. Pools are created and warmed before the timed rounds and destroyed after them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import ts from 'typescript';
import { loadPattern } from '../src/patterns/registry.js';
import { compare, type ScenarioResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const TINY = 50_000;
const BURNS = 2_000;
const THREADS = 2;

/** The task file the peers run: the same work as the generated example task's `add` and `burn`. */
const PEER_TASK = `export default function task(input) {
  if (input.kind === 'add') return input.a + input.b;
  const end = performance.now() + input.ms;
  while (performance.now() < end) {}
  return input.ms;
}
`;

/** Child process of the RSS scenario: argv = contender, dir. Warms a 2-thread pool, then prints its RSS (bytes). */
const RSS_CHILD = `const [contender, dir] = process.argv.slice(2);
const task = contender === 'concurrency-kit' ? new URL('thread-pool.task.js', dir) : new URL('peer-task.mjs', dir);
let pool;
if (contender === 'concurrency-kit') pool = new (await import(new URL('thread-pool.js', dir).href)).ThreadPool({ filename: task, minThreads: 2, maxThreads: 2, maxQueue: 10000 });
if (contender === 'piscina') pool = new (await import('piscina')).Piscina({ filename: task.href, minThreads: 2, maxThreads: 2 });
if (contender === 'tinypool') pool = new (await import('tinypool')).default({ filename: task.href, minThreads: 2, maxThreads: 2 });
for (let round = 0; round < 5; round++) await Promise.all(Array.from({ length: 2000 }, (_, i) => pool.run({ kind: 'add', a: i, b: 1 })));
await Promise.all(Array.from({ length: 20 }, () => pool.run({ kind: 'burn', ms: 1 })));
globalThis.gc?.();
process.stdout.write(String(process.memoryUsage().rss));
await (pool.destroy ?? pool.close).call(pool);
`;

interface Pool {
  run(task: unknown): Promise<unknown>;
}

/**
 * Transpiles the generated files (the module and every companion) to JavaScript in `dir` (an ES module package),
 * keeping their `./x.js` imports.
 */
function transpileGenerated(dir: string): void {
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  for (const stem of ['thread-pool', ...loadPattern('thread-pool').manifest.companions.map((c) => `thread-pool.${c.role}`)]) {
    const source = readFileSync(join(here, '.generated', `${stem}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(join(dir, `${stem}.js`), outputText);
  }
  writeFileSync(join(dir, 'peer-task.mjs'), PEER_TASK);
  writeFileSync(join(dir, 'rss-child.mjs'), RSS_CHILD);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}

/** Runs `count` tasks made by `make` at once on `pool` and awaits them. */
async function burst(pool: Pool, count: number, make: (i: number) => unknown): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < count; i++) pending.push(pool.run(make(i)));
  await Promise.all(pending);
}

/** Runs the three scenarios and reports ratios against the targets. */
export async function scenarios(): Promise<ScenarioResult[]> {
  // Inside bench/.generated/ (git-ignored), so the RSS child resolves piscina and tinypool from the kit's node_modules.
  const dir = mkdtempSync(join(here, '.generated', 'thread-pool-js-'));
  try {
    transpileGenerated(dir);
    const { ThreadPool } = (await import(pathToFileURL(join(dir, 'thread-pool.js')).href)) as typeof import('./.generated/thread-pool.js');
    const ours = new ThreadPool({ filename: pathToFileURL(join(dir, 'thread-pool.task.js')), minThreads: THREADS, maxThreads: THREADS, maxQueue: TINY });
    const peerTask = pathToFileURL(join(dir, 'peer-task.mjs')).href;
    const piscina = new Piscina({ filename: peerTask, minThreads: THREADS, maxThreads: THREADS });
    const tinypool = new Tinypool({ filename: peerTask, minThreads: THREADS, maxThreads: THREADS });
    const pools: Record<string, Pool> = { 'concurrency-kit': ours, piscina, tinypool };
    const contenders = (make: (i: number) => unknown, count: number) =>
      Object.entries(pools).map(([name, pool]) => ({ name, setup: () => () => burst(pool, count, make) }));
    try {
      const tiny = await compare({
        pattern: 'thread-pool',
        scenario: `${TINY.toLocaleString('en-US')} tiny tasks (add two numbers) at once, ${THREADS} threads`,
        ops: TINY,
        subject: 'concurrency-kit',
        targets: { piscina: 2 },
        rounds: 5,
        warmup: 2,
        contenders: contenders((i) => ({ kind: 'add', a: i, b: 1 }), TINY),
      });
      // A reference without any pool: 2 threads started beforehand, claiming burns from a shared counter, in the same
      // interleaved rounds. A busy-wait of 1 ms ends late whenever its thread is descheduled across its deadline, so
      // on a loaded machine this stays far under the ideal too (and, spinning without pause, it is not even an upper
      // bound for a pool whose threads sleep between batches: the scheduler favours those).
      const bare = Array.from({ length: THREADS }, () => new Worker(BARE_THREAD, { eval: true }));
      const loop = (worker: Worker, claimed: Int32Array): Promise<unknown> =>
        new Promise((resolve) => {
          worker.once('message', resolve);
          worker.postMessage({ claimed, total: BURNS });
        });
      const bareRound = (): Promise<void> => {
        const claimed = new Int32Array(new SharedArrayBuffer(4));
        return Promise.all(bare.map((worker) => loop(worker, claimed))).then(() => undefined);
      };
      const burn = await compare({
        pattern: 'thread-pool',
        scenario: `${BURNS.toLocaleString('en-US')} tasks of 1 ms CPU, ${THREADS} threads (ideal: ${THREADS} x 1,000 tasks/s)`,
        ops: BURNS,
        subject: 'concurrency-kit',
        rounds: 3,
        warmup: 1,
        contenders: [
          ...contenders(() => ({ kind: 'burn', ms: 1 }), BURNS),
          { name: 'bare threads', setup: () => bareRound },
        ],
      }).finally(() => Promise.all(bare.map((w) => w.terminate())));
      const ideal = THREADS * 1000;
      const burnRatio = (burn.opsPerSec['concurrency-kit'] ?? 0) / ideal;
      const burnWithIdeal: ScenarioResult = {
        ...burn,
        opsPerSec: { ...burn.opsPerSec, ideal },
        ratios: [...burn.ratios, { peer: 'ideal', ratio: burnRatio, target: 0.95, met: burnRatio >= 0.95 }],
      };
      return [tiny, burnWithIdeal, rss(dir)];
    } finally {
      await Promise.all([ours.destroy(), piscina.destroy(), tinypool.destroy()]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Code of a bare thread: on a message `{ claimed, total }`, claims burns from the shared counter until `total` are
 * claimed, busy-waiting 1 ms for each (no pool, no message per task), then answers.
 */
const BARE_THREAD = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ claimed, total }) => {
  while (Atomics.add(claimed, 0, 1) < total) { const end = performance.now() + 1; while (performance.now() < end) {} }
  parentPort.postMessage(total);
});`;

/**
 * RSS after a warm-up (10,000 tiny tasks and 20 of 1 ms, then a GC), each contender alone in a fresh `node
 * --expose-gc` process, 3 alternating runs each, median. Reported as 1 GiB / RSS ("ops/s" column), so the ratio is
 * tinypool's RSS over ours: >= 1 means ours is no higher.
 */
function rss(dir: string): ScenarioResult {
  const names = ['concurrency-kit', 'piscina', 'tinypool'];
  const samples = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let run = 0; run < 3; run++) {
    for (const name of names) {
      const out = execFileSync(process.execPath, ['--expose-gc', join(dir, 'rss-child.mjs'), name, pathToFileURL(`${dir}/`).href], { cwd: here, encoding: 'utf8' });
      samples.get(name)?.push(Number(out));
    }
  }
  const bytes = Object.fromEntries(names.map((n) => [n, median(samples.get(n) ?? [])]));
  const score = (n: string): number => 2 ** 30 / (bytes[n] ?? Number.NaN);
  const mib = names.map((n) => `${n} ${((bytes[n] ?? 0) / 2 ** 20).toFixed(1)} MiB`).join(', ');
  const ratio = score('concurrency-kit') / score('tinypool');
  return {
    pattern: 'thread-pool',
    scenario: `RSS after warm-up, ${THREADS} threads (${mib}; figure = 1 GiB / RSS)`,
    subject: 'concurrency-kit',
    ops: 1,
    opsPerSec: Object.fromEntries(names.map((n) => [n, score(n)])),
    ratios: [
      { peer: 'piscina', ratio: score('concurrency-kit') / score('piscina'), target: null, met: null },
      { peer: 'tinypool', ratio, target: 1, met: ratio >= 1 },
    ],
  };
}
