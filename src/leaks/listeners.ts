/**
 * Tracks listeners added to any `EventTarget` (an `AbortSignal`, a `MessagePort`, the user's own targets) while
 * a test runs: `EventTarget.prototype.addEventListener` is wrapped for the duration and restored afterwards,
 * each addition by user code is recorded, and at the end `events.getEventListeners` says which are still
 * attached. Asking the target itself gets every way of removal right: `removeEventListener`, `{ once: true }`
 * after the event fired, and `{ signal }` after that signal aborted. The capture flag is not told apart: a
 * listener added both with and without `capture` counts as attached while either is.
 */
import { getEventListeners } from 'node:events';
import type { PendingLeak, Tracker } from './leak.js';
import { observeMethod, type WrapperFactory } from './patch.js';
import { captureCallSites, createdBy, firstUserFrame, formatUserStack, type CallSite } from './stack.js';

type AddEventListener = (this: EventTarget, type: string, listener: unknown, options?: unknown) => unknown;
/** Told of every `addEventListener` call that succeeded while the wrapper is installed. */
type Observer = (target: EventTarget, type: string, listener: unknown, wrapper: AddEventListener) => void;

const wrapAddEventListener = (original: (...args: never[]) => unknown, observers: ReadonlySet<Observer>): AddEventListener => {
  const add = original as unknown as AddEventListener;
  const wrapper: AddEventListener = function addEventListener(this: EventTarget, type, listener, options) {
    const result = Reflect.apply(add, this, [type, listener, options]);
    for (const notify of observers) notify(this, type, listener, wrapper);
    return result;
  };
  return wrapper;
};

interface ListenerRecord {
  readonly target: EventTarget;
  readonly type: string;
  readonly listener: unknown;
  readonly callSites: readonly CallSite[];
}

/** Frames captured per listener (the wrapper is called by the code adding it, so few are node's). */
const STACK_MIN = 8;
const STACK_MAX = 24;
/**
 * Node modules whose own listeners are not the user's even when user code is below them on the stack: the
 * `newListener` / `removeListener` / `message` plumbing node adds to every MessagePort and to a Worker's ports.
 * (A listener node adds on the user's behalf, like `events.once(signal, 'abort')`, still counts.)
 */
const INTERNAL_ADDERS = ['node:internal/worker/io', 'node:internal/worker'];
/** Once this many records pile up, those no longer attached are dropped (bounds memory in stress tests). */
const SWEEP_AT = 4096;

function attached(record: ListenerRecord): boolean {
  try {
    return (getEventListeners(record.target, record.type) as unknown[]).includes(record.listener);
  } catch {
    return false;
  }
}

function describeTarget(target: EventTarget): string {
  const name = (target as { constructor?: { name?: unknown } }).constructor?.name;
  const label = typeof name === 'string' && name !== '' ? name : 'EventTarget';
  if (target instanceof AbortSignal) return `${label} (${target.aborted ? 'aborted' : 'never aborted'})`;
  return label;
}

/** The listener tracker; see the module comment. */
export class ListenerTracker implements Tracker {
  #records: ListenerRecord[] = [];
  #sweepAt = SWEEP_AT;
  #unobserve: (() => void) | undefined;

  /** {@inheritDoc Tracker.start} */
  start(): void {
    const observer: Observer = (target, type, listener, wrapper) => {
      if (listener === null || listener === undefined) return;
      const callSites = captureCallSites(STACK_MIN, STACK_MAX, wrapper);
      const first = firstUserFrame(callSites);
      if (first < 0 || INTERNAL_ADDERS.some((file) => createdBy(callSites, first, file))) return;
      this.#records.push({ target, type: String(type), listener, callSites });
      if (this.#records.length >= this.#sweepAt) {
        this.#records = this.#records.filter(attached);
        this.#sweepAt = Math.max(SWEEP_AT, this.#records.length * 2);
      }
    };
    this.#unobserve = observeMethod(
      EventTarget.prototype,
      'addEventListener',
      'v1.addEventListener',
      wrapAddEventListener as WrapperFactory<Observer>,
      observer,
    );
  }

  /** {@inheritDoc Tracker.collect} */
  collect(): PendingLeak[] {
    const leaks: PendingLeak[] = [];
    const seen = new Map<EventTarget, Map<string, Set<unknown>>>();
    for (const record of this.#records) {
      let byType = seen.get(record.target);
      if (byType === undefined) seen.set(record.target, (byType = new Map()));
      let listeners = byType.get(record.type);
      if (listeners === undefined) byType.set(record.type, (listeners = new Set()));
      if (listeners.has(record.listener) || !attached(record)) continue;
      listeners.add(record.listener);
      leaks.push({
        kind: 'listener',
        message: `'${record.type}' listener added during the test is still attached to its ${describeTarget(record.target)}`,
        stack: () => formatUserStack(record.callSites),
      });
    }
    return leaks;
  }

  /** {@inheritDoc Tracker.stop} */
  stop(): void {
    this.#unobserve?.();
    this.#unobserve = undefined;
    this.#records = [];
    this.#sweepAt = SWEEP_AT;
  }
}
