/** `concurrency-kit check [paths...]`: thin command over {@link check} and the CI writers. */
import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { check, knownRuleIds, type RuleSetting } from '../../check/engine.js';
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors.js';
import { normalizeSeparators } from '../../paths.js';
import { failsAt, formatReport, jsonReport, REPORT_FORMATS, stepSummary, type FailOn, type ReportFormat, type ReportInput } from '../../report/index.js';
import { ciReportInputs } from '../repository-paths.js';
import type { Output } from '../output.js';

/** The flags of `check`, as commander parses them. */
export interface CheckFlags {
  readonly format?: string | undefined;
  readonly outputFile?: string | undefined;
  readonly failOn?: string | undefined;
  readonly rule?: readonly string[];
  readonly project?: string | undefined;
  readonly changedSince?: string | undefined;
  readonly baseline?: string | undefined;
  readonly updateBaseline?: boolean;
  readonly includeTests?: boolean;
  readonly cwd?: string | undefined;
}

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'never'];
const SETTINGS: readonly RuleSetting[] = ['off', 'warning', 'error'];

/**
 * Parses repeated `--rule <id>=off|warning|error`.
 * @throws {@link UsageError} for a malformed entry or an unknown rule id (naming the known ones).
 */
export function parseRuleSettings(values: readonly string[], known: readonly string[] = knownRuleIds()): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const id = eq === -1 ? value : value.slice(0, eq);
    const setting = eq === -1 ? '' : value.slice(eq + 1);
    if (!known.includes(id)) throw new UsageError(`--rule ${value}: unknown rule "${id}". Known rules: ${known.join(', ')}.`, 'ERR_UNKNOWN_RULE');
    if (!(SETTINGS as readonly string[]).includes(setting)) throw new UsageError(`--rule ${value}: expected ${id}=off, ${id}=warning or ${id}=error.`);
    out[id] = setting as RuleSetting;
  }
  return out;
}

/** The format to print: `--format`, else `github` under GitHub Actions, else `pretty`. */
export function chooseFormat(format: string | undefined, env: Readonly<Record<string, string | undefined>>): ReportFormat {
  if (format !== undefined) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: expected one of ${REPORT_FORMATS.join(', ')}.`);
    return format as ReportFormat;
  }
  return env['GITHUB_ACTIONS'] === 'true' ? 'github' : 'pretty';
}

/** Runs `check`: exit 1 when a finding is at or above `--fail-on`, 0 otherwise. */
export async function checkCommand(
  paths: readonly string[],
  flags: CheckFlags,
  out: Output,
  env: Readonly<Record<string, string | undefined>> = process.env,
  stdout: { write(text: string): unknown } = process.stdout,
): Promise<ExitCodeValue> {
  // Every flag is validated before the program is built, so a bad flag costs nothing and writes nothing.
  const format = chooseFormat(flags.format, env);
  const failOn = (flags.failOn ?? 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on ${flags.failOn ?? ''}: expected one of ${FAIL_ON.join(', ')}.`);
  const rules = parseRuleSettings(flags.rule ?? []);
  const cwd = resolve(normalizeSeparators(flags.cwd ?? process.cwd()));
  const outputFile = flags.outputFile === undefined ? null : resolve(cwd, flags.outputFile);
  if (outputFile !== null) {
    const dir = dirname(outputFile);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--output-file ${flags.outputFile ?? ''}: folder ${dir} does not exist.`, 'ERR_OUTPUT_FILE');
    if (existsSync(outputFile) && statSync(outputFile).isDirectory()) throw new UsageError(`--output-file ${flags.outputFile ?? ''} is a folder.`, 'ERR_OUTPUT_FILE');
  }

  const result = await check({
    cwd,
    paths,
    rules,
    ...(flags.project !== undefined ? { project: flags.project } : {}),
    ...(flags.changedSince !== undefined ? { changedSince: flags.changedSince } : {}),
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
    updateBaseline: flags.updateBaseline === true,
    includeTests: flags.includeTests === true,
  });
  const input: ReportInput = { tool: result.tool, findings: result.findings, files: result.files, suppressed: result.suppressed + result.baselined };
  const { report, summary } = await ciReportInputs(input, format, result.root, env);
  const text = formatReport(format, report, { failOn, source: result.source, paint: (style, t) => (outputFile === null ? out.style(style, t) : t) });

  if (outputFile !== null) {
    writeFileSync(outputFile, text);
    out.progress(`${String(result.findings.length)} finding${result.findings.length === 1 ? '' : 's'} in ${String(result.files.length)} files; ${format} report written to ${outputFile}.`);
  } else if (format === 'json') {
    out.printJson(jsonReport(input, failOn));
  } else {
    stdout.write(text);
  }
  if (summary !== null) appendFileSync(summary.file, stepSummary(summary.input));
  if (result.baselineWritten !== null) {
    out.progress(`Baseline ${result.baselineWritten} records ${String(result.findings.length)} finding${result.findings.length === 1 ? '' : 's'}; later runs with --baseline report only new ones.`);
    return ExitCode.ok;
  }
  if (result.baselined > 0) out.progress(`${String(result.baselined)} finding${result.baselined === 1 ? '' : 's'} recorded in the baseline not reported.`);
  return failsAt(result.findings, failOn) ? ExitCode.verificationFailed : ExitCode.ok;
}
