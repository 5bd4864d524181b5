/** `concurrency-kit verify [paths...]`: thin command over {@link verify}, its human report, `--json` and `--format`. */
import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors.js';
import { normalizeSeparators } from '../../paths.js';
import { findProjectRoot } from '../../project/root.js';
import { formatReport, jsonReport, stepSummary } from '../../report/index.js';
import { verify } from '../../verify/verify.js';
import { parseBudgetOverrides } from '../../verify/budget.js';
import { verifyFindings } from '../../verify/findings.js';
import { printReport } from '../../verify/report.js';
import type { Output } from '../output.js';
import { ciReportInputs } from '../repository-paths.js';

/** The CI formats `verify --format` writes (the human report is the default; `--json` is verify's own report). */
export const VERIFY_FORMATS = ['json', 'sarif', 'github', 'junit'] as const;

/** One of {@link VERIFY_FORMATS}. */
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];

/** The flags of `verify`, as commander parses them. */
export interface VerifyFlags {
  readonly json: boolean;
  readonly leaks?: boolean;
  readonly bench?: boolean;
  readonly budget?: readonly string[];
  readonly cwd?: string | undefined;
  readonly timeout?: string | undefined;
  readonly format?: string | undefined;
  readonly outputFile?: string | undefined;
}

/**
 * Checks `--format` and `--output-file` and returns the format and the absolute output path (or null: stdout).
 * @throws {@link UsageError} for an unknown format, `--format` with `--json`, `--output-file` without `--format`, or an
 * output file whose folder does not exist or that is a folder.
 */
export function parseVerifyOutput(flags: Pick<VerifyFlags, 'json' | 'format' | 'outputFile'>, cwd: string): { format: VerifyFormat | null; outputFile: string | null } {
  const { format } = flags;
  if (format !== undefined && !(VERIFY_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format ${format}: expected one of ${VERIFY_FORMATS.join(', ')} (without --format, verify prints its report for people).`);
  }
  if (format !== undefined && flags.json) {
    throw new UsageError(`--json and --format ${format} both choose the output: --json prints verify's own report, --format json the same envelope as check --format json; give one.`);
  }
  if (flags.outputFile === undefined) return { format: (format ?? null) as VerifyFormat | null, outputFile: null };
  if (format === undefined) throw new UsageError(`--output-file ${flags.outputFile} needs --format ${VERIFY_FORMATS.join('|')}.`, 'ERR_OUTPUT_FILE');
  const outputFile = resolve(cwd, flags.outputFile);
  const dir = dirname(outputFile);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--output-file ${flags.outputFile}: folder ${dir} does not exist.`, 'ERR_OUTPUT_FILE');
  if (existsSync(outputFile) && statSync(outputFile).isDirectory()) throw new UsageError(`--output-file ${flags.outputFile} is a folder.`, 'ERR_OUTPUT_FILE');
  return { format: format as VerifyFormat, outputFile };
}

/** Runs `verify`; exit 1 when any module fails. */
export async function verifyCommand(
  paths: readonly string[],
  flags: VerifyFlags,
  out: Output,
  signal: AbortSignal,
  env: Readonly<Record<string, string | undefined>> = process.env,
  stdout: { write(text: string): unknown } = process.stdout,
): Promise<ExitCodeValue> {
  // Every flag is parsed before anything runs, so a bad flag costs nothing and writes nothing.
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
  const budgetOverrides = parseBudgetOverrides(budgets);
  const cwd = resolve(normalizeSeparators(flags.cwd ?? process.cwd()));
  const { format, outputFile } = parseVerifyOutput(flags, cwd);
  const report = await verify({
    paths,
    cwd,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    leaks: flags.leaks !== false,
    bench: flags.bench === true,
    budgetOverrides,
    onProgress: (m) => out.progress(m),
    signal,
  });
  const exitCode = report.ok ? ExitCode.ok : ExitCode.verificationFailed;
  if (format === null) {
    if (out.json) out.printJson(report);
    else printReport(report, out);
    return exitCode;
  }
  const root = findProjectRoot(cwd);
  const input = verifyFindings(report, { cwd, root });
  const { report: located, summary } = await ciReportInputs(input, format, root, env);
  const text = formatReport(format, located, { failOn: 'error' });
  if (outputFile !== null) {
    writeFileSync(outputFile, text);
    out.progress(`${String(input.findings.length)} finding${input.findings.length === 1 ? '' : 's'} in ${String(input.files.length)} module(s); ${format} report written to ${outputFile}.`);
  } else if (format === 'json') {
    out.printJson(jsonReport(input, 'error'));
  } else {
    stdout.write(text);
  }
  if (summary !== null) appendFileSync(summary.file, stepSummary(summary.input));
  return exitCode;
}
