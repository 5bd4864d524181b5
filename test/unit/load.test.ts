/**
 * The bench driver's timing arithmetic with an injected clock: when arrivals are issued, that latency runs from the
 * intended arrival (so a late tick shows up), the no-op baseline driven on the same schedule, the achieved rate,
 * percentiles, throughput and heap growth. No real time passes and nothing is asserted about speed.
 */
import { describe, expect, it } from 'vitest';
import { addedLatencyMs, measureThroughput, NO_OP_REQUEST, percentile, runOpenLoad, TICK_SLACK_MS } from '../../src/verify/load.js';
import { FakeClock } from '../helpers/fake-clock.js';

const settle = { drainTimeoutMs: 1_000 };

describe('open-loop scheduler', () => {
  it('issues arrival i at start + i / rate and, with punctual ticks and instant requests, records zero latency', async () => {
    const clock = new FakeClock();
    const issuedAt: number[] = [];
    const result = await runOpenLoad(
      () => {
        issuedAt.push(clock.now());
        return Promise.resolve();
      },
      { ratePerSec: 1000, durationMs: 10, ...settle },
      clock,
    );
    expect(issuedAt).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result).toMatchObject({ requests: 10, failed: 0, pending: 0, firstError: null, durationMs: 10, ratePerSec: 1000, p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('a coarse tick issues every arrival due so far at once, and each latency counts from its intended arrival', async () => {
    // Every sleep lasts 4 ms whatever was asked: arrivals due every 1 ms go out in batches.
    const clock = new FakeClock(() => 4);
    const issuedAt: number[] = [];
    const result = await runOpenLoad(
      () => {
        issuedAt.push(clock.now());
        return Promise.resolve();
      },
      { ratePerSec: 1000, durationMs: 10, ...settle },
      clock,
    );
    expect(issuedAt).toEqual([0, 4, 4, 4, 4, 8, 8, 8, 8, 12]);
    // Latencies 0 | 3 2 1 0 | 3 2 1 0 | 3, sorted 0 0 0 1 1 2 2 3 3 3: nearest rank p50 = 5th = 1, p99 = 10th = 3.
    expect(result.p50Ms).toBe(1);
    expect(result.p99Ms).toBe(3);
    expect(result.maxMs).toBe(3);
    // The last arrival (intended at 9 ms) went out at 12 ms: the load took 13 ms, so 10 requests make 769/s, not 1000/s.
    expect(result.durationMs).toBe(13);
    expect(result.ratePerSec).toBeCloseTo(10_000 / 13, 9);
  });

  it('counts a last arrival issued within one timer tick (TICK_SLACK_MS) as on schedule, and later ones as falling behind', async () => {
    // The last sleep wakes 1 ms late: the final arrival (intended at 9 ms) goes out at 10 ms, within the slack.
    const punctualish = await runOpenLoad(() => Promise.resolve(), { ratePerSec: 1000, durationMs: 10, ...settle }, new FakeClock((asked, now) => (now >= 8 ? asked + 1 : asked)));
    expect(punctualish).toMatchObject({ durationMs: 10, ratePerSec: 1000, maxMs: 1 });
    expect(TICK_SLACK_MS).toBeGreaterThanOrEqual(1);
    // Woken 5 ms late, beyond the slack: the load took 15 ms and the achieved rate says so.
    const late = await runOpenLoad(() => Promise.resolve(), { ratePerSec: 1000, durationMs: 10, ...settle }, new FakeClock((asked, now) => (now >= 8 ? asked + 5 : asked)));
    expect(late.durationMs).toBe(15);
    expect(late.ratePerSec).toBeCloseTo(10_000 / 15, 9);
  });

  it('is open loop: arrivals keep coming while earlier requests are still running, and a slow service shows in every latency', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    let mostInFlight = 0;
    const result = await runOpenLoad(
      () =>
        new Promise<void>((resolve) => {
          inFlight++;
          mostInFlight = Math.max(mostInFlight, inFlight);
          clock.after(50, () => {
            inFlight--;
            resolve();
          });
        }),
      { ratePerSec: 1000, durationMs: 10, ...settle },
      clock,
    );
    expect(mostInFlight).toBe(10);
    expect(result).toMatchObject({ requests: 10, pending: 0, p50Ms: 50, p99Ms: 50, maxMs: 50, ratePerSec: 1000 });
  });

  it('a stalled event loop cannot hide: requests due during the stall are late by the stall', async () => {
    // Punctual, except one sleep at t = 2 ms that lasts 20 ms (a GC pause or a busy CPU).
    const clock = new FakeClock((asked, now) => (now === 2 ? 20 : asked));
    const result = await runOpenLoad(() => Promise.resolve(), { ratePerSec: 1000, durationMs: 10, ...settle }, clock);
    // Arrivals 3..9 ms all go out at 22 ms: latencies 19, 18, ..., 13; sorted 0 0 0 13 14 ... 19.
    expect(result.maxMs).toBe(19);
    expect(result.p99Ms).toBe(19);
    expect(result.p50Ms).toBe(14);
    expect(result.durationMs).toBe(23);
  });

  it('counts rejections and synchronous throws as failed requests, keeping the first message', async () => {
    const clock = new FakeClock();
    let n = 0;
    const result = await runOpenLoad(
      () => {
        n++;
        if (n === 2) throw new TypeError('sync boom');
        return n % 3 === 0 ? Promise.reject(new RangeError(`async boom ${n}`)) : Promise.resolve();
      },
      { ratePerSec: 1000, durationMs: 10, ...settle },
      clock,
    );
    // n = 2 throws; n = 3, 6, 9 reject.
    expect(result.failed).toBe(4);
    expect(result.firstError).toBe('TypeError: sync boom');
    expect(result.pending).toBe(0);
  });

  it('gives up on requests that never settle after drainTimeoutMs, counting the time waited as their latency', async () => {
    const clock = new FakeClock();
    const result = await runOpenLoad(() => new Promise<never>(() => undefined), { ratePerSec: 1000, durationMs: 5, drainTimeoutMs: 100 }, clock);
    expect(result.pending).toBe(5);
    expect(result.requests).toBe(5);
    // The drain started when the last arrival (4 ms) went out and lasted 100 ms: the first request waited 104 ms.
    expect(result.maxMs).toBe(104);
  });

  it('schedules round(rate x duration) requests, at least one', async () => {
    const clock = new FakeClock();
    expect((await runOpenLoad(() => Promise.resolve(), { ratePerSec: 7000, durationMs: 200, ...settle }, clock)).requests).toBe(1400);
    expect((await runOpenLoad(() => Promise.resolve(), { ratePerSec: 1, durationMs: 10, ...settle }, clock)).requests).toBe(1);
  });

  it('rejects a rate or duration that is not a positive finite number', async () => {
    await expect(runOpenLoad(() => Promise.resolve(), { ratePerSec: 0, durationMs: 10, ...settle }, new FakeClock())).rejects.toThrow(RangeError);
    await expect(runOpenLoad(() => Promise.resolve(), { ratePerSec: 10, durationMs: Number.NaN, ...settle }, new FakeClock())).rejects.toThrow(/durationMs/);
  });
});

describe('no-op baseline', () => {
  it('issues the baseline at every arrival right after the measured request, timed from the same intended arrival', async () => {
    // Every sleep lasts 4 ms: arrivals due at 0..4 ms go out at 0 and 4 ms.
    const clock = new FakeClock(() => 4);
    const calls: string[] = [];
    const result = await runOpenLoad(
      () => {
        calls.push(`module ${clock.now()}`);
        return Promise.resolve();
      },
      {
        ratePerSec: 1000,
        durationMs: 5,
        ...settle,
        baseline: () => {
          calls.push(`no-op ${clock.now()}`);
          return Promise.resolve();
        },
      },
      clock,
    );
    expect(calls).toEqual(['module 0', 'no-op 0', 'module 4', 'no-op 4', 'module 4', 'no-op 4', 'module 4', 'no-op 4', 'module 4', 'no-op 4']);
    // Both streams: latencies 0 | 3 2 1 0, so p50 = 1, p99 = max = 3. Nothing is added.
    expect(result.baseline).toEqual({ p50Ms: 1, p99Ms: 3, maxMs: 3 });
    expect(result).toMatchObject({ requests: 5, p50Ms: 1, p99Ms: 3, maxMs: 3 });
    expect(addedLatencyMs(result)).toBe(0);
  });

  it('a stalled event loop delays the module and the baseline alike: the added p99 is what the module itself costs', async () => {
    // Punctual, except one sleep at t = 2 ms that lasts 20 ms (another process has the CPU); the module's requests
    // take 2 ms each, the no-op none.
    const clock = new FakeClock((asked, now) => (now === 2 ? 20 : asked));
    const result = await runOpenLoad(() => new Promise<void>((resolve) => clock.after(2, resolve)), { ratePerSec: 1000, durationMs: 10, ...settle, baseline: NO_OP_REQUEST }, clock);
    // No-op: arrivals 3..9 go out at 22 ms: latencies 0 0 0 19 18 ... 13. Module: 2 ms more for each.
    expect(result.baseline).toEqual({ p50Ms: 14, p99Ms: 19, maxMs: 19 });
    expect(result).toMatchObject({ p50Ms: 16, p99Ms: 21, maxMs: 21, failed: 0, pending: 0 });
    expect(addedLatencyMs(result)).toBe(2);
  });

  it('waits for baseline stragglers too, and never counts a baseline rejection as a failed request', async () => {
    const clock = new FakeClock();
    const stuck = await runOpenLoad(() => Promise.resolve(), { ratePerSec: 1000, durationMs: 5, drainTimeoutMs: 100, baseline: () => new Promise<never>(() => undefined) }, clock);
    expect(stuck).toMatchObject({ pending: 0, failed: 0, maxMs: 0 });
    // The drain started when the last arrival (4 ms) went out and lasted 100 ms: the first no-op waited 104 ms.
    expect(stuck.baseline?.maxMs).toBe(104);
    const rejecting = await runOpenLoad(() => Promise.resolve(), { ratePerSec: 1000, durationMs: 5, ...settle, baseline: () => Promise.reject(new Error('no')) }, new FakeClock());
    expect(rejecting).toMatchObject({ failed: 0, firstError: null, baseline: { p50Ms: 0, p99Ms: 0, maxMs: 0 } });
  });

  it('is null without a baseline request, and then the whole p99 counts as added', async () => {
    const clock = new FakeClock();
    const result = await runOpenLoad(() => new Promise<void>((resolve) => clock.after(3, resolve)), { ratePerSec: 1000, durationMs: 5, ...settle }, clock);
    expect(result.baseline).toBeNull();
    expect(addedLatencyMs(result)).toBe(3);
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('returns a measured sample: the smallest with at least p% of samples at or below it', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 99.5)).toBe(100);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN without samples and refuses p outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(hundred, 101)).toThrow(RangeError);
    expect(() => percentile(hundred, Number.NaN)).toThrow(RangeError);
  });
});

describe('throughput', () => {
  it('warms up, then times runs until durationMs has passed: ops/s = runs x opsPerRun / seconds', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const scenario = {
      opsPerRun: 500,
      async run(): Promise<void> {
        calls++;
        await clock.advanceTo(clock.now() + 10);
      },
    };
    const result = await measureThroughput(scenario, { warmupMs: 25, durationMs: 100 }, clock);
    // Warm-up: runs end at 10, 20, 30 ms (>= 25): 3 runs. Timed: 10 runs of 10 ms = 100 ms.
    expect(calls).toBe(13);
    expect(result).toEqual({ opsPerSec: 50_000, runs: 10, elapsedMs: 100 });
  });
});
