/**
 * Vitest integration without importing vitest: {@link installLeakHooks} takes the `beforeEach` and `afterEach`
 * of the vitest that runs the tests, so the hooks never bind to a second copy of vitest (the kit's own, say).
 */
import { appendFileSync } from 'node:fs';
import { createLeakDetector, LeakConfigError, LeakError, type Leak, type LeakDetector, type LeakDetectorOptions } from './detector.js';

/** The parts of vitest's test context the hooks read (`ctx.task`); vitest's own context satisfies it. */
export interface LeakTestContext {
  /** The running test: its name, file, enclosing suites and result so far. */
  readonly task: {
    readonly name: string;
    readonly file?: { readonly filepath: string } | undefined;
    /** The enclosing `describe` blocks (the file's own suite has no `suite`). */
    readonly suite?: LeakSuite | undefined;
    readonly result?: { readonly state?: string | undefined } | undefined;
  };
}

/** A `describe` block, as far as the hooks read it. */
export interface LeakSuite {
  /** The `describe` name (the file's own suite is named after the file). */
  readonly name: string;
  /** The enclosing suite, if any. */
  readonly suite?: LeakSuite | undefined;
}

/** vitest's `beforeEach` and `afterEach` (pass them straight from `import { beforeEach, afterEach } from 'vitest'`). */
export interface LeakHooksApi {
  /** Registers a hook run before each test. */
  readonly beforeEach: (fn: () => Promise<void>) => void;
  /** Registers a hook run after each test, given the test's context. */
  readonly afterEach: (fn: (context: LeakTestContext) => Promise<void>) => void;
}

/** Options of {@link installLeakHooks}: the detector's, plus where to write a report. */
export interface LeakHooksOptions extends LeakDetectorOptions {
  /**
   * When set, every leak is also appended to this file as one JSON line (see {@link LeakReportLine}), with
   * `appendFileSync`, so parallel vitest workers can share one file.
   */
  readonly reportFile?: string | undefined;
}

/** One line of the report file written by {@link installLeakHooks}. */
export interface LeakReportLine {
  /** Absolute path of the test file. */
  readonly testFile: string;
  /** The test's own name (`it('name')`). */
  readonly test: string;
  /** The enclosing `describe` names and the test name, joined by `" > "`. */
  readonly fullName: string;
  /** See {@link Leak.kind}. */
  readonly kind: Leak['kind'];
  /** See {@link Leak.message}. */
  readonly message: string;
  /** See {@link Leak.stack}: one `at ...` line per user frame, the first where the leak was created. */
  readonly stack: string;
}

function fullName(task: LeakTestContext['task']): string {
  const names = [task.name];
  // The outermost suite is the file itself; it has no parent suite.
  for (let suite = task.suite; suite?.suite !== undefined; suite = suite.suite) names.unshift(suite.name);
  return names.join(' > ');
}

/**
 * Registers a `beforeEach` that starts a leak detector and an `afterEach` that stops it and throws
 * {@link LeakError} when the test leaked, so the test fails (and, with `reportFile`, appends one JSON line per
 * leak). A test that has already failed is not reported again for what it left behind.
 *
 * Call it from a vitest setup file: its hooks then wrap each test's own. vitest runs `beforeEach` hooks in the
 * order registered and `afterEach` hooks in reverse (the default `sequence.hooks: 'stack'`), so the detector
 * starts before a test file's `beforeEach` and checks after that file's `afterEach` cleanup (with `sequence.hooks`
 * set to `'list'` or `'parallel'` it would check before that cleanup). Tests run with `it.concurrent` are not
 * told apart: each one's start discards what the detector saw for the one before, so overlapping tests are only
 * partly checked (never falsely failed).
 *
 * @example
 * ```ts
 * // vitest.setup.ts (vitest config: test.setupFiles: ['./vitest.setup.ts'])
 * import { beforeEach, afterEach } from 'vitest';
 * import { installLeakHooks } from 'concurrency-kit/leaks';
 * installLeakHooks({ beforeEach, afterEach }, { include: ['/abs/path/src/concurrency/worker-pool.ts'] });
 * ```
 * @param api - vitest's `beforeEach` and `afterEach`
 * @param options - see {@link LeakHooksOptions}
 * @throws {@link LeakConfigError} at once when an option is invalid
 */
export function installLeakHooks(api: LeakHooksApi, options: LeakHooksOptions = {}): void {
  const { reportFile, ...detectorOptions } = options;
  if (reportFile !== undefined && (typeof reportFile !== 'string' || reportFile === '')) {
    throw new LeakConfigError(`Expected \`reportFile\` to be a file path, got \`${String(reportFile)}\` (${typeof reportFile})`);
  }
  const detector: LeakDetector = createLeakDetector(detectorOptions);
  let running = false;
  api.beforeEach(async () => {
    // Still running: the previous test's afterEach never ran, or tests overlap (it.concurrent). Start afresh.
    if (running) await detector.stop();
    detector.start();
    running = true;
  });
  api.afterEach(async (context) => {
    if (!running) return;
    running = false;
    const leaks = await detector.stop();
    if (leaks.length === 0 || context.task.result?.state === 'fail') return;
    if (reportFile !== undefined) {
      const testFile = context.task.file?.filepath ?? '';
      const lines = leaks.map((leak) =>
        JSON.stringify({ testFile, test: context.task.name, fullName: fullName(context.task), kind: leak.kind, message: leak.message, stack: leak.stack } satisfies LeakReportLine),
      );
      appendFileSync(reportFile, `${lines.join('\n')}\n`);
    }
    throw new LeakError(leaks);
  });
}

/** Environment variables read by {@link leakHooksOptionsFromEnv} (and so by `concurrency-kit/leaks/setup`). */
export const LEAK_ENV = Object.freeze({
  /** JSON array of absolute module paths: the promise include filter. */
  modules: 'CONCURRENCY_KIT_LEAKS_MODULES',
  /** Path of the JSON-lines report file. */
  report: 'CONCURRENCY_KIT_LEAKS_REPORT',
  /** Grace period (ms). */
  graceMs: 'CONCURRENCY_KIT_LEAKS_GRACE_MS',
});

/**
 * Reads {@link LeakHooksOptions} from environment variables ({@link LEAK_ENV}); unset or empty ones keep the
 * defaults.
 * @throws {@link LeakConfigError} naming the variable when `CONCURRENCY_KIT_LEAKS_MODULES` is not a JSON array
 * of strings or `CONCURRENCY_KIT_LEAKS_GRACE_MS` is not a number
 */
export function leakHooksOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): LeakHooksOptions {
  const modules = env[LEAK_ENV.modules];
  const report = env[LEAK_ENV.report];
  const grace = env[LEAK_ENV.graceMs];
  let include: string[] | undefined;
  if (modules !== undefined && modules !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(modules);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((f) => typeof f === 'string')) {
      throw new LeakConfigError(`Expected ${LEAK_ENV.modules} to be a JSON array of absolute file paths, got \`${modules}\``);
    }
    include = parsed as string[];
  }
  let graceMs: number | undefined;
  if (grace !== undefined && grace !== '') {
    graceMs = Number(grace);
    if (!Number.isFinite(graceMs)) throw new LeakConfigError(`Expected ${LEAK_ENV.graceMs} to be a number of ms, got \`${grace}\``);
  }
  return {
    ...(include !== undefined ? { include } : {}),
    ...(report !== undefined && report !== '' ? { reportFile: report } : {}),
    ...(graceMs !== undefined ? { graceMs } : {}),
  };
}
