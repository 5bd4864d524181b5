/**
 * Timing arithmetic of `verify --bench` (used by `bench-driver.ts` inside the project's vitest process, so it
 * imports nothing but Node built-ins):
 *
 * - An open-loop load, after Gil Tene's "coordinated omission" argument and wrk2's constant-throughput mode:
 *   requests arrive on a fixed schedule, arrival `i` at `start + i * 1000 / ratePerSec` ms, whether or not earlier
 *   requests have settled. Each tick of the scheduler issues every arrival due so far, and a request's latency runs
 *   from its *intended* arrival time to its settlement, so a stalled event loop shows up as latency instead of
 *   silently thinning the load. Latencies go into a preallocated `Float64Array`; p50/p99/max come from the sorted
 *   array by the nearest-rank method ({@link percentile}).
 * - A baseline in the same run: at every arrival the scheduler also issues a request that does nothing (a
 *   {@link NO_OP_REQUEST}), timed the same way. The no-op's latency is what the machine alone costs: timer
 *   granularity, the batch issued in the same tick, the event loop, and the CPU lost to other processes. A busy
 *   machine inflates both streams' tails alike, so the module's p99 minus the no-op's p99 is the latency the module
 *   adds ({@link addedLatencyMs}), judged the way the comparative benchmarks judge speed: against a contender measured
 *   in the same run.
 * - Throughput: a scenario repeated for a warm-up, then until a time has passed; ops/s = operations / seconds.
 *
 * Time comes through a {@link DriverClock}, injectable, so unit tests drive the scheduler math with a fake clock.
 */

/** Monotonic time and waiting on it: the driver's only contact with time. */
export interface DriverClock {
  /** Current time, ms, monotonic. */
  now(): number;
  /** Resolves after about `ms` ms (at least one event-loop turn, even for 0 or less). */
  sleep(ms: number): Promise<void>;
}

/**
 * The real clock: `performance.now()`, and `setTimeout` for every wait. Node's timers have 1 ms granularity (a wait
 * under 1 ms lasts about 1 ms), so at thousands of requests per second each tick issues a small batch of arrivals,
 * and a request's latency includes up to about a millisecond of tick lateness: a pessimistic bias, never an
 * optimistic one. Spinning with `setImmediate` would be finer but keeps the process runnable, and on a busy machine
 * the OS scheduler then preempts it for whole time slices (measured: p99 near 50 ms instead of 1 to 4 ms on a loaded
 * 2-core machine); a process that sleeps between ticks is woken promptly.
 */
export const realClock: DriverClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * The `p`-th percentile of ascending-sorted samples by the nearest-rank method: the smallest sample such that at
 * least `p` percent of the samples are less than or equal to it, i.e. `sorted[ceil(p / 100 * n) - 1]` (clamped to
 * the first sample for p = 0). No interpolation: the answer is always a measured value.
 * @param sorted - samples in ascending order (any unit; the result has the same unit)
 * @param p - percentile, 0 to 100
 * @returns NaN when there are no samples
 * @throws RangeError when `p` is outside 0..100
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${String(p)}`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * n);
  return sorted[Math.min(n, Math.max(1, rank)) - 1]!;
}

/** Options of {@link runOpenLoad}. */
export interface OpenLoadOptions {
  /** Target arrival rate, requests per second (> 0). */
  readonly ratePerSec: number;
  /** Length of the arrival schedule (ms, > 0): `round(ratePerSec * durationMs / 1000)` requests, at least 1. */
  readonly durationMs: number;
  /** How long to wait for unsettled requests after the last arrival was issued before giving up (ms). */
  readonly drainTimeoutMs: number;
  /**
   * The baseline request, issued at every arrival right after the measured one (same tick, same intended time) and
   * timed the same way; its figures are {@link OpenLoadResult.baseline}. Undefined: no baseline is measured.
   * `runScenarios` passes {@link NO_OP_REQUEST}.
   */
  readonly baseline?: (() => Promise<unknown>) | undefined;
}

/** A request that does nothing: the baseline of every open load `verify --bench` measures. */
export const NO_OP_REQUEST = (): Promise<void> => Promise.resolve();

/** Latency percentiles of one stream of requests (ms, nearest rank, from intended arrival to settlement). */
export interface LatencySummary {
  /** Median latency (ms). */
  readonly p50Ms: number;
  /** 99th-percentile latency (ms). */
  readonly p99Ms: number;
  /** Largest latency (ms). */
  readonly maxMs: number;
}

/** What {@link runOpenLoad} measured. Latencies are ms from each request's intended arrival to its settlement. */
export interface OpenLoadResult {
  /** Requests issued (all of the schedule). */
  readonly requests: number;
  /** Requests that rejected (or threw synchronously). */
  readonly failed: number;
  /** Requests still unsettled when the drain timed out; their latency counts as the time waited so far. */
  readonly pending: number;
  /** Message of the first failure, or null. */
  readonly firstError: string | null;
  /**
   * The load's actual length (ms): the schedule's `durationMs`, plus how late the last arrival was issued beyond
   * {@link TICK_SLACK_MS} when the driver fell behind.
   */
  readonly durationMs: number;
  /** Achieved arrival rate: requests / actual duration, per second. Below the target when the driver fell behind. */
  readonly ratePerSec: number;
  /** Median latency (ms, nearest rank). */
  readonly p50Ms: number;
  /** 99th-percentile latency (ms, nearest rank). */
  readonly p99Ms: number;
  /** Largest latency (ms). */
  readonly maxMs: number;
  /**
   * The baseline's latencies ({@link OpenLoadOptions.baseline}, one per arrival, same schedule), or null when no
   * baseline ran. Its failures are not counted: a no-op does not fail.
   */
  readonly baseline: LatencySummary | null;
}

/**
 * The latency a module adds over the baseline at the 99th percentile (ms): its p99 minus the no-op's p99 from the
 * same load, never below 0 (a module cannot be faster than doing nothing; a negative difference is noise). Without a
 * baseline the whole p99 counts.
 */
export function addedLatencyMs(load: { readonly p99Ms: number; readonly baseline: { readonly p99Ms: number } | null }): number {
  return load.baseline === null ? load.p99Ms : Math.max(0, load.p99Ms - load.baseline.p99Ms);
}

/**
 * Lateness of the last arrival that still counts as on schedule (ms). The driver issues arrivals on timer ticks, and
 * node's timers fire at a granularity of about 1 ms, so at 7,000 requests/s a tick issues a batch of ~7 arrivals up to
 * a tick late. That is on schedule (and each latency counts from its intended arrival anyway); only lateness beyond
 * the slack lengthens the measured duration and lowers the achieved rate.
 */
export const TICK_SLACK_MS = 2;

/** `Name: message` of an error, or the thrown value as a string. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Runs an open-loop load: arrival `i` is intended at `start + i * 1000 / ratePerSec`; each scheduler tick issues
 * every arrival due by then (so a late tick issues a burst, as a real backlog of clients would), then sleeps until
 * the next one is due. Latency = settlement time - intended arrival time, recorded in a preallocated Float64Array.
 * With `options.baseline`, every arrival issues the measured request and then the baseline request, each timed from
 * the same intended arrival into its own array. After the last arrival it waits up to `drainTimeoutMs` for the
 * stragglers of both.
 * @param request - issues one request
 * @param clock - time source; {@link realClock} unless testing
 */
export async function runOpenLoad(request: () => Promise<unknown>, options: OpenLoadOptions, clock: DriverClock = realClock): Promise<OpenLoadResult> {
  const { ratePerSec, durationMs, baseline } = options;
  if (!(ratePerSec > 0 && Number.isFinite(ratePerSec))) throw new RangeError(`ratePerSec must be a finite number > 0, got ${String(ratePerSec)}`);
  if (!(durationMs > 0 && Number.isFinite(durationMs))) throw new RangeError(`durationMs must be a finite number > 0, got ${String(durationMs)}`);
  const total = Math.max(1, Math.round((ratePerSec * durationMs) / 1000));
  const intervalMs = 1000 / ratePerSec;
  const latencies = new Float64Array(total).fill(Number.NaN);
  const baselineLatencies = baseline === undefined ? null : new Float64Array(total).fill(Number.NaN);
  let issued = 0;
  let settled = 0;
  let baselineSettled = 0;
  let failed = 0;
  let firstError: string | null = null;
  let lastLatenessMs = 0;

  const start = clock.now();
  const settle = (index: number, ok: boolean, error?: unknown): void => {
    latencies[index] = clock.now() - (start + index * intervalMs);
    settled++;
    if (!ok) {
      failed++;
      firstError ??= describeError(error);
    }
  };
  const settleBaseline = (index: number): void => {
    baselineLatencies![index] = clock.now() - (start + index * intervalMs);
    baselineSettled++;
  };
  const issue = (send: () => Promise<unknown>): Promise<unknown> => {
    try {
      return Promise.resolve(send());
    } catch (error) {
      return Promise.reject(error);
    }
  };
  while (issued < total) {
    const elapsed = clock.now() - start;
    // Every arrival whose intended time is <= now: i * intervalMs <= elapsed (with a hair of slack, so that
    // 0.1 + 0.2-style rounding cannot leave an arrival that is due unissued and the loop sleeping for nothing).
    const due = Math.min(total, Math.floor(elapsed / intervalMs + 1e-9) + 1);
    while (issued < due) {
      const index = issued++;
      issue(request).then(
        () => settle(index, true),
        (error: unknown) => settle(index, false, error),
      );
      if (baseline !== undefined) {
        const done = (): void => settleBaseline(index);
        issue(baseline).then(done, done);
      }
    }
    if (issued === total) {
      lastLatenessMs = Math.max(0, elapsed - (total - 1) * intervalMs);
      break;
    }
    await clock.sleep(start + issued * intervalMs - clock.now());
  }
  const baselineTotal = baselineLatencies === null ? 0 : total;
  const deadline = clock.now() + options.drainTimeoutMs;
  while ((settled < total || baselineSettled < baselineTotal) && clock.now() < deadline) await clock.sleep(Math.min(5, deadline - clock.now()));
  const now = clock.now();
  const finish = (samples: Float64Array): LatencySummary => {
    // Requests still unsettled count the time waited so far.
    for (let i = 0; i < total; i++) if (Number.isNaN(samples[i]!)) samples[i] = now - (start + i * intervalMs);
    samples.sort();
    return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), maxMs: samples[total - 1]! };
  };
  const actualMs = durationMs + (lastLatenessMs > TICK_SLACK_MS ? lastLatenessMs : 0);
  return {
    requests: total,
    failed,
    pending: total - settled,
    firstError,
    durationMs: actualMs,
    ratePerSec: (total * 1000) / actualMs,
    ...finish(latencies),
    baseline: baselineLatencies === null ? null : finish(baselineLatencies),
  };
}

/** What {@link measureThroughput} repeats (a bench file's `throughput` export fits). */
export interface RepeatedScenario {
  /** Operations one call of `run` performs (ops). */
  readonly opsPerRun: number;
  /** Performs `opsPerRun` operations. */
  run(): Promise<void> | void;
}

/** Options of {@link measureThroughput}. */
export interface ThroughputOptions {
  /** Untimed runs for at least this long first (ms); at least one run. */
  readonly warmupMs: number;
  /** Timed runs until at least this long has passed (ms); at least one run. */
  readonly durationMs: number;
}

/** What {@link measureThroughput} measured. */
export interface ThroughputResult {
  /** Operations per second over the timed runs. */
  readonly opsPerSec: number;
  /** Timed runs. */
  readonly runs: number;
  /** Time the timed runs took (ms). */
  readonly elapsedMs: number;
}

/**
 * Calls `scenario.run()` for a warm-up, then repeatedly until `durationMs` has passed, and returns
 * `runs * opsPerRun / elapsed seconds`.
 * @throws whatever `run()` throws
 */
export async function measureThroughput(scenario: RepeatedScenario, options: ThroughputOptions, clock: DriverClock = realClock): Promise<ThroughputResult> {
  const warmupStart = clock.now();
  do await scenario.run();
  while (clock.now() - warmupStart < options.warmupMs);
  const start = clock.now();
  let runs = 0;
  let elapsedMs: number;
  do {
    await scenario.run();
    runs++;
    elapsedMs = clock.now() - start;
  } while (elapsedMs < options.durationMs);
  return { opsPerSec: elapsedMs > 0 ? (runs * scenario.opsPerRun * 1000) / elapsedMs : Number.POSITIVE_INFINITY, runs, elapsedMs };
}

