/** `concurrency-kit verify [paths...]`: thin command over {@link verify}. */
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors.js';
import { verify } from '../../verify/verify.js';
import { parseBudgetOverrides } from '../../verify/budget.js';
import { printReport } from '../../verify/report.js';
import type { Output } from '../output.js';

/** Runs `verify`; exit 1 when any module fails. */
export async function verifyCommand(
  paths: readonly string[],
  flags: { json: boolean; leaks?: boolean; bench?: boolean; budget?: readonly string[]; cwd?: string; timeout?: string },
  out: Output,
  signal: AbortSignal,
): Promise<ExitCodeValue> {
  let timeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    const seconds = Number(flags.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout accepts a number of seconds > 0; received "${flags.timeout}".`);
    timeoutMs = seconds * 1000;
  }
  const budgets = flags.budget ?? [];
  if (budgets.length > 0 && !flags.bench) {
    throw new UsageError(`--budget applies to the benchmark, which runs only with --bench; add --bench (got --budget ${budgets.join(' --budget ')}).`);
  }
  // Parsed before anything runs, so a bad flag costs nothing.
  const budgetOverrides = parseBudgetOverrides(budgets);
  const report = await verify({
    paths,
    ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    leaks: flags.leaks !== false,
    bench: flags.bench === true,
    budgetOverrides,
    onProgress: (m) => out.progress(m),
    signal,
  });
  if (out.json) out.printJson(report);
  else printReport(report, out);
  return report.ok ? ExitCode.ok : ExitCode.verificationFailed;
}
