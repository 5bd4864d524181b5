// One instance of each rule of `concurrency-kit check` (the e2e test expects exactly these findings).
import { EventEmitter, once } from 'node:events';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

declare function fetchUser(id: string): Promise<string>;
declare const mutex: { acquire(): Promise<() => void> };
const bus = new EventEmitter();
const cache = new Map<string, string>();
let ready = false;

export async function loadAll(ids: string[]): Promise<string[]> {
  return Promise.all(ids.map((id) => fetchUser(id)));
}

export function housekeeping(): void {
  setInterval(() => cache.clear(), 60_000);
}

export async function handleRequest(id: string, signal: AbortSignal): Promise<void> {
  signal.addEventListener('abort', () => console.log('aborted', id));
  bus.on('shutdown', () => console.log(id));
  await sleep(10);
}

export async function get(key: string): Promise<string | undefined> {
  if (!cache.has(key)) {
    const value = await fetchUser(key);
    cache.set(key, value);
  }
  return cache.get(key);
}

export function save(): void {
  fetchUser('x');
}

export function wrapped(): Promise<string> {
  return new Promise(async (resolve) => resolve(await fetchUser('y')));
}

export async function notify(jobs: Promise<void>[]): Promise<number> {
  const results = await Promise.allSettled(jobs);
  return results.length;
}

export async function critical(): Promise<void> {
  const release = await mutex.acquire();
  await fetchUser('z');
  release();
}

export class Jobs {
  readonly #queue: string[] = [];
  add(job: string): void {
    this.#queue.push(job);
  }
  next(): string | undefined {
    return this.#queue.shift();
  }
}

export function dump(stream: Writable, rows: string[]): void {
  for (const row of rows) stream.write(row);
}

export async function waitReady(): Promise<void> {
  while (!ready) await new Promise((resolve) => setTimeout(resolve, 10));
}

export function markReady(): void {
  ready = true;
}

export function spawn(file: string): void {
  const worker = new Worker(file);
  worker.postMessage('go');
}

export async function ready2(): Promise<void> {
  await once(bus, 'ready');
}
