/** Thrown when the quote does not arrive in time. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly code = 'ERR_TIMEOUT';
}

/** Fetches a quote, giving up after `ms`: the call is aborted, and no timer outlives the call. */
export async function getQuote(fetchQuote: (signal: AbortSignal) => Promise<number>, ms: number): Promise<number> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(`no quote within ${String(ms)} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([fetchQuote(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
