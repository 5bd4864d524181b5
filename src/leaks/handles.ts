/**
 * Tracks handles (timers, immediates, workers, message ports, sockets, file handles) with `async_hooks`: an
 * `init` hook records each one created while the test runs, with its creation stack. What is left when the test
 * ends leaked. Only handles whose creation stack has a user frame count, so what vitest, node's internals or
 * dependencies create on their own is ignored.
 *
 * Whether a handle is gone: a timer or immediate says so itself (node sets `_destroyed` when it is cleared or has
 * fired for the last time), and so does a FileHandle (its `fd` turns negative once closed). For the others a
 * `destroy` hook is enabled, but only once the first of them is created: with a `destroy` hook enabled, node tracks the destruction of every promise too (a weak callback per
 * promise), which would multiply the cost of promise-heavy tests that create no such handle.
 */
import { createHook, type AsyncHook } from 'node:async_hooks';
import type { LeakKind, PendingLeak, Tracker } from './leak.js';
import { captureCallSites, createdBy, firstUserFrame, formatUserStack, freezeUserFrames, type CallSite } from './stack.js';

/** async_hooks resource types tracked, and the kind each one leaks as. */
const KIND_OF_TYPE: ReadonlyMap<string, LeakKind> = new Map<string, LeakKind>([
  ['Timeout', 'timer'],
  ['Immediate', 'immediate'],
  ['WORKER', 'worker'],
  ['MESSAGEPORT', 'message-port'],
  ['TCPWRAP', 'socket'],
  ['TCPSERVERWRAP', 'socket'],
  ['PIPEWRAP', 'socket'],
  ['PIPESERVERWRAP', 'socket'],
  ['UDPWRAP', 'socket'],
  ['FILEHANDLE', 'file-handle'],
]);

const SOCKET_LABELS: Readonly<Record<string, string>> = {
  TCPWRAP: 'TCP socket',
  TCPSERVERWRAP: 'TCP server',
  PIPEWRAP: 'pipe (IPC or Unix socket)',
  PIPESERVERWRAP: 'pipe server',
  UDPWRAP: 'UDP socket',
};

/**
 * Node modules whose handles are not the user's even when user code is below them on the stack:
 * `AbortSignal.timeout()`'s timer (unref'd, cannot be cleared, goes when it fires), the ports a Worker creates
 * for itself (the Worker is reported instead), and stdio streams created lazily on first use.
 */
const IGNORED_CREATORS: Readonly<Partial<Record<LeakKind, readonly string[]>>> = {
  timer: ['node:internal/abort_controller'],
  'message-port': ['node:internal/worker'],
  socket: ['node:internal/bootstrap/switches/is_main_thread'],
};

/**
 * Resources that may stand between user code and a socket created asynchronously on its behalf (the nextTick or
 * DNS request of `server.listen(port, host)`): their stacks are kept a while, so such a socket gets one.
 */
const ORIGIN_TYPES: ReadonlySet<string> = new Set(['TickObject', 'GETADDRINFOREQWRAP']);
/** How many of those stacks are kept (the most recent). */
const ORIGINS_KEPT = 256;

/** Frames captured per handle: node's own frames (async_hooks, timers, net) come first, so more than usual. */
const STACK_MIN = 16;
const STACK_MAX = 32;

interface HandleRecord {
  readonly kind: LeakKind;
  readonly type: string;
  /** The async resource (a Timeout, a TCP handle, ...): held so it is described as it is at the end. */
  readonly resource: object;
  callSites: readonly CallSite[];
  /**
   * How a handle created with no user code on the stack got its stack: `accepted` (a socket accepted by a tracked
   * server: the server's stack), `deferred` (created after an asynchronous step, like the DNS lookup of
   * `server.listen(port, host)`: the stack that started it), or `own`.
   */
  readonly origin: 'own' | 'accepted' | 'deferred';
}

/** An `fs.promises.open` request (direct, or inside readFile, writeFile, ...); its promise resolves with the native FileHandle. */
interface OpenRequest {
  /** The FSReqPromise resource; its `promise` property is set only after init. */
  readonly resource: object;
  readonly callSites: readonly CallSite[];
  /** True once a handler on the request's promise records what it resolved with. */
  observed: boolean;
  /** The native FileHandle the request opened, once known. */
  openedHandle: unknown;
}

function timerMessage(resource: object): string {
  const timer = resource as { _repeat?: unknown; _idleTimeout?: unknown; hasRef?: () => boolean };
  const name = typeof timer._repeat === 'number' ? 'setInterval' : 'setTimeout';
  const delay = typeof timer._idleTimeout === 'number' ? `${timer._idleTimeout} ms` : '? ms';
  const unref = typeof timer.hasRef === 'function' && !timer.hasRef() ? ", unref'd," : '';
  return `${name}(…, ${delay})${unref} created during the test is still active`;
}

function describe(record: HandleRecord): string {
  switch (record.kind) {
    case 'timer':
      return timerMessage(record.resource);
    case 'immediate':
      return 'setImmediate(…) created during the test has not run yet (one that keeps re-arming itself?)';
    case 'worker':
      return 'Worker created during the test is still running (never terminated)';
    case 'message-port':
      return 'MessagePort created during the test is still open (never closed)';
    case 'file-handle':
      return 'FileHandle opened during the test is still open (never closed)';
    default: {
      const label = SOCKET_LABELS[record.type] ?? record.type;
      if (record.origin === 'accepted') return `${label} accepted during the test by a server created at the stack below is still open`;
      if (record.origin === 'deferred') return `${label} created during the test (after an asynchronous step started at the stack below) is still open`;
      return `${label} created during the test is still open`;
    }
  }
}

/**
 * Timers, immediates and FileHandles tell themselves whether they are gone; the others need the destroy hook (a
 * FileHandle is destroyed only when garbage-collected, long after it was closed). A timer or immediate without
 * node's `_destroyed` flag (a node that renamed it) falls back to the destroy hook too; timers and immediates are
 * plain JavaScript objects, complete by the time init runs, so reading the flag there is safe.
 */
function selfDescribing(kind: LeakKind, resource: object): boolean {
  if (kind === 'file-handle') return true;
  return (kind === 'timer' || kind === 'immediate') && typeof (resource as { _destroyed?: unknown })._destroyed === 'boolean';
}

/**
 * True once node has torn a self-describing handle down: a timer or immediate cleared, or fired and not repeating
 * (node sets `_destroyed`); a FileHandle closed (its `fd` turns negative). Read only after init has returned;
 * false for the other kinds, which the destroy hook removes.
 */
function gone(record: HandleRecord): boolean {
  if (record.kind === 'file-handle') {
    const fd = (record.resource as { fd?: unknown }).fd;
    return typeof fd === 'number' && fd < 0;
  }
  if (record.kind === 'timer' || record.kind === 'immediate') return (record.resource as { _destroyed?: unknown })._destroyed === true;
  return false; // the destroy hook removes the others
}

/** The handle tracker; see the module comment. */
export class HandleTracker implements Tracker {
  readonly #kinds: ReadonlySet<LeakKind>;
  readonly #live = new Map<number, HandleRecord>();
  /** FileHandles whose creation had no JS stack (they are made in a native callback); attributed in settle(). */
  readonly #unattributed = new Map<number, HandleRecord>();
  #openRequests: OpenRequest[] = [];
  /** Stacks of recent TickObjects and DNS requests (see ORIGIN_TYPES), by async id, oldest first. */
  readonly #origins = new Map<number, readonly CallSite[]>();
  #initHook: AsyncHook | undefined;
  #destroyHook: AsyncHook | undefined;
  #destroyEnabled = false;

  /** @param kinds - the kinds to report; handles of other kinds are not recorded */
  constructor(kinds: ReadonlySet<LeakKind>) {
    this.#kinds = kinds;
  }

  /** {@inheritDoc Tracker.start} */
  start(): void {
    const init = (asyncId: number, type: string, triggerAsyncId: number, resource: object): void => {
      // Never read properties of `resource` here: some native resources are not fully constructed yet.
      const kind = KIND_OF_TYPE.get(type);
      if (kind === undefined || !this.#kinds.has(kind)) {
        if (type === 'FSREQPROMISE' && this.#kinds.has('file-handle')) this.#recordRequest(resource, init);
        else if (ORIGIN_TYPES.has(type) && this.#kinds.has('socket')) this.#recordOrigin(asyncId, triggerAsyncId, init);
        return;
      }
      const callSites = captureCallSites(STACK_MIN, STACK_MAX, init);
      const first = firstUserFrame(callSites);
      if (first === -2) return; // the detector's own
      if (first >= 0) {
        const ignored = IGNORED_CREATORS[kind];
        if (ignored !== undefined && ignored.some((file) => createdBy(callSites, first, file))) return;
        this.#track(asyncId, { kind, type, resource, callSites: freezeUserFrames(callSites), origin: 'own' });
      } else if (kind === 'socket') {
        // Created in a callback, with no user code on the stack: attribute it through the resource that triggered it.
        const server = this.#live.get(triggerAsyncId);
        if (server !== undefined) this.#track(asyncId, { kind, type, resource, callSites: server.callSites, origin: 'accepted' });
        const started = server === undefined ? this.#origins.get(triggerAsyncId) : undefined;
        if (started !== undefined) this.#track(asyncId, { kind, type, resource, callSites: started, origin: 'deferred' });
      } else if (kind === 'file-handle') {
        this.#track(asyncId, { kind, type, resource, callSites: [], origin: 'own' });
      }
    };
    this.#destroyHook = createHook({
      destroy: (asyncId: number): void => {
        this.#live.delete(asyncId);
        this.#unattributed.delete(asyncId);
      },
    });
    this.#initHook = createHook({ init }).enable();
  }

  #track(asyncId: number, record: HandleRecord): void {
    // Enabled before the handle can be destroyed: init runs synchronously as it is created.
    if (!this.#destroyEnabled && !selfDescribing(record.kind, record.resource)) {
      this.#destroyEnabled = true;
      this.#destroyHook?.enable();
    }
    if (record.callSites.length === 0) this.#unattributed.set(asyncId, record);
    else this.#live.set(asyncId, record);
  }

  /** Keeps the user stack that created (or, through its trigger, started) a TickObject or DNS request. */
  #recordOrigin(asyncId: number, triggerAsyncId: number, above: (...args: never[]) => void): void {
    const callSites = captureCallSites(STACK_MIN, STACK_MAX, above);
    const first = firstUserFrame(callSites);
    const origin = first >= 0 ? freezeUserFrames(callSites) : first === -1 ? this.#origins.get(triggerAsyncId) : undefined;
    if (origin === undefined) return;
    this.#origins.set(asyncId, origin);
    if (this.#origins.size > ORIGINS_KEPT) this.#origins.delete(this.#origins.keys().next().value as number);
  }

  #recordRequest(resource: object, above: (...args: never[]) => void): void {
    const callSites = captureCallSites(STACK_MIN, STACK_MAX, above);
    const first = firstUserFrame(callSites);
    if (first < 0) return;
    // Only `fs.promises.open` (called directly, or by readFile, writeFile, ...) makes a FileHandle.
    const opens = callSites.slice(0, first).some((site) => site.getFileName() === 'node:internal/fs/promises' && site.getFunctionName() === 'open');
    if (!opens) return;
    this.#openRequests.push({ resource, callSites: freezeUserFrames(callSites), observed: false, openedHandle: undefined });
  }

  /** {@inheritDoc Tracker.settle} */
  settle(): void {
    // A FileHandle is created in a native callback with no JS stack; the open request whose promise resolved
    // with it holds the stack. Learn each request's result now (it arrives on a later turn, before collect()).
    if (this.#unattributed.size === 0) return;
    for (const request of this.#openRequests) {
      const promise = (request.resource as { promise?: unknown }).promise;
      if (request.observed || !(promise instanceof Promise)) continue;
      request.observed = true;
      promise.then(
        (handle: unknown) => {
          request.openedHandle = handle;
        },
        () => undefined,
      );
    }
  }

  /** {@inheritDoc Tracker.collect} */
  collect(): PendingLeak[] {
    for (const [asyncId, record] of this.#unattributed) {
      const request = this.#openRequests.find((r) => r.openedHandle === record.resource);
      if (request === undefined) continue;
      this.#unattributed.delete(asyncId);
      record.callSites = request.callSites;
      this.#live.set(asyncId, record);
    }
    const leaks: PendingLeak[] = [];
    for (const [asyncId, record] of this.#live) {
      if (gone(record)) {
        this.#live.delete(asyncId);
        continue;
      }
      leaks.push({ kind: record.kind, message: describe(record), stack: () => formatUserStack(record.callSites) });
    }
    return leaks;
  }

  /** {@inheritDoc Tracker.stop} */
  stop(): void {
    this.#initHook?.disable();
    this.#destroyHook?.disable();
    this.#initHook = undefined;
    this.#destroyHook = undefined;
    this.#destroyEnabled = false;
    this.#live.clear();
    this.#unattributed.clear();
    this.#origins.clear();
    this.#openRequests = [];
  }
}
