/**
 * Peer comparison for the `task-group` pattern: 100,000 trivial tasks (`async () => {}`) at limit 16 through our
 * generated `TaskGroup` (one `await go()` after another, then `wait()`), against what one writes by hand without
 * it: `Promise.all` over 16 worker loops pulling the next index, with an `AbortController` aborted by the first
 * error (the same guarantees: bounded concurrency, first error wins and stops the rest). The issue sets no target;
 * the ratio is reported.
 */
import { compare, type ScenarioResult } from './harness.js';
import { TaskGroup } from './.generated/task-group.js';

const TASKS = 100_000;
const LIMIT = 16;
const trivial = async (_signal: AbortSignal): Promise<void> => {};

/** The hand-written equivalent: 16 workers pull indices; the first error aborts the controller and wins. */
async function handWritten(): Promise<void> {
  const controller = new AbortController();
  let next = 0;
  let first: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < TASKS && !controller.signal.aborted) {
      next++;
      try {
        await trivial(controller.signal);
      } catch (error) {
        first ??= { error };
        controller.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: LIMIT }, worker));
  if (first !== undefined) throw first.error;
}

/** Runs the scenario for both contenders and reports the ratio. */
export async function scenarios(): Promise<ScenarioResult[]> {
  const awaited = await compare({
    pattern: 'task-group',
    scenario: `${TASKS.toLocaleString('en-US')} trivial tasks, limit ${LIMIT}, await go() each`,
    ops: TASKS,
    subject: 'concurrency-kit',
    rounds: 7,
    warmup: 2,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            const group = new TaskGroup({ limit: LIMIT });
            for (let i = 0; i < TASKS; i++) await group.go(trivial);
            await group.wait();
            await group.close();
          };
        },
      },
      {
        name: 'Promise.all + AbortController',
        setup: () => {
          return handWritten;
        },
      },
    ],
  });
  return [awaited];
}
