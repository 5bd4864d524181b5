import { expect, it } from 'vitest';
import { Consumer } from './src/consumer.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

it('close() stops intake and resolves only after the messages in hand are handled', async () => {
  const gates = [deferred(), deferred()];
  const handled: string[] = [];
  const consumer = new Consumer(async (message) => {
    await gates[handled.length]?.promise;
    handled.push(message);
  });
  const first = consumer.submit('a');
  let closed = false;
  const closing = consumer.close().then(() => {
    closed = true;
  });
  await expect(consumer.submit('late')).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  await Promise.resolve();
  expect(closed).toBe(false);
  gates[0]?.resolve();
  await first;
  await closing;
  expect(closed).toBe(true);
  expect(handled).toEqual(['a']);
});

it('an abort bounds how long close() waits', async () => {
  const consumer = new Consumer(() => new Promise<void>(() => undefined));
  void consumer.submit('stuck');
  const controller = new AbortController();
  const closing = consumer.close({ signal: controller.signal });
  const reason = new Error('deadline');
  controller.abort(reason);
  await expect(closing).rejects.toBe(reason);
});
