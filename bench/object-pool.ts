/**
 * Peer comparison for the `object-pool` pattern: 20,000 uses of a 1 MB buffer (the Go services' image buffers),
 * each writing a 4 KiB header and the last byte, through our generated pool (`createBufferPool(1 MB, 8)` with
 * `Buffer.allocUnsafeSlow` as its allocator, acquire/release) against `Buffer.allocUnsafe(1 MB)` per use (the target).
 * Besides throughput, it counts the garbage collections during each contender's timed rounds, from a
 * PerformanceObserver of `gc` entries: pooling is meant to spare the collector, and the scenario's name reports both
 * counts.
 */
import { Buffer } from 'node:buffer';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { compare, type Contender, type ScenarioResult } from './harness.js';
import { createBufferPool } from './.generated/object-pool.js';

const USES = 20_000;
const BYTES = 1024 * 1024;
const HEADER = 4096;

/** Writes what an image decoder would write first, and reads it back so the work cannot be skipped. */
function work(buffer: Uint8Array, i: number): number {
  buffer.fill(i & 0xff, 0, HEADER);
  buffer[BYTES - 1] = i & 0xff;
  return (buffer[0] ?? 0) ^ (buffer[BYTES - 1] ?? 0);
}

let sink = 0;

/** The timed windows of each contender's rounds, to attribute each GC entry to whoever was running. */
const windows = new Map<string, { start: number; end: number }[]>();

/** Wraps a contender so each of its timed runs records its window [start, end] on the performance clock. */
function timed(name: string, body: () => void): Contender {
  windows.set(name, []);
  return {
    name,
    setup: () => {
      return () => {
        const window = { start: performance.now(), end: Number.POSITIVE_INFINITY };
        body();
        window.end = performance.now();
        windows.get(name)?.push(window);
      };
    },
  };
}

/** Runs the scenario for every contender and reports ratios against the targets, with GC counts. */
export async function scenarios(): Promise<ScenarioResult[]> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => {
    entries.push(...list.getEntries());
  });
  observer.observe({ entryTypes: ['gc'] });
  const pool = createBufferPool(BYTES, 8, { allocate: Buffer.allocUnsafeSlow });
  const result = await compare({
    pattern: 'object-pool',
    scenario: `${USES.toLocaleString('en-US')} uses of a 1 MB buffer`,
    ops: USES,
    subject: 'concurrency-kit',
    targets: { 'Buffer.allocUnsafe': 3 },
    rounds: 7,
    warmup: 2,
    contenders: [
      timed('concurrency-kit', () => {
        for (let i = 0; i < USES; i++) {
          const buffer = pool.acquire();
          sink ^= work(buffer, i);
          pool.release(buffer);
        }
      }),
      timed('Buffer.allocUnsafe', () => {
        for (let i = 0; i < USES; i++) sink ^= work(Buffer.allocUnsafe(BYTES), i);
      }),
    ],
  });
  await pool.close();
  // GC entries arrive asynchronously; one macrotask turn delivers the last ones.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const warmups = 2;
  const counts = [...windows].map(([name, list]) => {
    const counted = list.slice(warmups);
    const gcs = entries.filter((e) => counted.some((w) => e.startTime >= w.start && e.startTime <= w.end)).length;
    return `${name} ${String(gcs)}`;
  });
  if (sink === -1) console.log(sink); // keeps the work observable
  return [{ ...result, scenario: `${result.scenario} (GCs in the 7 timed rounds: ${counts.join(', ')})` }];
}
