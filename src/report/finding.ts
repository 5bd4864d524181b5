/**
 * The plain data every CI writer works over: findings located in files, and the tool that produced them. `check`
 * fills these from its rules; `verify` can fill them from failed tests, leaks and budgets and reuse every writer.
 */

/** How serious a finding is; `error` fails the run under the default `--fail-on error`. */
export type Severity = 'error' | 'warning';

/** One result located in a file (1-based lines and columns; the end is exclusive, as in SARIF). */
export interface Finding {
  /** The rule or checklist item id, e.g. `leak.timers`. */
  readonly ruleId: string;
  readonly severity: Severity;
  /** Relative to the project root, POSIX separators. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** How to fix it (may name an `npx concurrency-kit add …` command). */
  readonly fix: string;
  /** Stable id of the finding that survives line moves (see `src/check/baseline.ts`). */
  readonly fingerprint: string;
}

/** What a writer says about one rule (SARIF `reportingDescriptor`, JUnit test case names, summaries). */
export interface RuleInfo {
  readonly id: string;
  /** The checklist item's text, one sentence. */
  readonly title: string;
  /** Why the rule exists. */
  readonly rationale: string;
  /** The general fix. */
  readonly fix: string;
  /** For a `check` rule: what it deliberately leaves alone. */
  readonly notReported?: string;
  /** Where the rule is documented. */
  readonly helpUri: string;
  readonly defaultSeverity: Severity;
  /** For a rule measured on real code bases: the figure, as text (`19 of 70 findings true (27%)`). */
  readonly precision?: string;
  /** The same as a code-scanning precision level; written to SARIF as the rule's `properties.precision`. */
  readonly precisionLevel?: 'very-high' | 'high' | 'medium' | 'low';
  /** For a `check` rule: `'all'` files, or `'non-test'` (test files skipped unless `--include-tests`). */
  readonly scope?: 'all' | 'non-test';
}

/** The tool that produced the findings. */
export interface ToolInfo {
  /** e.g. `concurrency-kit check`. */
  readonly name: string;
  readonly version: string;
  /** Home page of the tool. */
  readonly informationUri: string;
  /** Every rule that could have reported, in a stable order. */
  readonly rules: readonly RuleInfo[];
}

/** The input of every writer. */
export interface ReportInput {
  readonly tool: ToolInfo;
  /** Findings, in file then position order. */
  readonly findings: readonly Finding[];
  /** Every file examined, relative to the project root, POSIX separators, sorted. */
  readonly files: readonly string[];
  /** Findings silenced by a suppression comment or the baseline. */
  readonly suppressed: number;
  /**
   * Rules that did not run on a file, with why (JUnit shows them as skipped test cases, not passed ones): `verify`'s
   * manual checklist items, for instance. @defaultValue none
   */
  readonly skipped?: readonly SkippedRule[];
}

/** A rule that did not run on one file (see {@link ReportInput.skipped}). */
export interface SkippedRule {
  readonly ruleId: string;
  /** Relative to the project root, POSIX separators, as {@link Finding.file}. */
  readonly file: string;
  /** Why it did not run, in one sentence. */
  readonly reason: string;
}

/**
 * `input` with every path put under `folder` (a POSIX path, `''` for none): for readers that resolve paths from the
 * repository root, as GitHub code scanning does SARIF URIs and the runner does annotation files, when the project
 * root is a folder of the repository (one package of a monorepo).
 */
export function underFolder(input: ReportInput, folder: string): ReportInput {
  if (folder === '') return input;
  const under = (file: string): string => `${folder}/${file}`;
  return {
    ...input,
    findings: input.findings.map((f) => ({ ...f, file: under(f.file) })),
    files: input.files.map(under),
    ...(input.skipped === undefined ? {} : { skipped: input.skipped.map((s) => ({ ...s, file: under(s.file) })) }),
  };
}

/** Counts of a report. */
export interface ReportSummary {
  readonly files: number;
  readonly findings: number;
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
}

/** Counts the findings of `input` by severity. */
export function summarize(input: ReportInput): ReportSummary {
  const errors = input.findings.filter((f) => f.severity === 'error').length;
  return { files: input.files.length, findings: input.findings.length, errors, warnings: input.findings.length - errors, suppressed: input.suppressed };
}

/** The lowest severity that fails the run, or `never`. */
export type FailOn = Severity | 'never';

/** True when some finding is at or above `failOn`. */
export function failsAt(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return findings.some((f) => f.severity === 'error' || failOn === 'warning');
}

/** Orders findings by file, line, column, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}
