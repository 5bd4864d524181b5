/**
 * Peer comparison for the `mutex` pattern: our `Mutex.runExclusive()` against async-mutex's `Mutex.runExclusive()`,
 * with the same trivial critical section (increment a shared counter) for both.
 *
 * Scenarios: uncontended (200,000 calls one after another, each awaited: the lock is free every time, the fast path)
 * and contended (16 loops sharing one mutex make 200,000 calls in all: at every moment one holds the lock and the
 * others wait in its queue, and each release hands the lock to the next). Thousands of callers queued at once are
 * not a scenario: both locks slow down by an order of magnitude there (the cost is mostly pending promises and their
 * garbage), and async-mutex also shifts each waiter off the front of an array as long as the queue.
 */
import { Mutex as AsyncMutex } from 'async-mutex';
import { compare, type Contender, type ScenarioResult } from './harness.js';
import { Mutex } from './.generated/mutex.js';

const CALLS = 200_000;
const LOOPS = 16;

/** The calls a contender makes to its mutex: ours and async-mutex's have the same `runExclusive` shape. */
interface RunExclusive {
  runExclusive<T>(fn: () => T | Promise<T>): Promise<T>;
}

function contender(name: string, create: () => RunExclusive, mode: 'uncontended' | 'contended'): Contender {
  return {
    name,
    setup: () => {
      return async () => {
        const mutex = create();
        let counter = 0;
        const section = (): void => {
          counter++;
        };
        const loop = async (calls: number): Promise<void> => {
          for (let i = 0; i < calls; i++) await mutex.runExclusive(section);
        };
        if (mode === 'uncontended') await loop(CALLS);
        else await Promise.all(Array.from({ length: LOOPS }, () => loop(CALLS / LOOPS)));
        if (counter !== CALLS) throw new Error(`${name}: ${counter} of ${CALLS} sections ran`);
      };
    },
  };
}

/** Runs both scenarios for every contender and reports ratios against the target (>= 5x async-mutex). */
export async function scenarios(): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const mode of ['uncontended', 'contended'] as const) {
    results.push(
      await compare({
        pattern: 'mutex',
        scenario: `runExclusive x ${CALLS.toLocaleString('en-US')}, ${mode === 'uncontended' ? 'one after another (uncontended)' : `${LOOPS} loops at once (contended)`}`,
        ops: CALLS,
        subject: 'concurrency-kit',
        targets: { 'async-mutex': 5 },
        rounds: 7,
        warmup: 2,
        contenders: [contender('concurrency-kit', () => new Mutex(), mode), contender('async-mutex', () => new AsyncMutex(), mode)],
      }),
    );
  }
  return results;
}
