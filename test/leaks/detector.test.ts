/**
 * The leak detector in-process: expectNoLeaks / createLeakDetector on timers, listeners and module promises (the
 * kinds that can be exercised deterministically inside this vitest run), option and state errors, the vitest
 * hooks against a stand-in vitest API, and the environment options of the setup file. The other kinds run in
 * child processes in fixtures.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createLeakDetector,
  expectNoLeaks,
  graceSchedule,
  installLeakHooks,
  leakHooksOptionsFromEnv,
  LeakConfigError,
  LeakDetectorStateError,
  LeakError,
  type Leak,
  type LeakTestContext,
} from '../../src/leaks/index.js';
import { REPO } from '../helpers/temp-project.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const PROMISES_FIXTURE = join(REPO, 'test', 'fixtures', 'leaks', 'promises.ts');

const ORIGINALS = {
  addEventListener: EventTarget.prototype.addEventListener,
  resolve: Promise.resolve,
  reject: Promise.reject,
};

/** Undone after each test, whatever it did. */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  expect(EventTarget.prototype.addEventListener).toBe(ORIGINALS.addEventListener);
  expect(Promise.resolve).toBe(ORIGINALS.resolve);
  expect(Promise.reject).toBe(ORIGINALS.reject);
});

async function leaksOf(fn: () => unknown, options: Parameters<typeof createLeakDetector>[0] = {}): Promise<Leak[]> {
  const detector = createLeakDetector(options);
  detector.start();
  await fn();
  return detector.stop();
}

function firstFrame(leak: Leak): string {
  return leak.stack.split('\n')[0] ?? '';
}

describe('expectNoLeaks', () => {
  it('resolves with what fn returns when nothing leaked, and restores every patched builtin', async () => {
    await expect(expectNoLeaks(() => 42)).resolves.toBe(42);
    await expect(expectNoLeaks(async () => 'async')).resolves.toBe('async');
  });

  it('rejects with LeakError naming the kind, a message and a stack that starts where the leak was created', async () => {
    let timer: NodeJS.Timeout | undefined;
    cleanups.push(() => clearInterval(timer));
    const error = await expectNoLeaks(() => {
      timer = setInterval(() => undefined, 1000);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LeakError);
    const leakError = error as LeakError;
    expect(leakError.name).toBe('LeakError');
    expect(leakError.code).toBe('ERR_LEAK');
    expect(leakError.leaks).toHaveLength(1);
    expect(leakError.leaks[0]).toMatchObject({ kind: 'timer', message: 'setInterval(…, 1000 ms) created during the test is still active' });
    expect(firstFrame(leakError.leaks[0]!)).toContain(`${THIS_FILE}:`);
    expect(leakError.message).toMatch(/^1 leak found after the test/);
    expect(leakError.message).toContain('[timer] setInterval(…, 1000 ms) created during the test is still active\n    at ');
  });

  it("rejects with fn's own error when fn throws, and still stops the detector", async () => {
    const boom = new Error('boom');
    await expect(
      expectNoLeaks(() => {
        EventTarget.prototype.addEventListener.call(new EventTarget(), 'x', () => undefined);
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});

describe('timers and the grace period', () => {
  it('a setTimeout(0) that fires after fn returns is cleanup, not a leak', async () => {
    expect(await leaksOf(() => void setTimeout(() => undefined, 0))).toEqual([]);
  });

  it('an interval cleared a few ms after fn returns, within the grace period, is not a leak', async () => {
    expect(
      await leaksOf(() => {
        const interval = setInterval(() => undefined, 1000);
        setTimeout(() => clearInterval(interval), 5);
      }),
    ).toEqual([]);
  });

  it('an interval cleared only after the grace period is reported', async () => {
    const leaks = await leaksOf(
      () => {
        const interval = setInterval(() => undefined, 1000);
        const later = setTimeout(() => clearInterval(interval), 60_000);
        cleanups.push(() => {
          clearInterval(interval);
          clearTimeout(later);
        });
      },
      { graceMs: 20 },
    );
    expect(leaks.map((l) => [l.kind, l.message])).toEqual([
      ['timer', 'setInterval(…, 1000 ms) created during the test is still active'],
      ['timer', 'setTimeout(…, 60000 ms) created during the test is still active'],
    ]);
  });

  it("counts unref'd timers too, and merges identical ones (same place, same stack) with a count", async () => {
    const timers: NodeJS.Timeout[] = [];
    cleanups.push(() => timers.forEach(clearInterval));
    const leaks = await leaksOf(() => {
      for (let i = 0; i < 3; i++) timers.push(setInterval(() => undefined, 250).unref());
    });
    expect(leaks).toHaveLength(1);
    expect(leaks[0]!.message).toBe("setInterval(…, 250 ms), unref'd, created during the test is still active (×3, same creation stack)");
  });

  it('ignores what existed before start(), even if it is still active', async () => {
    const before = setInterval(() => undefined, 1000);
    cleanups.push(() => clearInterval(before));
    expect(await leaksOf(() => undefined)).toEqual([]);
  });

  it('waits for the grace period only when something is still there', async () => {
    // With a 60 s grace period, a clean run that waited for it would far exceed this test's 10 s limit.
    expect(await leaksOf(() => void setTimeout(() => undefined, 0), { graceMs: 60_000 })).toEqual([]);
  }, 10_000);

  it('graceSchedule: checks after 1, 2, 4, ... ms, summing to the grace period', () => {
    expect(graceSchedule(100)).toEqual([1, 2, 4, 8, 16, 32, 37]);
    expect(graceSchedule(0)).toEqual([]);
    expect(graceSchedule(5).reduce((a, b) => a + b, 0)).toBe(5);
  });
});

describe('listeners', () => {
  it('reports a listener left on an AbortSignal, from where it was added', async () => {
    const controller = new AbortController();
    const leaks = await leaksOf(() => controller.signal.addEventListener('abort', () => undefined));
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ kind: 'listener', message: "'abort' listener added during the test is still attached to its AbortSignal (never aborted)" });
    expect(firstFrame(leaks[0]!)).toContain(`${THIS_FILE}:`);
  });

  it('does not report listeners that went away: { once: true } fired, { signal } aborted, removeEventListener', async () => {
    const target = new EventTarget();
    const leaks = await leaksOf(() => {
      const fired = new AbortController();
      fired.signal.addEventListener('abort', () => undefined, { once: true });
      fired.abort();
      const until = new AbortController();
      target.addEventListener('tick', () => undefined, { signal: until.signal });
      until.abort();
      const listener = { handleEvent: () => undefined };
      target.addEventListener('tick', listener);
      target.removeEventListener('tick', listener);
    });
    expect(leaks).toEqual([]);
  });

  it('kinds leaves the others out', async () => {
    const target = new EventTarget();
    expect(await leaksOf(() => target.addEventListener('tick', () => undefined), { kinds: ['timer'] })).toEqual([]);
  });
});

describe('promises', () => {
  it('reports promises an included module leaves pending, from the module, and not those it settles', async () => {
    const fixture = (await import(PROMISES_FIXTURE)) as typeof import('../fixtures/leaks/promises.js');
    cleanups.push(() => fixture.releaseAll());
    const leaks = await leaksOf(
      async () => {
        void fixture.pendingForever();
        expect(await fixture.finishes()).toBe(1);
      },
      { include: [PROMISES_FIXTURE] },
    );
    expect(leaks.map((l) => [l.kind, l.message])).toEqual([['promise', 'promise created during the test by new Promise() is still pending']]);
    expect(firstFrame(leaks[0]!)).toMatch(/^at (Module\.)?pendingForever \(.*test\/fixtures\/leaks\/promises\.ts:\d+:\d+\)$/);
  });

  it('counts only promises whose first user frame is in an included file', async () => {
    const fixture = (await import(PROMISES_FIXTURE)) as typeof import('../fixtures/leaks/promises.js');
    cleanups.push(() => fixture.releaseAll());
    const run = (include: readonly string[] | ((file: string) => boolean) | undefined) =>
      leaksOf(
        () => {
          void fixture.pendingForever();
          void new Promise(() => undefined); // created by this test file
        },
        include === undefined ? {} : { include },
      );
    expect((await run(undefined)).map((l) => firstFrame(l))).toEqual([expect.stringContaining('promises.ts')]);
    expect(await run([])).toEqual([]);
    expect(await run((file) => file === THIS_FILE)).toHaveLength(1);
  });

  it('Promise.resolve(value) and Promise.reject(reason) still behave while wrapped', async () => {
    await expectNoLeaks(async () => {
      expect(await Promise.resolve(7)).toBe(7);
      await expect(Promise.reject(new Error('no'))).rejects.toThrow('no');
      const native = Promise.resolve(1);
      expect(Promise.resolve(native)).toBe(native);
      class Sub<T> extends Promise<T> {}
      expect(Sub.resolve(1)).toBeInstanceOf(Sub);
      expect(await Promise.resolve({ then: (resolve: (v: number) => void) => resolve(3) })).toBe(3);
      expect(Promise.resolve.name).toBe('resolve');
    });
  });
});

/** Node's `gc()`, switched on at run time (as `--expose-gc` would); undefined where the runtime refuses. */
function exposeGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
const gc = exposeGc();

describe('what the detector keeps', () => {
  it.skipIf(gc === undefined)('keeps nothing of the user alive: a receiver on a recorded creation stack is collectable while it runs', async () => {
    class Holder {
      readonly payload = new Array<number>(1000).fill(1);
      make(): Promise<number> {
        return new Promise((resolve) => resolve(this.payload.length));
      }
    }
    const detector = createLeakDetector({ include: (file) => file === THIS_FILE });
    detector.start();
    let collected: boolean;
    try {
      let holder: Holder | undefined = new Holder();
      const ref = new WeakRef(holder);
      await holder.make(); // its creation site (and so this stack, with `holder` as a receiver) is recorded
      holder = undefined;
      await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets live until the current job ends
      gc?.();
      collected = ref.deref() === undefined;
    } finally {
      expect(await detector.stop()).toEqual([]);
    }
    expect(collected).toBe(true);
  });
});

describe('detector state and options', () => {
  it('start() twice throws LeakDetectorStateError; stop() without start(), or while stopping, rejects with it', async () => {
    const detector = createLeakDetector();
    await expect(detector.stop()).rejects.toBeInstanceOf(LeakDetectorStateError);
    detector.start();
    expect(() => detector.start()).toThrow(LeakDetectorStateError);
    expect(await detector.stop()).toEqual([]);
    detector.start();
    const stopping = detector.stop();
    await expect(detector.stop()).rejects.toBeInstanceOf(LeakDetectorStateError);
    expect(() => detector.start()).toThrow(/already stopping/);
    expect(await stopping).toEqual([]);
  });

  it('nested detectors share the patched builtins and each restores only its own', async () => {
    const outer = createLeakDetector({ kinds: ['listener'] });
    outer.start();
    await expectNoLeaks(() => undefined, { kinds: ['listener'] });
    const target = new EventTarget();
    target.addEventListener('after-inner', () => undefined);
    const leaks = await outer.stop();
    expect(leaks.map((l) => l.message)).toEqual(["'after-inner' listener added during the test is still attached to its EventTarget"]);
  });

  it('rejects invalid options with LeakConfigError naming the option, the value and its type', () => {
    expect(() => createLeakDetector({ graceMs: -1 })).toThrow(LeakConfigError);
    expect(() => createLeakDetector({ graceMs: Number.NaN })).toThrow(/`graceMs`.*`NaN` \(number\)/);
    expect(() => createLeakDetector({ graceMs: '5' as unknown as number })).toThrow(/`graceMs`.*`5` \(string\)/);
    expect(() => createLeakDetector({ kinds: ['timer', 'goroutine' as 'timer'] })).toThrow(/`kinds`.*`goroutine` \(string\)/);
    expect(() => createLeakDetector({ include: 5 as unknown as string[] })).toThrow(/`include`.*`5` \(number\)/);
    try {
      createLeakDetector({ graceMs: -1 });
    } catch (error) {
      expect(error).toMatchObject({ name: 'LeakConfigError', code: 'ERR_LEAK_CONFIG' });
    }
  });
});

describe('installLeakHooks (with a stand-in for vitest)', () => {
  function hooks(options: Parameters<typeof installLeakHooks>[1]) {
    let before: (() => Promise<void>) | undefined;
    let after: ((context: LeakTestContext) => Promise<void>) | undefined;
    installLeakHooks({ beforeEach: (fn) => (before = fn), afterEach: (fn) => (after = fn) }, options);
    return { before: before!, after: after! };
  }

  const context = (state?: string): LeakTestContext => ({
    task: { name: 'leaks a timer', file: { filepath: '/project/a.test.ts' }, suite: { name: 'outer', suite: { name: 'a.test.ts' } }, result: { state } },
  });

  it('afterEach throws LeakError and appends one JSON line per leak to the report file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-leak-report-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const reportFile = join(dir, 'leaks.jsonl');
    const { before, after } = hooks({ reportFile, kinds: ['timer'] });
    for (let round = 0; round < 2; round++) {
      await before();
      const timer = setInterval(() => undefined, 1000);
      cleanups.push(() => clearInterval(timer));
      await expect(after(context('run'))).rejects.toBeInstanceOf(LeakError);
    }
    const lines = readFileSync(reportFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ testFile: '/project/a.test.ts', test: 'leaks a timer', fullName: 'outer > leaks a timer', kind: 'timer' });
    expect(lines[0]!['stack']).toMatch(/^at /);
  });

  it('afterEach passes a clean test, and does not pile leaks onto a test that already failed', async () => {
    const { before, after } = hooks({ kinds: ['timer'] });
    await before();
    await expect(after(context('run'))).resolves.toBeUndefined();
    await before();
    const timer = setInterval(() => undefined, 1000);
    cleanups.push(() => clearInterval(timer));
    await expect(after(context('fail'))).resolves.toBeUndefined();
  });

  it('beforeEach starts afresh when the previous test never reached afterEach', async () => {
    const { before, after } = hooks({ kinds: ['timer'] });
    await before();
    const timer = setInterval(() => undefined, 1000);
    cleanups.push(() => clearInterval(timer));
    await before(); // no afterEach in between: what the first detector saw is dropped
    await expect(after(context('run'))).resolves.toBeUndefined();
  });

  it('reads its options from the environment of the setup file', () => {
    expect(leakHooksOptionsFromEnv({})).toEqual({});
    expect(
      leakHooksOptionsFromEnv({ CONCURRENCY_KIT_LEAKS_MODULES: '["/p/a.ts"]', CONCURRENCY_KIT_LEAKS_REPORT: '/tmp/r.jsonl', CONCURRENCY_KIT_LEAKS_GRACE_MS: '250' }),
    ).toEqual({ include: ['/p/a.ts'], reportFile: '/tmp/r.jsonl', graceMs: 250 });
    expect(() => leakHooksOptionsFromEnv({ CONCURRENCY_KIT_LEAKS_MODULES: '/p/a.ts' })).toThrow(/CONCURRENCY_KIT_LEAKS_MODULES.*JSON array/);
    expect(() => leakHooksOptionsFromEnv({ CONCURRENCY_KIT_LEAKS_GRACE_MS: 'soon' })).toThrow(LeakConfigError);
  });
});
