/**
 * Runs test files in a real vitest child process under the kit's built leak detector, wired exactly as `verify`
 * wires it: a setup file written into a temp dir outside the project root that imports `installLeakHooks` from
 * the kit's `dist/leaks/vitest.js` by file URL and passes it the running vitest's hooks, a config of our own that
 * includes exactly the test files and aliases `vitest` to the kit's copy, and a JSON-lines leak report.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import type { LeakReportLine } from '../../src/leaks/vitest.js';
import { REPO } from './temp-project.js';

/** The kit's vitest CLI and entry (what `verify` uses when the project has no vitest of its own). */
export const KIT_VITEST = { bin: join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), entry: join(REPO, 'node_modules', 'vitest', 'dist', 'index.js') };

/** How one run under the detector went. */
export interface LeakRun {
  readonly exitCode: number;
  /** Test status by test title (`it('title')`), as vitest's JSON reporter gives it. */
  readonly status: ReadonlyMap<string, string>;
  /** Every report line, in the order written. */
  readonly report: readonly LeakReportLine[];
  /** vitest's stdout and stderr, for failure messages. */
  readonly output: string;
  /** The setup file's absolute path (in a temp dir outside `root`). */
  readonly setupFile: string;
}

/** What {@link runUnderDetector} runs. */
export interface LeakRunOptions {
  /** The project root vitest runs in. */
  readonly root: string;
  /** Absolute paths of the test files. */
  readonly testFiles: readonly string[];
  /** Absolute paths of the module files whose pending promises count (the detector's `include`). */
  readonly include: readonly string[];
  /**
   * `verify` (default): a setup file of our own passing vitest's hooks to `installLeakHooks`. `package`: the
   * kit's ready-made `dist/leaks/setup.js`, configured through the CONCURRENCY_KIT_LEAKS_* environment variables.
   */
  readonly setup?: 'verify' | 'package';
  /** Only the tests whose names match (vitest's `--testNamePattern`). */
  readonly testNamePattern?: string;
  /** Kill the run after this long (ms). */
  readonly timeoutMs?: number;
}

interface VitestJson {
  testResults?: { assertionResults?: { title: string; status: string }[] }[];
}

/** Runs `testFiles` once under the detector; the temp dir is removed before it returns. */
export async function runUnderDetector(options: LeakRunOptions): Promise<LeakRun> {
  const work = mkdtempSync(join(tmpdir(), 'ck-leaks-'));
  try {
    const reportFile = join(work, 'leaks.jsonl');
    const setupFile = options.setup === 'package' ? join(REPO, 'dist', 'leaks', 'setup.js') : join(work, 'leak-setup.mjs');
    const resultsFile = join(work, 'results.json');
    const detector = pathToFileURL(join(REPO, 'dist', 'leaks', 'vitest.js')).href;
    if (options.setup !== 'package') writeFileSync(
      setupFile,
      [
        "import { beforeEach, afterEach } from 'vitest';",
        `import { installLeakHooks } from ${JSON.stringify(detector)};`,
        `installLeakHooks({ beforeEach, afterEach }, { include: ${JSON.stringify(options.include)}, reportFile: ${JSON.stringify(reportFile)} });`,
        '',
      ].join('\n'),
    );
    const include = options.testFiles.map((file) => relative(options.root, file).split(sep).join('/'));
    const config = join(work, 'vitest.config.mjs');
    writeFileSync(config, `export default ${JSON.stringify({ resolve: { alias: { vitest: KIT_VITEST.entry } }, test: { include, setupFiles: [setupFile] } })};\n`);
    const args = ['run', '--root', options.root, '--config', config, '--reporter=json', `--outputFile=${resultsFile}`];
    if (options.testNamePattern !== undefined) args.push('--testNamePattern', options.testNamePattern);
    const packageEnv = options.setup === 'package' ? { CONCURRENCY_KIT_LEAKS_MODULES: JSON.stringify(options.include), CONCURRENCY_KIT_LEAKS_REPORT: reportFile } : {};
    const child = await execa(process.execPath, [KIT_VITEST.bin, ...args], {
      cwd: options.root,
      reject: false,
      all: true,
      timeout: options.timeoutMs ?? 120_000,
      env: { CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', ...packageEnv },
    });
    const status = new Map<string, string>();
    if (existsSync(resultsFile)) {
      const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as VitestJson;
      for (const file of results.testResults ?? []) for (const test of file.assertionResults ?? []) status.set(test.title, test.status);
    }
    const report = existsSync(reportFile)
      ? readFileSync(reportFile, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as LeakReportLine)
      : [];
    return { exitCode: child.exitCode ?? -1, status, report, output: String(child.all ?? ''), setupFile };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
