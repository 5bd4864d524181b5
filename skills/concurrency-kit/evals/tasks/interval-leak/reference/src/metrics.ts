/** Counts events and reports the count every `intervalMs`; close() reports the rest and stops. */
export class MetricsReporter {
  #count = 0;
  readonly #flush: (count: number) => void;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(flush: (count: number) => void, intervalMs = 1_000) {
    this.#flush = flush;
    this.#timer = setInterval(() => {
      this.#report();
    }, intervalMs);
    // The reporter must not keep the process alive on its own.
    if (typeof this.#timer === 'object' && 'unref' in this.#timer) this.#timer.unref();
  }

  record(): void {
    this.#count++;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#report();
  }

  #report(): void {
    this.#flush(this.#count);
    this.#count = 0;
  }
}
