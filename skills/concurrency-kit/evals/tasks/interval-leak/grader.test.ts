import { afterEach, expect, it, vi } from 'vitest';
import { MetricsReporter } from './src/metrics.js';

afterEach(() => {
  vi.useRealTimers();
});

it('reports every interval, and close() flushes the rest once and leaves no timer', () => {
  vi.useFakeTimers();
  const flushed: number[] = [];
  const reporter = new MetricsReporter((count) => flushed.push(count), 1_000);
  reporter.record();
  vi.advanceTimersByTime(1_000);
  expect(flushed).toEqual([1]);
  reporter.record();
  reporter.record();
  reporter.close();
  expect(flushed).toEqual([1, 2]);
  expect(vi.getTimerCount()).toBe(0);
  vi.advanceTimersByTime(10_000);
  expect(flushed).toEqual([1, 2]);
});
