import { afterEach, expect, it, vi } from 'vitest';
import { getQuote } from './src/quote.js';

afterEach(() => {
  vi.useRealTimers();
});

it('a quote in time resolves and leaves no timer', async () => {
  vi.useFakeTimers();
  await expect(getQuote(async () => 42, 1_000)).resolves.toBe(42);
  expect(vi.getTimerCount()).toBe(0);
});

it('a slow quote rejects with a TimeoutError, its signal aborts, and no timer is left', async () => {
  vi.useFakeTimers();
  let seen: AbortSignal | undefined;
  const quote = getQuote((signal) => {
    seen = signal;
    return new Promise<number>((_resolve, reject) => signal.addEventListener('abort', () => { reject(signal.reason); }, { once: true }));
  }, 1_000);
  const settled = quote.catch((error: unknown) => error);
  await vi.advanceTimersByTimeAsync(1_000);
  const error = await settled;
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe('TimeoutError');
  expect(seen?.aborted).toBe(true);
  expect(vi.getTimerCount()).toBe(0);
});
