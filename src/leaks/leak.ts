/**
 * What a leak is, the errors of the leak detector, and the contract between the detector and its trackers.
 */

/**
 * What leaked:
 * - `timer`: a `setTimeout` or `setInterval` (unref'd ones too) still active;
 * - `immediate`: a `setImmediate` that has not run (typically one that keeps re-arming itself);
 * - `worker`: a `worker_threads` Worker never terminated;
 * - `message-port`: a `MessagePort` (from a `MessageChannel` or `BroadcastChannel`) never closed;
 * - `socket`: a TCP, pipe or UDP socket or server still open;
 * - `file-handle`: an `fs.promises` FileHandle never closed;
 * - `listener`: a listener added to an `EventTarget` (an `AbortSignal`, say) during the test and still attached;
 * - `promise`: a promise created by an included module still pending, including a suspended async function
 *   (the "leaked goroutine");
 * - `unhandled-rejection`: a promise rejected during the test with no handler attached.
 */
export type LeakKind =
  | 'timer'
  | 'immediate'
  | 'worker'
  | 'message-port'
  | 'socket'
  | 'file-handle'
  | 'listener'
  | 'promise'
  | 'unhandled-rejection';

/** Every {@link LeakKind}, in the order leaks are reported. */
export const LEAK_KINDS: readonly LeakKind[] = Object.freeze([
  'timer',
  'immediate',
  'worker',
  'message-port',
  'socket',
  'file-handle',
  'listener',
  'promise',
  'unhandled-rejection',
]);

/** One thing a test left behind. */
export interface Leak {
  /** What leaked. */
  readonly kind: LeakKind;
  /** One sentence naming the thing and its state, e.g. `setInterval(…, 1000 ms) created during the test is still active`. */
  readonly message: string;
  /**
   * Where it was created, trimmed to user frames (no `node:` internals, `node_modules` or detector frames): one
   * `at ...` line per frame, the first one in the code that created it (after Go's goleak, which prints the
   * leaked goroutine's stack). For `unhandled-rejection`, the rejection reason's stack. May be empty when the
   * creation stack held no user frame (only possible for `unhandled-rejection`).
   */
  readonly stack: string;
}

/**
 * Thrown (or rejected with) when a test leaked: by {@link expectNoLeaks} and by the vitest hooks of
 * `installLeakHooks`. The message lists every leak with its kind and creation stack.
 */
export class LeakError extends Error {
  /** Always `"LeakError"`. */
  override readonly name = 'LeakError';
  /** Stable code for programmatic checks. */
  readonly code = 'ERR_LEAK';
  /** The leaks found, in {@link LEAK_KINDS} order. */
  readonly leaks: readonly Leak[];

  /** @param leaks - what leaked; the message is built from them */
  constructor(leaks: readonly Leak[]) {
    super(describeLeaks(leaks));
    this.leaks = Object.freeze([...leaks]);
  }
}

/** The text of a {@link LeakError}: a count, then each leak's kind, message and indented stack. */
export function describeLeaks(leaks: readonly Leak[]): string {
  const head = `${leaks.length} leak${leaks.length === 1 ? '' : 's'} found after the test (created during it and still there after the grace period):`;
  const body = leaks.map((leak) => {
    const stack = leak.stack === '' ? '    (no stack in user code)' : leak.stack.replace(/^/gm, '    ');
    return `[${leak.kind}] ${leak.message}\n${stack}`;
  });
  return [head, ...body].join('\n\n');
}

/** Invalid detector options or environment variables (a `graceMs` that is not a number, an unknown kind, ...). */
export class LeakConfigError extends Error {
  /** Always `"LeakConfigError"`. */
  override readonly name = 'LeakConfigError';
  /** Stable code for programmatic checks. */
  readonly code = 'ERR_LEAK_CONFIG';
}

/** A detector used out of order: `start()` while already started, or `stop()` without `start()`. */
export class LeakDetectorStateError extends Error {
  /** Always `"LeakDetectorStateError"`. */
  override readonly name = 'LeakDetectorStateError';
  /** Stable code for programmatic checks. */
  readonly code = 'ERR_LEAK_DETECTOR_STATE';
}

/** A tracker's view of one thing still alive; the stack is formatted only for what is finally reported. */
export interface PendingLeak {
  /** What leaked. */
  readonly kind: LeakKind;
  /** See {@link Leak.message}. */
  readonly message: string;
  /** Formats the creation stack (user frames only). */
  readonly stack: () => string;
}

/** One family of leaks (handles, listeners, promises, rejections), tracked from `start()` to `stop()`. */
export interface Tracker {
  /** Begins recording what gets created. */
  start(): void;
  /** Called once when the detector starts checking, before the first {@link Tracker.collect}. */
  settle?(): void;
  /** What is still alive now. Called on each check of the grace period. */
  collect(): PendingLeak[];
  /** Stops recording, removes every hook and patch, forgets everything. */
  stop(): void;
}
