/** `concurrency-kit verify [paths...]`: thin command over {@link verify}. */
import { ExitCode, type ExitCodeValue } from '../../errors.js';
import { verify } from '../../verify/verify.js';
import { printReport } from '../../verify/report.js';
import type { Output } from '../output.js';

/** Runs `verify`; exit 1 when any module fails. */
export async function verifyCommand(paths: readonly string[], flags: { json: boolean; cwd?: string }, out: Output, signal: AbortSignal): Promise<ExitCodeValue> {
  const report = await verify({ paths, ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}), onProgress: (m) => out.progress(m), signal });
  if (out.json) out.printJson(report);
  else printReport(report, out);
  return report.ok ? ExitCode.ok : ExitCode.verificationFailed;
}
