import { afterEach, beforeEach, expect, it } from 'vitest';
import { OrderService, type Order } from './src/orders.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

it('place() does not wait for the audit; a failed audit reaches onError with its order, and nothing is unhandled', async () => {
  let failAudit: (error: Error) => void = () => undefined;
  const reported: [unknown, Order][] = [];
  const service = new OrderService(
    async () => undefined,
    () => new Promise<void>((_resolve, reject) => { failAudit = reject; }),
    (error, order) => reported.push([error, order]),
  );
  await service.place({ id: 'o-1' });
  const boom = new Error('audit log unavailable');
  failAudit(boom);
  await service.drain();
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(reported).toEqual([[boom, { id: 'o-1' }]]);
  expect(unhandled).toEqual([]);
});
