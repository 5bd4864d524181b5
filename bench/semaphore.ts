/**
 * Peer comparison for the `semaphore` pattern: acquire/release pairs at weight 1 and at weight 3 against
 * async-mutex's `Semaphore` (its `acquire(weight)` and `release(weight)`). 100,000 pairs per round, spread over 16
 * concurrent loops on a semaphore of capacity 8, so that callers queue (at weight 3 only two hold permits at once),
 * plus an uncontended row (one loop, permits always free) and a burst row (10,000 acquire() calls issued at once,
 * each releasing when granted, as `Promise.all(items.map((x) => semaphore.use(n, ...)))` does; ten bursts a round)
 * for each weight.
 */
import { Semaphore as AsyncMutexSemaphore } from 'async-mutex';
import { compare, type ScenarioResult } from './harness.js';
import { Semaphore } from './.generated/semaphore.js';

const PAIRS = 100_000;
const CAPACITY = 8;
const WORKERS = 16;
/** Callers in one burst: our default `maxWaiting`, so the burst needs no option. */
const BURST = 10_000;

/** What both semaphores offer for this scenario. */
interface Permits {
  acquire(weight: number): Promise<unknown>;
  release(weight: number): void;
}

/** `PAIRS` acquire/release pairs of weight `n` over `workers` concurrent loops. */
async function pairs(semaphore: Permits, n: number, workers: number): Promise<void> {
  let left = PAIRS;
  const loop = async (): Promise<void> => {
    while (left > 0) {
      left--;
      await semaphore.acquire(n);
      semaphore.release(n);
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
}

/** `PAIRS / BURST` bursts of `BURST` acquire() calls issued at once, each releasing as soon as it is granted. */
async function bursts(semaphore: Permits, n: number): Promise<void> {
  for (let round = 0; round < PAIRS / BURST; round++) {
    const granted = new Array<Promise<void>>(BURST);
    for (let i = 0; i < BURST; i++) {
      granted[i] = semaphore.acquire(n).then(() => {
        semaphore.release(n);
      });
    }
    await Promise.all(granted);
  }
}

function scenario(n: number, workers: number): Promise<ScenarioResult> {
  const shape = workers === 0 ? `bursts of ${BURST.toLocaleString('en-US')} callers` : workers === 1 ? 'uncontended' : `${workers} loops on capacity ${CAPACITY}`;
  const run = (semaphore: Permits): Promise<void> => (workers === 0 ? bursts(semaphore, n) : pairs(semaphore, n, workers));
  return compare({
    pattern: 'semaphore',
    scenario: `${PAIRS.toLocaleString('en-US')} acquire/release pairs, weight ${n}, ${shape}`,
    ops: PAIRS,
    subject: 'concurrency-kit',
    targets: { 'async-mutex': 3 },
    rounds: 7,
    warmup: 2,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            const semaphore = new Semaphore(CAPACITY);
            await run(semaphore);
            await semaphore.close();
          };
        },
      },
      {
        name: 'async-mutex',
        setup: () => {
          return () => run(new AsyncMutexSemaphore(CAPACITY));
        },
      },
    ],
  });
}

/** Runs every scenario and reports ratios against the target (>= 3x async-mutex). */
export async function scenarios(): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const n of [1, 3]) {
    results.push(await scenario(n, WORKERS));
    results.push(await scenario(n, 1));
    results.push(await scenario(n, 0));
  }
  return results;
}
