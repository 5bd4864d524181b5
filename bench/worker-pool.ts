/**
 * Peer comparison for the `worker-pool` pattern: 200,000 trivial jobs (`async (x) => x`) at concurrency 16,
 * all submitted at once and then awaited, through our generated pool's `run()` (queue large enough, overflow
 * "reject"), p-limit, p-queue (`add`) and p-map.
 */
import pLimit from 'p-limit';
import pMap from 'p-map';
import PQueue from 'p-queue';
import { compare, type ScenarioResult } from './harness.js';
import { WorkerPool } from './.generated/worker-pool.js';

const JOBS = 200_000;
const CONCURRENCY = 16;
const inputs = Array.from({ length: JOBS }, (_, i) => i);
const identity = async (x: number): Promise<number> => x;

/** Runs the scenario for every contender and reports ratios against the targets. */
export async function scenarios(): Promise<ScenarioResult[]> {
  const result = await compare({
    pattern: 'worker-pool',
    scenario: `run ${JOBS.toLocaleString('en-US')} trivial jobs, concurrency ${CONCURRENCY}`,
    ops: JOBS,
    subject: 'concurrency-kit',
    targets: { 'p-limit': 2 },
    rounds: 7,
    warmup: 2,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            const pool = new WorkerPool(identity, { concurrency: CONCURRENCY, queueCapacity: JOBS, overflow: 'reject' });
            const pending = new Array<Promise<number>>(JOBS);
            for (let i = 0; i < JOBS; i++) pending[i] = pool.run(i);
            await Promise.all(pending);
            await pool.close();
          };
        },
      },
      {
        name: 'p-limit',
        setup: () => {
          return async () => {
            const limit = pLimit(CONCURRENCY);
            const pending = new Array<Promise<number>>(JOBS);
            for (let i = 0; i < JOBS; i++) pending[i] = limit(identity, i);
            await Promise.all(pending);
          };
        },
      },
      {
        name: 'p-queue',
        setup: () => {
          return async () => {
            const queue = new PQueue({ concurrency: CONCURRENCY });
            const pending = new Array<Promise<number>>(JOBS);
            for (let i = 0; i < JOBS; i++) pending[i] = queue.add(() => identity(i));
            await Promise.all(pending);
            await queue.onIdle();
          };
        },
      },
      {
        name: 'p-map',
        setup: () => {
          return async () => {
            await pMap(inputs, identity, { concurrency: CONCURRENCY });
          };
        },
      },
    ],
  });
  return [result];
}
