export interface Request {
  readonly tenant: string;
}
export interface Response {
  readonly status: number;
  readonly body?: string;
}

/** Wraps `work` as a request handler limited to `perSecond` requests per second per tenant (a token bucket each). */
export function createHandler(
  work: (request: Request) => Promise<string>,
  options: { perSecond: number; now?: () => number },
): (request: Request) => Promise<Response> {
  const now = options.now ?? (() => performance.now());
  const capacity = options.perSecond;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (request) => {
    const t = now();
    const bucket = buckets.get(request.tenant) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * options.perSecond);
    bucket.at = t;
    buckets.set(request.tenant, bucket);
    if (bucket.tokens < 1) return { status: 429 };
    bucket.tokens -= 1;
    return { status: 200, body: await work(request) };
  };
}
