/**
 * Runs the generated modules' vitest tests through execa: the project's own vitest when it has one,
 * else the kit's own (with `vitest` aliased so the test files' imports resolve). Results come from
 * vitest's JSON reporter, written to a temp file so nothing of the user's project changes.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** What {@link runTests} returns: results by absolute test-file path, plus which vitest ran. */
export interface TestRun {
  readonly byFile: ReadonlyMap<string, TestResult>;
  readonly vitest: { readonly source: 'project' | 'kit'; readonly version: string };
  /** Set when vitest itself failed (crash, bad config, no test files found) rather than a test. */
  readonly runnerError: string | null;
  /** True when the run was stopped at its time limit. */
  readonly timedOut: boolean;
}

interface VitestJson {
  testResults?: {
    name: string;
    status?: string;
    message?: string;
    assertionResults?: { fullName?: string; title?: string; status: string; failureMessages?: string[] }[];
  }[];
}

function trimMessage(message: string): string {
  return message.split('\n').slice(0, 6).join('\n').trim();
}

/** How long one vitest run may take before its whole process group is killed (ms). */
export const DEFAULT_TEST_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs the given test files once (`vitest run`) with `projectRoot` as root. vitest runs in a process group of its
 * own, so a timeout or an abort kills its fork workers too (a killed vitest can otherwise orphan them, still
 * spinning on a hung test).
 * @param signal - aborting kills the vitest process group
 * @param timeoutMs - kill the run after this long (ms) and report it as a runner error
 */
export async function runTests(
  testFiles: readonly string[],
  projectRoot: string,
  signal?: AbortSignal,
  timeoutMs: number = DEFAULT_TEST_TIMEOUT_MS,
  options: { readonly ownConfig?: boolean } = {},
): Promise<TestRun> {
  const vitest = resolveVitest(projectRoot);
  const { source, version } = vitest;
  const work = await mkdtemp(join(tmpdir(), 'concurrency-kit-verify-'));
  try {
    const outputFile = join(work, 'results.json');
    const relativeFiles = testFiles.map((f) => posixRelative(projectRoot, f));
    const args = ['run', ...relativeFiles, '--root', projectRoot, '--reporter=json', `--outputFile=${outputFile}`];
    if (source === 'kit' || options.ownConfig) {
      // A config of our own: the generated tests need nothing from the project's. It includes exactly these files
      // (for projects whose vitest include does not cover them) and, when the project has no vitest, points the
      // test files' `import ... from 'vitest'` at the kit's copy.
      const config = join(work, 'vitest.config.mjs');
      const alias = source === 'kit' ? { vitest: vitest.entry } : {};
      await writeFile(config, `export default ${JSON.stringify({ resolve: { alias }, test: { include: relativeFiles } })};\n`);
      args.push('--config', config);
    }
    const child = await spawnVitest(vitest, args, { cwd: projectRoot, signal, timeoutMs });
    const timedOut = child.timedOut;
    if (timedOut) {
      return {
        byFile: new Map(),
        vitest: { source, version },
        runnerError: `vitest did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped (a test that never settles?)`,
        timedOut: true,
      };
    }
    let parsed: VitestJson | null = null;
    try {
      parsed = JSON.parse(await readFile(outputFile, 'utf8')) as VitestJson;
    } catch {
      parsed = null;
    }
    const byFile = new Map<string, TestResult>();
    for (const file of parsed?.testResults ?? []) {
      const assertions = file.assertionResults ?? [];
      const failures: TestFailure[] = assertions
        .filter((a) => a.status === 'failed')
        .map((a) => ({ test: a.fullName ?? a.title ?? '(unnamed)', message: trimMessage((a.failureMessages ?? []).join('\n')) }));
      if (assertions.length === 0 && file.status === 'failed') {
        failures.push({ test: '(file)', message: trimMessage(file.message ?? 'the test file failed to load') });
      }
      byFile.set(file.name, {
        passed: assertions.filter((a) => a.status === 'passed').length,
        failed: failures.length,
        skipped: assertions.filter((a) => a.status === 'skipped' || a.status === 'pending' || a.status === 'todo').length,
        failures,
      });
    }
    const runnerError =
      parsed === null ? `vitest did not produce results (exit ${child.exitCode ?? child.signal}):\n${trimMessage(child.output.split('\n').slice(-12).join('\n'))}` : null;
    return { byFile, vitest: { source, version }, runnerError, timedOut: false };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
