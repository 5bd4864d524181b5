/** `concurrency-kit verify [paths...]`: thin command over {@link verify}. */
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors.js';
import { verify } from '../../verify/verify.js';
import { printReport } from '../../verify/report.js';
import type { Output } from '../output.js';

/** Runs `verify`; exit 1 when any module fails. */
export async function verifyCommand(
  paths: readonly string[],
  flags: { json: boolean; leaks?: boolean; cwd?: string; timeout?: string },
  out: Output,
  signal: AbortSignal,
): Promise<ExitCodeValue> {
  let timeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout accepts a number of seconds > 0; received "${flags.timeout}".`);
    timeoutMs = seconds * 1000;
  }
  const report = await verify({
    paths,
    ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    leaks: flags.leaks !== false,
    onProgress: (m) => out.progress(m),
    signal,
  });
  if (out.json) out.printJson(report);
  else printReport(report, out);
  return report.ok ? ExitCode.ok : ExitCode.verificationFailed;
}
