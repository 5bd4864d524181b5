/**
 * Peer comparison for the `fan-out-fan-in` pattern: 200,000 trivial tasks (`async (x) => x`) at concurrency 16,
 * results collected in input order, through our generated `fanOut`, p-map (`pMap`) and p-limit (every task
 * submitted through `limit()`, then `Promise.all`).
 */
import pLimit from 'p-limit';
import pMap from 'p-map';
import { compare, type ScenarioResult } from './harness.js';
import { fanOut } from './.generated/fan-out-fan-in.js';

const TASKS = 200_000;
const CONCURRENCY = 16;
const inputs = Array.from({ length: TASKS }, (_, i) => i);
const identity = async (x: number): Promise<number> => x;

/** Runs the scenario for every contender and reports ratios against the targets. */
export async function scenarios(): Promise<ScenarioResult[]> {
  const result = await compare({
    pattern: 'fan-out-fan-in',
    scenario: `fanOut ${TASKS.toLocaleString('en-US')} trivial tasks, concurrency ${CONCURRENCY}`,
    ops: TASKS,
    subject: 'concurrency-kit',
    targets: { 'p-map': 1, 'p-limit': 3 },
    rounds: 7,
    warmup: 2,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            await fanOut(inputs, identity, { concurrency: CONCURRENCY });
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
      {
        name: 'p-limit',
        setup: () => {
          return async () => {
            const limit = pLimit(CONCURRENCY);
            const pending = new Array<Promise<number>>(TASKS);
            for (let i = 0; i < TASKS; i++) pending[i] = limit(identity, i);
            await Promise.all(pending);
          };
        },
      },
    ],
  });
  return [result];
}
