/**
 * Temporary, shared wrappers around builtin methods (`EventTarget.prototype.addEventListener`,
 * `Promise.resolve`, `Promise.reject`) for the trackers that need to see those calls.
 *
 * A wrapper is installed when its first observer arrives and the original property is restored, exactly as it
 * was, when its last observer leaves. The wrapper and its observers live under a global symbol, so two copies of
 * this module in one process (the kit's setup file and a test's own `expectNoLeaks`, say) share one wrapper
 * instead of stacking two and restoring them out of order.
 */

/** Observers of one patched method. */
interface SharedPatch<O> {
  readonly owner: object;
  readonly key: string;
  readonly original: PropertyDescriptor;
  readonly observers: Set<O>;
}

/**
 * Builds the wrapper installed in place of `original`. It must call `original` with the same `this` and
 * arguments, return what it returns, and tell `observers` (the live set) whatever they need to know.
 */
export type WrapperFactory<O> = (original: (...args: never[]) => unknown, observers: ReadonlySet<O>) => (...args: never[]) => unknown;

/**
 * Adds `observer` to the wrapper of `owner[key]` registered under `id`, installing the wrapper (built by
 * `wrap`) if it is the first. Returns the function that removes the observer (and restores the original when it
 * was the last). `id` names the observer protocol: change it when the protocol changes, so copies of different
 * versions never share a wrapper. Does nothing (and returns a no-op) when `owner[key]` is not a function.
 */
export function observeMethod<O>(owner: object, key: string, id: string, wrap: WrapperFactory<O>, observer: O): () => void {
  const symbol = Symbol.for(`concurrency-kit.leaks.${id}`);
  const registry = globalThis as unknown as Record<symbol, SharedPatch<O> | undefined>;
  let patch = registry[symbol];
  if (patch === undefined) {
    const original = Object.getOwnPropertyDescriptor(owner, key);
    if (original === undefined || typeof original.value !== 'function') return () => undefined;
    const method = original.value as (...args: never[]) => unknown;
    const observers = new Set<O>();
    const wrapper = wrap(method, observers);
    Object.defineProperty(wrapper, 'name', { value: method.name });
    Object.defineProperty(wrapper, 'length', { value: method.length });
    Object.defineProperty(owner, key, { ...original, value: wrapper });
    patch = { owner, key, original, observers };
    registry[symbol] = patch;
  }
  const current = patch;
  current.observers.add(observer);
  return () => {
    current.observers.delete(observer);
    if (current.observers.size === 0 && registry[symbol] === current) {
      Object.defineProperty(current.owner, current.key, current.original);
      delete registry[symbol];
    }
  };
}
