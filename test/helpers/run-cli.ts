/** Runs the built CLI as a user would: a child process with CI=true, no TTY, a timeout, never rejecting. */
import { execa } from 'execa';
import { CLI, REPO } from './temp-project.js';

/** Exit code, stdout and stderr of one CLI run. */
export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs `concurrency-kit <args>` in `cwd`. */
export async function runCli(args: readonly string[], cwd: string, options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [CLI, ...args], {
    cwd,
    reject: false,
    timeout: options.timeoutMs ?? 90_000,
    env: { CI: 'true', NO_COLOR: '1', ...options.env },
    stdin: 'pipe',
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), timedOut: result.timedOut };
}

/** Runs the project's TypeScript compiler (`tsc -p <dir> --noEmit`) with the kit's typescript. */
export async function runTsc(dir: string): Promise<CliResult> {
  const result = await execa(process.execPath, [`${REPO}/node_modules/typescript/bin/tsc`, '-p', dir], { cwd: dir, reject: false, timeout: 120_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), timedOut: result.timedOut };
}
