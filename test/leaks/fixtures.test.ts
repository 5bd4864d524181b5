/**
 * The leak detector against real vitest runs, wired as `verify` wires it (see test/helpers/leak-run.ts): every
 * leaky fixture test fails and is reported with exactly its kind and a stack whose first frame is the fixture
 * module that leaked; every clean counterpart passes with nothing reported. One vitest run for both files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join, relative } from 'node:path';
import { REPO } from '../helpers/temp-project.js';
import { runUnderDetector, type LeakRun } from '../helpers/leak-run.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'leaks');
const MODULES = ['timers', 'immediates', 'workers', 'ports', 'sockets', 'files', 'listeners', 'promises', 'rejections'].map((m) => join(FIXTURES, `${m}.ts`));

/** Each leaky fixture test: the kind it must be reported as, the module its stack must start in, and (some) the message. */
const LEAKY: readonly { test: string; kind: string; module: string; message?: RegExp }[] = [
  { test: 'timer: setTimeout left pending', kind: 'timer', module: 'timers.ts', message: /^setTimeout\(…, 60000 ms\) created during the test is still active$/ },
  { test: 'timer: setInterval never cleared', kind: 'timer', module: 'timers.ts', message: /^setInterval\(…, 1000 ms\) created during the test is still active$/ },
  { test: "timer: unref'd setInterval never cleared", kind: 'timer', module: 'timers.ts', message: /unref'd/ },
  { test: 'immediate: setImmediate that keeps re-arming itself', kind: 'immediate', module: 'immediates.ts' },
  { test: 'worker: worker thread never terminated', kind: 'worker', module: 'workers.ts' },
  { test: 'message-port: MessageChannel never closed', kind: 'message-port', module: 'ports.ts' },
  { test: 'socket: TCP server left listening', kind: 'socket', module: 'sockets.ts', message: /^TCP server created during the test/ },
  { test: 'file-handle: FileHandle never closed', kind: 'file-handle', module: 'files.ts' },
  { test: 'listener: abort listener left on a signal', kind: 'listener', module: 'listeners.ts', message: /^'abort' listener .* AbortSignal \(never aborted\)$/ },
  { test: 'listener: EventTarget listener never removed', kind: 'listener', module: 'listeners.ts', message: /^'tick' listener/ },
  { test: 'promise: deferred never resolved', kind: 'promise', module: 'promises.ts', message: /new Promise\(\) is still pending/ },
  { test: 'promise: async function suspended forever', kind: 'promise', module: 'promises.ts' },
  { test: 'unhandled-rejection: rejection nobody handles', kind: 'unhandled-rejection', module: 'rejections.ts', message: /nobody handles this rejection/ },
];

const CLEAN: readonly string[] = [
  'timer: cleared timeout and interval',
  'timer: setTimeout(0) that fires after the test, within the grace period',
  "timer: interval cleared by the test file's own afterEach",
  'immediate: setImmediate that runs once',
  'worker: worker thread terminated',
  'message-port: MessageChannel closed',
  'socket: server and client closed',
  'file-handle: FileHandle closed',
  'listener: { once: true } listener that fired',
  'listener: { signal } listener removed by aborting that signal',
  'listener: listener removed with removeEventListener',
  'promise: async function that finishes',
  'promise: promise that settles after the test, within the grace period',
  'promise: pending promises created by the test file itself are not tracked',
  'unhandled-rejection: rejection handled',
];

let run: LeakRun;

beforeAll(async () => {
  run = await runUnderDetector({ root: FIXTURES, testFiles: [join(FIXTURES, 'leaky.test.ts'), join(FIXTURES, 'clean.test.ts')], include: MODULES });
}, 180_000);

describe('the detector under vitest, wired as verify wires it', () => {
  it('ran every fixture test, from a setup file outside the project root, and failed the run', () => {
    expect(relative(FIXTURES, run.setupFile)).toMatch(/^\.\./);
    expect([...run.status.keys()].sort(), run.output).toEqual([...LEAKY.map((l) => l.test), ...CLEAN].sort());
    expect(run.exitCode).toBe(1);
  });

  for (const leaky of LEAKY) {
    it(`fails and reports "${leaky.test}" as ${leaky.kind}, from ${leaky.module}`, () => {
      expect(run.status.get(leaky.test), run.output).toBe('failed');
      const lines = run.report.filter((line) => line.test === leaky.test);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.kind).toBe(leaky.kind);
        expect(line.testFile).toBe(join(FIXTURES, 'leaky.test.ts'));
        expect(line.stack.split('\n')[0]).toMatch(new RegExp(`^at .*${join(FIXTURES, leaky.module).replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+\\)?$`));
        if (leaky.message) expect(line.message).toMatch(leaky.message);
      }
    });
  }

  it('reports a suspended async function by name, and the promise it waits on', () => {
    const lines = run.report.filter((line) => line.test === 'promise: async function suspended forever').map((line) => line.message);
    expect(lines).toEqual(
      expect.arrayContaining([expect.stringMatching(/^async function suspendedForever\(\) was called during the test and never finished/), expect.stringMatching(/new Promise\(\)/)]),
    );
  });

  for (const clean of CLEAN) {
    it(`passes "${clean}" with nothing reported`, () => {
      expect(run.status.get(clean), run.output).toBe('passed');
      expect(run.report.filter((line) => line.test === clean)).toEqual([]);
    });
  }
});

describe('the ready-made setup file concurrency-kit/leaks/setup', () => {
  it('reads the promise include filter and the report file from CONCURRENCY_KIT_LEAKS_*', async () => {
    // Only timers.ts is included: the suspended async function in promises.ts no longer counts, the interval does.
    const packaged = await runUnderDetector({
      root: FIXTURES,
      testFiles: [join(FIXTURES, 'leaky.test.ts')],
      include: [join(FIXTURES, 'timers.ts')],
      setup: 'package',
      testNamePattern: '^(promise: async function suspended forever|timer: setInterval never cleared)$',
    });
    expect(packaged.status.get('promise: async function suspended forever'), packaged.output).toBe('passed');
    expect(packaged.status.get('timer: setInterval never cleared')).toBe('failed');
    expect(packaged.report.map((line) => [line.test, line.kind])).toEqual([['timer: setInterval never cleared', 'timer']]);
  }, 180_000);
});
