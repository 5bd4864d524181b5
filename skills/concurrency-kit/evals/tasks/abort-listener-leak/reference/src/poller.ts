export interface Queue {
  next(): Promise<string>;
}

/** Waits for the next job, or rejects with `signal.reason` when it aborts; leaves no listener behind. */
export function waitForJob(queue: Queue, signal: AbortSignal): Promise<string> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    queue.next().then(
      (job) => {
        signal.removeEventListener('abort', onAbort);
        resolve(job);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
