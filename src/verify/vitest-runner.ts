/**
 * Which vitest runs the generated tests and benches, and how it is started: the project's own vitest when it
 * declares and installs one, else the kit's copy. vitest runs in a process group of its own so a time limit or an
 * abort kills its fork workers too (a killed vitest can otherwise orphan them, still spinning on a hung test).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageBin, readPackageJson } from '../project/project-files.js';
import { detectTestRunner } from '../project/test-runner.js';

/** A vitest installation that can run the project's generated files. */
export interface VitestInstall {
  readonly source: 'project' | 'kit';
  readonly version: string;
  /** Absolute path of the vitest CLI script. */
  readonly bin: string;
  /** Absolute path of the package's ESM entry (`dist/index.js`), the target of a `vitest` import alias. */
  readonly entry: string;
}

/**
 * Finds the vitest that runs files under `projectRoot`: the project's own only when its package.json declares
 * vitest and it is installed inside the project (see {@link detectTestRunner}); else the kit's copy, and it says so.
 */
export function resolveVitest(projectRoot: string): VitestInstall {
  const runner = detectTestRunner(projectRoot);
  const packageDir = runner.packageDir ?? dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
  const json = readPackageJson(packageDir)?.json ?? {};
  const version = runner.version ?? (typeof json['version'] === 'string' ? json['version'] : '0.0.0');
  return {
    source: runner.source,
    version,
    bin: packageBin({ dir: packageDir, version, json }, 'vitest') ?? join(packageDir, 'vitest.mjs'),
    entry: join(packageDir, 'dist', 'index.js'),
  };
}

/** How one vitest process ended. */
export interface VitestExit {
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** stdout and stderr interleaved. */
  readonly output: string;
  /** True when it was killed at its time limit. */
  readonly timedOut: boolean;
}

/** Options of {@link spawnVitest}. */
export interface SpawnVitestOptions {
  readonly cwd: string;
  /** Aborting kills the vitest process group. */
  readonly signal?: AbortSignal | undefined;
  /** Kill the process group after this long (ms). */
  readonly timeoutMs: number;
  /** Extra environment variables (on top of `CI=true`, no colour). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs `node <vitest bin> ...args` in its own process group and waits for it. Never rejects on a non-zero exit;
 * the caller reads the results it asked vitest to write. A signal that is already aborted kills the group at once.
 */
export async function spawnVitest(vitest: VitestInstall, args: readonly string[], options: SpawnVitestOptions): Promise<VitestExit> {
  const { execa } = await import('execa');
  const subprocess = execa(process.execPath, [vitest.bin, ...args], {
    cwd: options.cwd,
    reject: false,
    all: true,
    detached: process.platform !== 'win32',
    env: { CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1', ...options.env },
  });
  let timedOut = false;
  const killGroup = (): void => {
    const pid = subprocess.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') subprocess.kill('SIGKILL');
      else process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeoutMs);
  options.signal?.addEventListener('abort', killGroup, { once: true });
  // An 'abort' event that fired before the listener was added will not fire again.
  if (options.signal?.aborted) killGroup();
  try {
    const child = await subprocess;
    return { exitCode: child.exitCode, signal: child.signal, output: child.all ?? '', timedOut };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', killGroup);
  }
}
