/** The `--format json` envelope: one document with the summary and every finding. */
import { failsAt, summarize, type FailOn, type Finding, type ReportInput, type ReportSummary } from './finding.js';

/** Version of the envelope's shape; raised on any incompatible change. */
export const JSON_SCHEMA_VERSION = 1;

/** The JSON document `--format json` prints. */
export interface JsonReport {
  readonly schemaVersion: number;
  readonly tool: string;
  readonly version: string;
  /** False when some finding is at or above `--fail-on`. */
  readonly ok: boolean;
  readonly summary: ReportSummary;
  readonly findings: readonly Finding[];
}

/** Builds the envelope; `ok` follows `failOn`. */
export function jsonReport(input: ReportInput, failOn: FailOn): JsonReport {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: input.tool.name,
    version: input.tool.version,
    ok: !failsAt(input.findings, failOn),
    summary: summarize(input),
    findings: input.findings.map((f) => ({ ...f })),
  };
}

/** The envelope as text (two-space indented, trailing newline). */
export function formatJson(input: ReportInput, failOn: FailOn): string {
  return `${JSON.stringify(jsonReport(input, failOn), null, 2)}\n`;
}
