/**
 * A fake {@link DriverClock} for the bench driver's tests: time moves only when the code under test sleeps (or a
 * test calls `advanceTo`), and completions scheduled with `after` fire in time order on the way.
 */
import type { DriverClock } from '../../src/verify/load.js';

/** Lets every pending promise reaction run (a real macrotask turn; fake time does not move). */
export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A fake clock. `sleep(ms)` moves time to `now + wake(ms)` (modelling timer granularity or a stalled event loop),
 * firing the completions scheduled with `after` on the way, in time order.
 */
export class FakeClock implements DriverClock {
  time = 0;
  readonly sleeps: number[] = [];
  #timers: { at: number; fire: () => void }[] = [];

  constructor(private readonly wake: (asked: number, now: number) => number = (asked) => Math.max(asked, 0)) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    await this.advanceTo(this.time + this.wake(ms, this.time));
  }

  /** Calls `fire` when fake time reaches now + ms. */
  after(ms: number, fire: () => void): void {
    this.#timers.push({ at: this.time + ms, fire });
    this.#timers.sort((a, b) => a.at - b.at);
  }

  async advanceTo(target: number): Promise<void> {
    // Reactions to what already happened run at the current time, as they would on a real event loop.
    await flush();
    while (this.#timers.length > 0 && this.#timers[0]!.at <= target) {
      const timer = this.#timers.shift()!;
      this.time = Math.max(this.time, timer.at);
      timer.fire();
      await flush();
    }
    this.time = Math.max(this.time, target);
  }
}
