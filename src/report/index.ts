/** CI writers over plain findings: shared by `check` and `verify`. */
export type { Finding, SkippedRule, RuleInfo, ToolInfo, ReportInput, ReportSummary, Severity, FailOn } from './finding.js';
export { summarize, failsAt, compareFindings, underFolder } from './finding.js';
export { formatJson, jsonReport, JSON_SCHEMA_VERSION, type JsonReport } from './json.js';
export { formatSarif, sarifLog, SARIF_SCHEMA_URI, SARIF_FINGERPRINT_KEY } from './sarif.js';
export { formatGithub, stepSummary, annotation, escapeData, escapeProperty } from './github.js';
export { formatJunit, escapeXml } from './junit.js';
export { formatPretty, codeFrame, type Paint } from './pretty.js';

import type { ReportInput, FailOn } from './finding.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatPretty, type Paint } from './pretty.js';
import { formatSarif } from './sarif.js';

/** The output formats every CI-facing command accepts. */
export const REPORT_FORMATS = ['pretty', 'json', 'sarif', 'github', 'junit'] as const;

/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Renders `input` in `format`; `source` feeds the pretty code frames. */
export function formatReport(
  format: ReportFormat,
  input: ReportInput,
  options: { readonly failOn: FailOn; readonly source?: (file: string) => string | undefined; readonly paint?: Paint },
): string {
  switch (format) {
    case 'json':
      return formatJson(input, options.failOn);
    case 'sarif':
      return formatSarif(input);
    case 'github':
      return formatGithub(input);
    case 'junit':
      return formatJunit(input);
    case 'pretty':
      return formatPretty(input, options.source ?? (() => undefined), options.paint);
  }
}
