import { expect, it } from 'vitest';
import { syncAll } from './src/sync-all.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

it('at most 4 at once; the first failure aborts the running ones, starts no more, and rejects after they settle', async () => {
  const accounts = Array.from({ length: 20 }, (_, i) => `acct${String(i)}`);
  let running = 0;
  let max = 0;
  let settled = 0;
  const started: AbortSignal[] = [];
  const failure = new Error('acct2 refused');
  const outcome = syncAll(accounts, async (account, signal) => {
    started.push(signal);
    max = Math.max(max, ++running);
    try {
      await tick();
      if (account === 'acct2') throw failure;
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) reject(signal.reason);
        else signal.addEventListener('abort', () => { reject(signal.reason); }, { once: true });
        setTimeout(resolve, 50);
      });
    } finally {
      running--;
      settled++;
    }
  });
  await expect(outcome).rejects.toBe(failure);
  expect(settled).toBe(started.length);
  expect(max).toBeLessThanOrEqual(4);
  expect(started.length).toBeLessThan(accounts.length);
  expect(started.every((s) => s.aborted)).toBe(true);
});
