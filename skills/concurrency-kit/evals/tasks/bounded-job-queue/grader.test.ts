import { expect, it } from 'vitest';
import { JobQueue } from './src/job-queue.js';

it('push() refuses beyond the capacity with ERR_QUEUE_FULL; pushAsync waits FIFO; an aborted waiter never enters', async () => {
  const queue = new JobQueue<string>({ capacity: 2 });
  queue.push('a');
  queue.push('b');
  expect(() => { queue.push('c'); }).toThrow(expect.objectContaining({ code: 'ERR_QUEUE_FULL' }));
  expect(queue.size).toBe(2);
  const controller = new AbortController();
  const admitted: string[] = [];
  const d = queue.pushAsync('d').then(() => admitted.push('d'));
  const e = queue.pushAsync('e', { signal: controller.signal });
  const f = queue.pushAsync('f').then(() => admitted.push('f'));
  const reason = new Error('gave up');
  controller.abort(reason);
  await expect(e).rejects.toBe(reason);
  expect(queue.shift()).toBe('a');
  await d;
  expect(queue.shift()).toBe('b');
  await f;
  expect(admitted).toEqual(['d', 'f']);
  expect([queue.shift(), queue.shift(), queue.shift()]).toEqual(['d', 'f', undefined]);
});

it('the default capacity is 100', () => {
  const queue = new JobQueue<number>();
  for (let i = 0; i < 100; i++) queue.push(i);
  expect(() => { queue.push(100); }).toThrow(expect.objectContaining({ code: 'ERR_QUEUE_FULL' }));
});
