/**
 * The leak detector: fails a test that leaves behind, relative to what existed before it started, a timer,
 * immediate, Worker, MessagePort, socket, FileHandle, EventTarget listener, pending module promise or unhandled
 * rejection. After Go's goleak: a short grace period with retries lets legitimate cleanup finish, and each leak
 * comes with the stack that created it. Pure Node: this file never imports vitest.
 */
import { setImmediate as nodeSetImmediate, setTimeout as nodeSetTimeout } from 'node:timers';
import { HandleTracker } from './handles.js';
import {
  LEAK_KINDS,
  LeakConfigError,
  LeakDetectorStateError,
  LeakError,
  type Leak,
  type LeakKind,
  type PendingLeak,
  type Tracker,
} from './leak.js';
import { ListenerTracker } from './listeners.js';
import { PromiseTracker } from './promises.js';
import { RejectionTracker } from './rejections.js';
import { compileInclude, type IncludeFilter } from './stack.js';

export { LEAK_KINDS, LeakConfigError, LeakDetectorStateError, LeakError, describeLeaks, type Leak, type LeakKind } from './leak.js';
export { TEST_FILE, type IncludeFilter } from './stack.js';

// The real timer functions, taken when this module loads: a test that leaves fake timers installed
// (vi.useFakeTimers) must not stall the grace period.
const realSetImmediate = nodeSetImmediate;
const realSetTimeout = nodeSetTimeout;

/** Options of {@link createLeakDetector} and {@link expectNoLeaks}. Every field is optional. */
export interface LeakDetectorOptions {
  /**
   * How long cleanup may take after the test before what is left counts as leaked (ms), after goleak's retry
   * loop: when something is still there, it is checked again after 1, 2, 4, ... ms until this much time has
   * passed. `0` checks once, one macrotask turn after the test. A finite number from 0 to 60,000.
   * @defaultValue 100
   */
  readonly graceMs?: number | undefined;
  /**
   * Whose pending promises count: the real paths of the module files (absolute paths or `file:` URLs), or a
   * predicate over a file's real path. A promise is attributed to the first user frame of its creation stack.
   * Only promises use this; every other kind counts whatever user file created it.
   * @defaultValue every user file that is not a test file (`*.test.*`, `*.spec.*`)
   */
  readonly include?: IncludeFilter | undefined;
  /**
   * The kinds of leak to look for; trackers for the others are not even installed (so leaving out `promise`
   * saves its per-promise cost).
   * @defaultValue all of {@link LEAK_KINDS}
   */
  readonly kinds?: readonly LeakKind[] | undefined;
}

/** {@link LeakDetectorOptions} with every field filled in and validated. */
export interface ResolvedLeakDetectorOptions {
  /** Grace period (ms), 0 to 60,000. */
  readonly graceMs: number;
  /** Whose pending promises count, as a predicate over a real path. */
  readonly include: (file: string) => boolean;
  /** The kinds looked for. */
  readonly kinds: ReadonlySet<LeakKind>;
}

/** The defaults of {@link LeakDetectorOptions}. */
export const DEFAULT_LEAK_DETECTOR_OPTIONS: Readonly<{ graceMs: number; kinds: readonly LeakKind[] }> = Object.freeze({
  graceMs: 100,
  kinds: LEAK_KINDS,
});

const MAX_GRACE_MS = 60_000;

function describeValue(value: unknown): string {
  return `\`${typeof value === 'string' ? value : String(value)}\` (${value === null ? 'null' : typeof value})`;
}

/**
 * Merges `options` with {@link DEFAULT_LEAK_DETECTOR_OPTIONS} and validates the result.
 * @throws {@link LeakConfigError} naming the option, the value received and what is accepted, when `graceMs` is
 * not a finite number from 0 to 60,000, `include` is neither an array of strings nor a function, or `kinds`
 * holds an unknown kind.
 */
export function resolveLeakDetectorOptions(options: LeakDetectorOptions = {}): ResolvedLeakDetectorOptions {
  const graceMs = options.graceMs === undefined ? DEFAULT_LEAK_DETECTOR_OPTIONS.graceMs : options.graceMs;
  if (typeof graceMs !== 'number' || !Number.isFinite(graceMs) || graceMs < 0 || graceMs > MAX_GRACE_MS) {
    throw new LeakConfigError(`Expected \`graceMs\` to be a number of ms from 0 to ${MAX_GRACE_MS}, got ${describeValue(graceMs)}`);
  }
  const include: unknown = options.include;
  if (include !== undefined && typeof include !== 'function' && !(Array.isArray(include) && include.every((f) => typeof f === 'string'))) {
    throw new LeakConfigError(`Expected \`include\` to be an array of file paths or a function, got ${describeValue(include)}`);
  }
  const kinds: unknown = options.kinds === undefined ? DEFAULT_LEAK_DETECTOR_OPTIONS.kinds : options.kinds;
  if (!Array.isArray(kinds)) throw new LeakConfigError(`Expected \`kinds\` to be an array of leak kinds, got ${describeValue(kinds)}`);
  for (const kind of kinds) {
    if (!LEAK_KINDS.includes(kind as LeakKind)) {
      throw new LeakConfigError(`Expected \`kinds\` to hold only ${LEAK_KINDS.map((k) => `"${k}"`).join(', ')}; got ${describeValue(kind)}`);
    }
  }
  return { graceMs, include: compileInclude(include as IncludeFilter | undefined), kinds: new Set(kinds as LeakKind[]) };
}

/** A leak detector for one test at a time: {@link LeakDetector.start} before it, {@link LeakDetector.stop} after. */
export interface LeakDetector {
  /**
   * Starts recording what gets created: installs an async_hooks hook, promise hooks, a wrapper around
   * `EventTarget.prototype.addEventListener` and `process` rejection listeners (only those the kinds need).
   * @throws {@link LeakDetectorStateError} when already started (or still stopping)
   */
  start(): void;
  /**
   * Waits one macrotask turn, then reports what is still there; when something is, checks again over the grace
   * period (after 1, 2, 4, ... ms) and reports what is left at its end. Every hook is removed and
   * `addEventListener` restored before it resolves, whatever happens; the detector can then start again.
   * Never rejects for leaks: it resolves with them (empty when clean).
   * @throws {@link LeakDetectorStateError} (rejects) when not started, or already stopping
   */
  stop(): Promise<Leak[]>;
}

/** The delays (ms) between the checks of a grace period: 1, 2, 4, ... summing to `graceMs`. */
export function graceSchedule(graceMs: number): number[] {
  const delays: number[] = [];
  let left = graceMs;
  for (let delay = 1; left > 0; delay *= 2) {
    const next = Math.min(delay, left);
    delays.push(next);
    left -= next;
  }
  return delays;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** Formats what is still there as {@link Leak}s: identical ones (same kind, message and stack) merged with a count. */
function toLeaks(pending: readonly PendingLeak[]): Leak[] {
  const merged = new Map<string, { leak: Leak; count: number }>();
  for (const item of pending) {
    const leak: Leak = { kind: item.kind, message: item.message, stack: item.stack() };
    const key = `${leak.kind}\n${leak.message}\n${leak.stack}`;
    const entry = merged.get(key);
    if (entry === undefined) merged.set(key, { leak, count: 1 });
    else entry.count++;
  }
  const leaks = [...merged.values()].map(({ leak, count }) => (count === 1 ? leak : { ...leak, message: `${leak.message} (×${count}, same creation stack)` }));
  return leaks.sort((a, b) => LEAK_KINDS.indexOf(a.kind) - LEAK_KINDS.indexOf(b.kind));
}

/**
 * Creates a leak detector (see {@link LeakDetector}); nothing is installed until `start()`.
 *
 * What counts: handles (timers, immediates, Workers, MessagePorts, sockets, FileHandles) and EventTarget
 * listeners created during the test by user code (their creation stack has a frame outside `node:` internals,
 * `node_modules` and the detector) and still there at the end; promises whose creation stack's first user frame
 * is in an included file, still pending at the end; rejections nobody handled. What vitest, node or
 * dependencies create on their own never counts.
 *
 * @param options - see {@link LeakDetectorOptions}
 * @throws {@link LeakConfigError} when an option is invalid (see {@link resolveLeakDetectorOptions})
 */
export function createLeakDetector(options: LeakDetectorOptions = {}): LeakDetector {
  const resolved = resolveLeakDetectorOptions(options);
  const { kinds } = resolved;
  const trackers: Tracker[] = [];
  if (['timer', 'immediate', 'worker', 'message-port', 'socket', 'file-handle'].some((k) => kinds.has(k as LeakKind))) {
    trackers.push(new HandleTracker(kinds));
  }
  if (kinds.has('listener')) trackers.push(new ListenerTracker());
  if (kinds.has('promise')) trackers.push(new PromiseTracker(resolved.include));
  if (kinds.has('unhandled-rejection')) trackers.push(new RejectionTracker());
  let state: 'idle' | 'running' | 'stopping' = 'idle';

  const collect = (): PendingLeak[] => {
    for (const tracker of trackers) tracker.settle?.();
    return trackers.flatMap((tracker) => tracker.collect());
  };

  return {
    start(): void {
      if (state !== 'idle') throw new LeakDetectorStateError(`The leak detector is already ${state === 'running' ? 'started' : 'stopping'}; await stop() before starting it again.`);
      state = 'running';
      try {
        for (const tracker of trackers) tracker.start();
      } catch (error) {
        for (const tracker of trackers) tracker.stop();
        state = 'idle';
        throw error;
      }
    },

    async stop(): Promise<Leak[]> {
      if (state !== 'running') throw new LeakDetectorStateError(`The leak detector is ${state === 'idle' ? 'not started; call start() first' : 'already stopping'}.`);
      state = 'stopping';
      try {
        for (const tracker of trackers) tracker.settle?.();
        await nextTurn();
        let pending = collect();
        for (const delay of graceSchedule(resolved.graceMs)) {
          if (pending.length === 0) break;
          await sleep(delay);
          pending = collect();
        }
        return toLeaks(pending);
      } finally {
        for (const tracker of trackers) tracker.stop();
        state = 'idle';
      }
    },
  };
}

/**
 * Runs `fn` under a fresh leak detector and resolves with its result, or rejects with {@link LeakError} when it
 * leaked (see {@link createLeakDetector} for what counts). When `fn` itself throws or rejects, the detector is
 * still stopped and `fn`'s error is what rejects (leaks of a failed run are not reported).
 *
 * @example
 * ```ts
 * await expectNoLeaks(async () => {
 *   const pool = new WorkerPool(work, { concurrency: 4 });
 *   await pool.run(1);
 *   await pool.close();
 * }, { include: [fileURLToPath(new URL('./worker-pool.ts', import.meta.url))] });
 * ```
 * @param fn - the code under test
 * @param options - see {@link LeakDetectorOptions}
 * @throws {@link LeakError} (rejects) when something leaked; {@link LeakConfigError} when an option is invalid;
 * whatever `fn` throws
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, options: LeakDetectorOptions = {}): Promise<T> {
  const detector = createLeakDetector(options);
  detector.start();
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await detector.stop();
    throw error;
  }
  const leaks = await detector.stop();
  if (leaks.length > 0) throw new LeakError(leaks);
  return result;
}
