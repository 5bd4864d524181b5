/**
 * Peer comparison for the `deadline` pattern: 100,000 calls, one after another, of work that resolves at once,
 * each under a 1 s time limit: our generated `withTimeout(fn, 1000)` (which also gives `fn` an AbortSignal that
 * would abort on the timeout) against p-timeout 7 (`pTimeout(work(), { milliseconds: 1000 })`, the target), and,
 * as an extra row without a target, p-timeout plus the AbortController a caller needs to give the work a signal.
 */
import pTimeout from 'p-timeout';
import { compare, type ScenarioResult } from './harness.js';
import { withTimeout } from './.generated/deadline.js';

const CALLS = 100_000;
const LIMIT_MS = 1_000;
const work = (): Promise<number> => Promise.resolve(1);

/** Runs the scenario for every contender and reports ratios against the targets. */
export async function scenarios(): Promise<ScenarioResult[]> {
  const result = await compare({
    pattern: 'deadline',
    scenario: `withTimeout on an already-resolving call, ${CALLS.toLocaleString('en-US')} calls one after another, limit ${LIMIT_MS} ms`,
    ops: CALLS,
    subject: 'concurrency-kit',
    targets: { 'p-timeout': 1.5 },
    rounds: 7,
    warmup: 2,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            for (let i = 0; i < CALLS; i++) await withTimeout(work, LIMIT_MS);
          };
        },
      },
      {
        name: 'p-timeout',
        setup: () => {
          return async () => {
            for (let i = 0; i < CALLS; i++) await pTimeout(work(), { milliseconds: LIMIT_MS });
          };
        },
      },
      {
        name: 'p-timeout + AbortController',
        setup: () => {
          return async () => {
            for (let i = 0; i < CALLS; i++) {
              const controller = new AbortController();
              await pTimeout(work(), { milliseconds: LIMIT_MS, signal: controller.signal });
            }
          };
        },
      },
    ],
  });
  return [result];
}
