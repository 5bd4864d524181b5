/** Thrown by submit() after close() began. */
export class ClosedError extends Error {
  override readonly name = 'ClosedError';
  readonly code = 'ERR_CLOSED';
}

/** Handles messages as they are submitted; close() stops intake and waits for those in hand. */
export class Consumer {
  readonly #handle: (message: string) => Promise<void>;
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(handle: (message: string) => Promise<void>) {
    this.#handle = handle;
  }

  submit(message: string): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedError('the consumer is closed'));
    const handled = this.#handle(message);
    const settled = handled.then(
      () => undefined,
      () => undefined,
    );
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
    return handled;
  }

  close(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.#closed = true;
    const { signal } = options;
    const drained = Promise.all([...this.#inFlight]).then(() => undefined);
    if (signal === undefined) return drained;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void drained.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }
}
