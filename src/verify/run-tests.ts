/**
 * Runs the generated modules' vitest tests through execa: the project's own vitest when it has one, else the kit's.
 * The run uses a config of verify's own, written to a temp dir, so nothing of the user's project changes and
 * nothing in it (include/exclude, environment, setup files) changes what is proved: it includes exactly the generated
 * test files, points `vitest` imports at the vitest that runs them, adds the leak-check setup file when asked, and
 * exposes `gc()` (`--expose-gc`) for the retained-memory tests. Results come from vitest's JSON reporter.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { testIdOf, type TestCase } from '../checklist/evaluate.js';
import { posixRelative } from '../paths.js';
import { resolveVitest, spawnVitest } from './vitest-runner.js';

/** One failing test. */
export interface TestFailure {
  /** Full test name (`describe > it`). */
  readonly test: string;
  /** First lines of the failure message. */
  readonly message: string;
}

/** Test results of one test file. */
export interface TestResult {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly failures: readonly TestFailure[];
}

/** Results of one test file: the counts for the report, and every case for the checklist. */
export interface FileTestRun {
  readonly result: TestResult;
  readonly cases: readonly TestCase[];
}

/** What {@link runTests} returns: results by absolute test-file path, plus which vitest ran. */
export interface TestRun {
  readonly byFile: ReadonlyMap<string, FileTestRun>;
  readonly vitest: { readonly source: 'project' | 'kit'; readonly version: string };
  /** Set when vitest itself failed (crash, bad config, no test files found) rather than a test. */
  readonly runnerError: string | null;
}

/** Options of {@link runTests}. */
export interface RunTestsOptions {
  /** Aborting kills the vitest process group. */
  readonly signal?: AbortSignal | undefined;
  /** Kill the run after this long (ms) and report it as a runner error. @defaultValue {@link DEFAULT_TEST_TIMEOUT_MS} */
  readonly timeoutMs?: number | undefined;
  /**
   * Run every test under the leak check: the generated module files whose pending promises count as leaks, and the
   * JSON-lines file the detector appends each leak to.
   */
  readonly leaks?: { readonly modules: readonly string[]; readonly reportFile: string } | undefined;
}

interface VitestJson {
  testResults?: {
    name: string;
    status?: string;
    message?: string;
    assertionResults?: { fullName?: string; title?: string; status: string; failureMessages?: string[] }[];
  }[];
}

function trimMessage(message: string, lines = 6): string {
  return message.split('\n').slice(0, lines).join('\n').trim();
}

/** How long one vitest run may take before its whole process group is killed (ms). */
export const DEFAULT_TEST_TIMEOUT_MS = 10 * 60_000;

/** Absolute path of the kit's built vitest glue of the leak detector. */
export const LEAK_HOOKS_MODULE = join(import.meta.dirname, '..', '..', 'dist', 'leaks', 'vitest.js');

function configSource(vitestEntry: string, include: readonly string[], setupFiles: readonly string[]): string {
  // `vitest` (exactly, not its subpaths) resolves to the vitest that runs the tests: the project's test files find it
  // anyway, but the leak setup file lives in a temp dir, and projects without vitest use the kit's copy.
  return [
    'export default {',
    `  resolve: { alias: [{ find: /^vitest$/, replacement: ${JSON.stringify(vitestEntry)} }] },`,
    `  test: { include: ${JSON.stringify(include)}, setupFiles: ${JSON.stringify(setupFiles)}, pool: 'forks', sequence: { hooks: 'stack' } },`,
    '};',
    '',
  ].join('\n');
}

function setupSource(modules: readonly string[], reportFile: string): string {
  return [
    "import { afterEach, beforeEach } from 'vitest';",
    `import { installLeakHooks } from ${JSON.stringify(pathToFileURL(LEAK_HOOKS_MODULE).href)};`,
    `installLeakHooks({ beforeEach, afterEach }, { include: ${JSON.stringify(modules)}, reportFile: ${JSON.stringify(reportFile)} });`,
    '',
  ].join('\n');
}

/**
 * Runs the given test files once (`vitest run`) with `projectRoot` as root, under verify's own config (see the file
 * comment), with `gc()` exposed. vitest runs in a process group of its own, so a timeout or an abort kills its fork
 * workers too.
 */
export async function runTests(testFiles: readonly string[], projectRoot: string, options: RunTestsOptions = {}): Promise<TestRun> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  const vitest = resolveVitest(projectRoot);
  const { source, version } = vitest;
  const work = await mkdtemp(join(tmpdir(), 'concurrency-kit-verify-'));
  try {
    const outputFile = join(work, 'results.json');
    const relativeFiles = testFiles.map((f) => posixRelative(projectRoot, f));
    const setupFiles: string[] = [];
    if (options.leaks) {
      const setup = join(work, 'leak-setup.mjs');
      await writeFile(setup, setupSource(options.leaks.modules, options.leaks.reportFile));
      setupFiles.push(setup);
    }
    const config = join(work, 'vitest.config.mjs');
    await writeFile(config, configSource(vitest.entry, relativeFiles, setupFiles));
    const args = ['run', ...relativeFiles, '--root', projectRoot, '--config', config, '--reporter=json', `--outputFile=${outputFile}`];
    const nodeOptions = [process.env['NODE_OPTIONS'], '--expose-gc'].filter(Boolean).join(' ');
    const child = await spawnVitest(vitest, args, { cwd: projectRoot, signal: options.signal, timeoutMs, env: { NODE_OPTIONS: nodeOptions } });
    if (child.timedOut) {
      return {
        byFile: new Map(),
        vitest: { source, version },
        runnerError: `vitest did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped (a test that never settles?)`,
      };
    }
    let parsed: VitestJson | null = null;
    try {
      parsed = JSON.parse(await readFile(outputFile, 'utf8')) as VitestJson;
    } catch {
      parsed = null;
    }
    const byFile = new Map<string, FileTestRun>();
    for (const file of parsed?.testResults ?? []) {
      const assertions = file.assertionResults ?? [];
      const failures: TestFailure[] = assertions
        .filter((a) => a.status === 'failed')
        .map((a) => ({ test: a.fullName ?? a.title ?? '(unnamed)', message: trimMessage((a.failureMessages ?? []).join('\n'), 12) }));
      if (assertions.length === 0 && file.status === 'failed') {
        failures.push({ test: '(file)', message: trimMessage(file.message ?? 'the test file failed to load') });
      }
      const cases = assertions.map((a): TestCase => {
        const title = a.title ?? a.fullName ?? '';
        const status = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
        return { id: testIdOf(title), title, status };
      });
      byFile.set(file.name, {
        result: {
          passed: cases.filter((c) => c.status === 'passed').length,
          failed: failures.length,
          skipped: cases.filter((c) => c.status === 'skipped').length,
          failures,
        },
        cases,
      });
    }
    const runnerError =
      parsed === null ? `vitest did not produce results (exit ${child.exitCode ?? child.signal}):\n${trimMessage(child.output.split('\n').slice(-12).join('\n'))}` : null;
    return { byFile, vitest: { source, version }, runnerError };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
