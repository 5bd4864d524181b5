/**
 * Tracks unhandled rejections: promises rejected while the test runs with no handler attached by the time node
 * checks (its `unhandledRejection` event), minus those handled later (`rejectionHandled`).
 */
import { inspect } from 'node:util';
import type { PendingLeak, Tracker } from './leak.js';
import { trimFormattedStack } from './stack.js';

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}`;
  return inspect(reason, { depth: 1, breakLength: Infinity }).slice(0, 200);
}

/** The rejection tracker; see the module comment. */
export class RejectionTracker implements Tracker {
  readonly #rejections = new Map<Promise<unknown>, unknown>();
  readonly #onUnhandled = (reason: unknown, promise: Promise<unknown>): void => {
    this.#rejections.set(promise, reason);
  };
  readonly #onHandled = (promise: Promise<unknown>): void => {
    this.#rejections.delete(promise);
  };

  /** {@inheritDoc Tracker.start} */
  start(): void {
    process.on('unhandledRejection', this.#onUnhandled);
    process.on('rejectionHandled', this.#onHandled);
  }

  /** {@inheritDoc Tracker.collect} */
  collect(): PendingLeak[] {
    return [...this.#rejections.values()].map((reason) => ({
      kind: 'unhandled-rejection',
      message: `a promise was rejected during the test and nothing handled it: ${describeReason(reason)}`,
      stack: () => {
        const stack = (reason as { stack?: unknown } | null)?.stack;
        return typeof stack === 'string' ? trimFormattedStack(stack) : '';
      },
    }));
  }

  /** {@inheritDoc Tracker.stop} */
  stop(): void {
    process.off('unhandledRejection', this.#onUnhandled);
    process.off('rejectionHandled', this.#onHandled);
    this.#rejections.clear();
  }
}
