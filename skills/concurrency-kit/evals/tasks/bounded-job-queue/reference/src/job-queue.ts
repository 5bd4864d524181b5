/** Thrown by push() when the queue is full. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  readonly code = 'ERR_QUEUE_FULL';
}

interface Waiter<T> {
  readonly job: T;
  readonly admit: () => void;
}

/** A bounded FIFO queue of jobs: push() refuses when full, pushAsync() waits for room (FIFO, abortable). */
export class JobQueue<T> {
  readonly #jobs: T[] = [];
  readonly #waiting: Waiter<T>[] = [];
  readonly #capacity: number;

  constructor(options: { capacity?: number } = {}) {
    this.#capacity = options.capacity ?? 100;
  }

  push(job: T): void {
    if (this.#jobs.length >= this.#capacity || this.#waiting.length > 0) throw new QueueFullError(`the queue holds ${String(this.#capacity)} jobs`);
    this.#jobs.push(job);
  }

  pushAsync(job: T, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#jobs.length < this.#capacity && this.#waiting.length === 0) {
      this.#jobs.push(job);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiting.indexOf(waiter);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter<T> = {
        job,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  shift(): T | undefined {
    const job = this.#jobs.shift();
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) {
      this.#jobs.push(waiter.job);
      waiter.admit();
    }
    return job;
  }

  get size(): number {
    return this.#jobs.length;
  }
}
