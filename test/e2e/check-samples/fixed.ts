// The same code as one-of-each.ts with every finding fixed (the e2e test expects none).
import { EventEmitter, once } from 'node:events';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

declare function fetchUser(id: string): Promise<string>;
declare function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]>;
declare const mutex: { acquire(): Promise<() => void> };
const bus = new EventEmitter();
const cache = new Map<string, Promise<string>>();
let readyLatch: (() => void) | undefined;
const readyPromise = new Promise<void>((resolve) => {
  readyLatch = resolve;
});

export async function loadAll(ids: string[]): Promise<string[]> {
  return pool(ids, 8, (id) => fetchUser(id));
}

export function housekeeping(): () => void {
  const timer = setInterval(() => cache.clear(), 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

export async function handleRequest(id: string, signal: AbortSignal): Promise<void> {
  signal.addEventListener('abort', () => console.log('aborted', id), { once: true });
  const onShutdown = (): void => console.log(id);
  bus.on('shutdown', onShutdown);
  try {
    await sleep(10, undefined, { signal });
  } finally {
    bus.off('shutdown', onShutdown);
  }
}

export async function get(key: string): Promise<string> {
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = fetchUser(key);
    cache.set(key, pending);
  }
  return pending;
}

export function save(): void {
  fetchUser('x').catch((error: unknown) => console.error(error));
}

export async function wrapped(): Promise<string> {
  return fetchUser('y');
}

export async function notify(jobs: Promise<void>[]): Promise<void> {
  const results = await Promise.allSettled(jobs);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) throw new AggregateError(failed.map((r) => r.reason));
}

export async function critical(): Promise<void> {
  const release = await mutex.acquire();
  try {
    await fetchUser('z');
  } finally {
    release();
  }
}

export class Jobs {
  readonly #queue: string[] = [];
  add(job: string): void {
    if (this.#queue.length >= 100) throw new Error('queue full');
    this.#queue.push(job);
  }
  next(): string | undefined {
    return this.#queue.shift();
  }
}

export async function dump(stream: Writable, rows: string[]): Promise<void> {
  for (const row of rows) if (!stream.write(row)) await once(stream, 'drain');
}

export async function waitReady(): Promise<void> {
  await readyPromise;
}

export function markReady(): void {
  readyLatch?.();
}

export async function spawn(file: string): Promise<void> {
  const worker = new Worker(file);
  worker.postMessage('go');
  await worker.terminate();
}

export async function ready2(signal: AbortSignal): Promise<void> {
  await once(bus, 'ready', { signal });
}
