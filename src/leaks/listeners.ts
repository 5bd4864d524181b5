/**
 * Tracks listeners added to any `EventTarget` (an `AbortSignal`, a `MessagePort`, the user's own targets) while
 * a test runs: `EventTarget.prototype.addEventListener` is wrapped for the duration and restored afterwards,
 * each addition by user code is recorded, and at the end `events.getEventListeners` says which are still
 * attached. Asking the target itself gets every way of removal right: `removeEventListener`, `{ once: true }`
 * after the event fired, and `{ signal }` after that signal aborted. The capture flag is not told apart: a
 * listener added both with and without `capture` counts as attached while either is.
 *
 * The tracker's memory follows the listeners still attached, not all those ever added (a churn test adding and
 * removing thousands must not see the detector's own records as heap growth): a record is dropped when
 * `removeEventListener` removes its listener, when an event dispatched on its target has removed it (`once`), and
 * in a sweep of the detached ones whenever the records have doubled since the last sweep.
 */
import { getEventListeners } from 'node:events';
import type { PendingLeak, Tracker } from './leak.js';
import { observeMethod, type WrapperFactory } from './patch.js';
import { captureCallSites, createdBy, firstUserFrame, formatUserStack, type CallSite } from './stack.js';

type ListenerMethod = (this: EventTarget, type: string, listener: unknown, options?: unknown) => unknown;
type DispatchMethod = (this: EventTarget, event: Event) => unknown;
/** Told of every `addEventListener` / `removeEventListener` call that returned while the wrapper is installed. */
type Observer = (target: EventTarget, type: string, listener: unknown, wrapper: ListenerMethod) => void;
/** Told of every `dispatchEvent` call that returned while the wrapper is installed. */
type DispatchObserver = (target: EventTarget, type: string) => void;

const wrapListenerMethod = (original: (...args: never[]) => unknown, observers: ReadonlySet<Observer>): ListenerMethod => {
  const method = original as unknown as ListenerMethod;
  const wrapper: ListenerMethod = function (this: EventTarget, type, listener, options) {
    const result = Reflect.apply(method, this, [type, listener, options]);
    for (const notify of observers) notify(this, type, listener, wrapper);
    return result;
  };
  return wrapper;
};

const wrapDispatchEvent = (original: (...args: never[]) => unknown, observers: ReadonlySet<DispatchObserver>): DispatchMethod => {
  const dispatch = original as unknown as DispatchMethod;
  return function (this: EventTarget, event: Event) {
    try {
      return Reflect.apply(dispatch, this, [event]);
    } finally {
      const type = (event as { type?: unknown } | null)?.type;
      if (typeof type === 'string') for (const notify of observers) notify(this, type);
    }
  };
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
  /** Records by target, then event type, then listener (one record per listener, as EventTarget keeps one). */
  #records = new Map<EventTarget, Map<string, Map<unknown, ListenerRecord>>>();
  #count = 0;
  #sweepAt = SWEEP_AT;
  #unobserve: (() => void)[] = [];

  #drop(target: EventTarget, type: string, keep: (record: ListenerRecord) => boolean): void {
    const byType = this.#records.get(target);
    const byListener = byType?.get(type);
    if (byType === undefined || byListener === undefined) return;
    for (const [listener, record] of byListener) {
      if (keep(record)) continue;
      byListener.delete(listener);
      this.#count--;
    }
    if (byListener.size === 0) byType.delete(type);
    if (byType.size === 0) this.#records.delete(target);
  }

  #sweep(): void {
    for (const [target, byType] of [...this.#records]) for (const type of [...byType.keys()]) this.#drop(target, type, attached);
    this.#sweepAt = Math.max(SWEEP_AT, this.#count * 2);
  }

  /** {@inheritDoc Tracker.start} */
  start(): void {
    const onAdd: Observer = (target, type, listener, wrapper) => {
      if (listener === null || listener === undefined) return;
      const callSites = captureCallSites(STACK_MIN, STACK_MAX, wrapper);
      const first = firstUserFrame(callSites);
      if (first < 0 || INTERNAL_ADDERS.some((file) => createdBy(callSites, first, file))) return;
      const key = String(type);
      let byType = this.#records.get(target);
      if (byType === undefined) this.#records.set(target, (byType = new Map()));
      let byListener = byType.get(key);
      if (byListener === undefined) byType.set(key, (byListener = new Map()));
      if (!byListener.has(listener)) this.#count++;
      byListener.set(listener, { target, type: key, listener, callSites });
      if (this.#count >= this.#sweepAt) this.#sweep();
    };
    const onRemove: Observer = (target, type, listener) => this.#drop(target, String(type), (record) => record.listener !== listener || attached(record));
    const onDispatch: DispatchObserver = (target, type) => this.#drop(target, type, attached);
    this.#unobserve = [
      observeMethod(EventTarget.prototype, 'addEventListener', 'v1.addEventListener', wrapListenerMethod as WrapperFactory<Observer>, onAdd),
      observeMethod(EventTarget.prototype, 'removeEventListener', 'v1.removeEventListener', wrapListenerMethod as WrapperFactory<Observer>, onRemove),
      observeMethod(EventTarget.prototype, 'dispatchEvent', 'v1.dispatchEvent', wrapDispatchEvent as WrapperFactory<DispatchObserver>, onDispatch),
    ];
  }

  /** {@inheritDoc Tracker.collect} */
  collect(): PendingLeak[] {
    const leaks: PendingLeak[] = [];
    for (const byType of this.#records.values()) {
      for (const byListener of byType.values()) {
        for (const record of byListener.values()) {
          if (!attached(record)) continue;
          leaks.push({
            kind: 'listener',
            message: `'${record.type}' listener added during the test is still attached to its ${describeTarget(record.target)}`,
            stack: () => formatUserStack(record.callSites),
          });
        }
      }
    }
    return leaks;
  }

  /** {@inheritDoc Tracker.stop} */
  stop(): void {
    for (const unobserve of this.#unobserve) unobserve();
    this.#unobserve = [];
    this.#records = new Map();
    this.#count = 0;
    this.#sweepAt = SWEEP_AT;
  }
}
