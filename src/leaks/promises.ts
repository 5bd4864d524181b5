/**
 * Tracks promises that included modules create and never settle, with `v8.promiseHooks`: a suspended async
 * function is the JavaScript form of Go's leaked goroutine (its `finally` blocks never run, whatever it holds
 * stays held).
 *
 * Cost is what matters here: stress tests create tens of thousands of promises. So:
 * - promises derived from another one (`then`, `await`) are skipped at once: they are pending only while their
 *   parent is, and the parent (or whatever it waits on) is what leaked;
 * - for the others, a short stack of V8 call sites is captured, never formatted (4-10 µs; this capture is the
 *   whole cost of the tracker), and only the first user frame's file is looked at (cached per file); the full
 *   stack is captured once per creation site, not per promise;
 * - `Promise.resolve(value)` and `Promise.reject(reason)`, the `await Promise.resolve()` of every test's
 *   microtask flush, settle before they return: `Promise.resolve` and `Promise.reject` are wrapped while the test
 *   runs, and a promise they create is looked at (its stack captured from the wrapper) only if it is still
 *   pending when they return (a thenable was passed);
 * - promises are counted per creation site, and a `WeakMap` maps a pending promise to its site, so nothing is
 *   held alive that would otherwise be collected. A promise collected while still pending counts as pending:
 *   it never settled, exactly like a goroutine blocked forever.
 */
import { promiseHooks } from 'node:v8';
import type { PendingLeak, Tracker } from './leak.js';
import { observeMethod, type WrapperFactory } from './patch.js';
import { captureCallSites, fileInfo, formatUserStack, freezeUserFrames, type CallSite } from './stack.js';

/**
 * Frames looked at to find who created a promise: node's hook dispatcher and the builtin (`new Promise`) come
 * first, so a promise created more than a couple of frames deep inside node or a dependency is not attributed.
 */
const DECIDE_MIN = 4;
const DECIDE_MAX = 12;
/** Where node's promise-hook dispatcher lives; its frames sit between the hook and the code creating a promise. */
const PROMISE_HOOKS_FILE = 'node:internal/promise_hooks';
/** Frames kept for the report, captured once per creation site. */
const REPORT_MIN = 16;
const REPORT_MAX = 32;

/** Every promise created at one place (the first user frame: file, line, column). */
interface Site {
  /** The user frames of the first promise created here, frozen (they keep no function or receiver alive). */
  readonly callSites: readonly CallSite[];
  /** `myFunction` when the promise is an async function's own; null for `new Promise`, `Promise.all`, ... */
  readonly asyncFunction: string | null;
  /** The builtin that created it (`Promise`, `all`, `resolve`, ...), when not an async function. */
  readonly creator: string;
  pending: number;
}

function creatorLabel(creator: string): string {
  if (creator === 'Promise') return 'new Promise()';
  if (['all', 'allSettled', 'any', 'race', 'resolve', 'reject', 'withResolvers'].includes(creator)) return `Promise.${creator}()`;
  return `${creator || '(anonymous)'}()`;
}

function describe(site: Site): string {
  if (site.asyncFunction !== null) {
    const calls = site.pending === 1 ? 'a call is' : `${site.pending} calls are`;
    return `async function ${site.asyncFunction || '(anonymous)'}() was called during the test and never finished: ${calls} still suspended at an await`;
  }
  const count = site.pending === 1 ? 'is' : `(${site.pending} of them) are`;
  return `promise created during the test by ${creatorLabel(site.creator)} ${count} still pending`;
}

/** Told when a call of the wrapped `Promise.resolve` / `Promise.reject` starts and ends. */
interface StaticCallObserver {
  enter(): void;
  /** @param wrapper - the wrapper's own function, to capture the stack from below it */
  leave(wrapper: (...args: never[]) => unknown): void;
}

/** Wraps `Promise.resolve` or `Promise.reject`; calls on subclasses (`this` is not `Promise`) pass straight through. */
const wrapStatic = (original: (...args: never[]) => unknown, observers: ReadonlySet<StaticCallObserver>): ((...args: never[]) => unknown) => {
  const intrinsic = Promise;
  const wrapper = function (this: unknown, value: unknown): unknown {
    if (this !== intrinsic) return Reflect.apply(original, this, [value]);
    for (const observer of observers) observer.enter();
    try {
      return Reflect.apply(original, this, [value]);
    } finally {
      for (const observer of observers) observer.leave(wrapper);
    }
  };
  return wrapper;
};

/** The promise tracker; see the module comment. */
export class PromiseTracker implements Tracker {
  readonly #include: (file: string) => boolean;
  /** Sites by file (real path) and position; `null` for a file the include filter leaves out. */
  #sites = new Map<string, Map<number, Site> | null>();
  #pending = new WeakMap<Promise<unknown>, Site>();
  #stopHook: (() => void) | undefined;
  #unwrap: (() => void)[] = [];
  /** Inside a wrapped `Promise.resolve` / `Promise.reject`: the root promise it created, and whether it settled. */
  #inStatic = 0;
  #staticPromise: Promise<unknown> | undefined;
  #staticSettled = false;

  /** @param include - which files' promises count, by real path */
  constructor(include: (file: string) => boolean) {
    this.#include = include;
  }

  /** {@inheritDoc Tracker.start} */
  start(): void {
    const init = (promise: Promise<unknown>, parent: Promise<unknown> | undefined): void => {
      if (parent !== undefined) return;
      if (this.#inStatic > 0 && this.#staticPromise === undefined) {
        this.#staticPromise = promise;
        return;
      }
      const callSites = captureCallSites(DECIDE_MIN, DECIDE_MAX, init);
      // Node calls hooks through a dispatcher of its own: skip its frames to reach what created the promise.
      let top = 0;
      while (top < callSites.length && callSites[top]!.getFileName() === PROMISE_HOOKS_FILE) top++;
      this.#record(promise, callSites, top, init);
    };
    const settled = (promise: Promise<unknown>): void => {
      if (promise === this.#staticPromise) this.#staticSettled = true;
      const site = this.#pending.get(promise);
      if (site === undefined) return;
      site.pending--;
      this.#pending.delete(promise);
    };
    const observer: StaticCallObserver = {
      enter: () => {
        if (this.#inStatic++ > 0) return;
        this.#staticPromise = undefined;
        this.#staticSettled = false;
      },
      leave: (wrapper) => {
        if (--this.#inStatic > 0) return;
        const promise = this.#staticPromise;
        this.#staticPromise = undefined;
        // Still pending: a thenable was passed. The stack below the wrapper is where the promise was created.
        if (promise !== undefined && !this.#staticSettled) this.#record(promise, captureCallSites(DECIDE_MIN, DECIDE_MAX, wrapper), -1, wrapper);
      },
    };
    this.#stopHook = promiseHooks.createHook({ init, settled }) as () => void;
    for (const key of ['resolve', 'reject']) {
      this.#unwrap.push(observeMethod(Promise, key, `v1.Promise.${key}`, wrapStatic as WrapperFactory<StaticCallObserver>, observer));
    }
  }

  /**
   * Counts `promise` at its site when its first user frame is in an included file.
   * @param top - index of the frame that created it (its own frame for an async function); -1 for a static call
   * @param above - the function the stack was captured below (captured again, deeper, for a new site)
   */
  #record(promise: Promise<unknown>, callSites: readonly CallSite[], top: number, above: (...args: never[]) => unknown): void {
    let first = -1;
    for (let i = Math.max(top, 0); i < callSites.length; i++) {
      const origin = fileInfo(callSites[i]!.getFileName()).origin;
      if (origin === 'detector') return;
      if (origin === 'user') {
        first = i;
        break;
      }
    }
    if (first === -1) return;
    const frame = callSites[first]!;
    const path = fileInfo(frame.getFileName()).path;
    let byPosition = this.#sites.get(path);
    if (byPosition === undefined) {
      byPosition = this.#include(path) ? new Map() : null;
      this.#sites.set(path, byPosition);
    }
    if (byPosition === null) return;
    const position = (frame.getLineNumber() ?? 0) * 1_000_000 + (frame.getColumnNumber() ?? 0);
    let site = byPosition.get(position);
    if (site === undefined) {
      const asyncFunction = first === top;
      site = {
        callSites: freezeUserFrames(captureCallSites(REPORT_MIN, REPORT_MAX, above)),
        // The promise of an async function is created as the function starts: its own frame is on top.
        asyncFunction: asyncFunction ? (frame.getFunctionName() ?? '') : null,
        creator: top === -1 ? 'resolve' : asyncFunction ? '' : (callSites[top]!.getFunctionName() ?? ''),
        pending: 0,
      };
      byPosition.set(position, site);
    }
    site.pending++;
    this.#pending.set(promise, site);
  }

  /** {@inheritDoc Tracker.collect} */
  collect(): PendingLeak[] {
    const leaks: PendingLeak[] = [];
    for (const byPosition of this.#sites.values()) {
      if (byPosition === null) continue;
      for (const site of byPosition.values()) {
        if (site.pending > 0) leaks.push({ kind: 'promise', message: describe(site), stack: () => formatUserStack(site.callSites) });
      }
    }
    return leaks;
  }

  /** {@inheritDoc Tracker.stop} */
  stop(): void {
    this.#stopHook?.();
    this.#stopHook = undefined;
    for (const unwrap of this.#unwrap.splice(0)) unwrap();
    this.#sites = new Map();
    this.#pending = new WeakMap();
    this.#inStatic = 0;
    this.#staticPromise = undefined;
  }
}
