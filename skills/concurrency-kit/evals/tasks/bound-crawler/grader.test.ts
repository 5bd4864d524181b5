import { expect, it } from 'vitest';
import { crawlAll } from './src/crawler.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

it('runs at most 8 fetches at once and keeps the input order', async () => {
  let inFlight = 0;
  let max = 0;
  const urls = Array.from({ length: 200 }, (_, i) => `https://example.test/${String(i)}`);
  const bodies = await crawlAll(urls, async (url) => {
    max = Math.max(max, ++inFlight);
    await tick();
    inFlight--;
    return url.toUpperCase();
  });
  expect(max).toBeLessThanOrEqual(8);
  expect(max).toBeGreaterThan(1);
  expect(bodies).toEqual(urls.map((u) => u.toUpperCase()));
});

it('an abort stops new fetches, reaches running ones and rejects with the reason', async () => {
  const controller = new AbortController();
  const signals: (AbortSignal | undefined)[] = [];
  const urls = Array.from({ length: 100 }, (_, i) => String(i));
  const crawl = crawlAll(
    urls,
    (_url, signal) => {
      signals.push(signal);
      return new Promise<string>((_resolve, reject) => signal?.addEventListener('abort', () => { reject(signal.reason); }, { once: true }));
    },
    { signal: controller.signal },
  );
  await tick();
  const reason = new Error('user left');
  controller.abort(reason);
  await expect(crawl).rejects.toBe(reason);
  await tick();
  expect(signals.length).toBeGreaterThan(0);
  expect(signals.length).toBeLessThanOrEqual(8);
  expect(signals.every((s) => s?.aborted === true)).toBe(true);
});
