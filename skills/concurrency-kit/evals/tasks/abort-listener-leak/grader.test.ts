import { getEventListeners } from 'node:events';
import { expect, it } from 'vitest';
import { waitForJob } from './src/poller.js';

it('1,000 calls under one signal leave no abort listener on it', async () => {
  const controller = new AbortController();
  let n = 0;
  const queue = { next: async () => `job${String(n++)}` };
  for (let i = 0; i < 1_000; i++) await waitForJob(queue, controller.signal);
  expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
});

it('an abort rejects with the reason; an aborted signal rejects without asking the queue', async () => {
  const controller = new AbortController();
  const pending = waitForJob({ next: () => new Promise<string>(() => undefined) }, controller.signal);
  const reason = new Error('shutting down');
  controller.abort(reason);
  await expect(pending).rejects.toBe(reason);
  let asked = 0;
  await expect(waitForJob({ next: async () => { asked++; return 'x'; } }, controller.signal)).rejects.toBe(reason);
  expect(asked).toBe(0);
});
