/**
 * SARIF 2.1.0 (the OASIS standard GitHub code scanning reads): one run, the rules as `tool.driver.rules` with a
 * `helpUri` (and, for a rule measured on real code, its `precision`, which code scanning sorts alerts by), results with
 * repository-relative URIs and `partialFingerprints` so code scanning tracks a finding across commits.
 */
import type { ReportInput, Severity } from './finding.js';

/** The `$schema` a SARIF log names. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The key of our fingerprint in `partialFingerprints`. */
export const SARIF_FINGERPRINT_KEY = 'concurrencyKitFingerprint/v1';

function level(severity: Severity): 'error' | 'warning' {
  return severity;
}

/** Builds the SARIF log as a plain object. */
export function sarifLog(input: ReportInput): Record<string, unknown> {
  const index = new Map(input.tool.rules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: input.tool.name,
            version: input.tool.version,
            informationUri: input.tool.informationUri,
            rules: input.tool.rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.rationale },
              help: { text: r.fix },
              helpUri: r.helpUri,
              defaultConfiguration: { level: level(r.defaultSeverity) },
              ...(r.precisionLevel === undefined ? {} : { properties: { precision: r.precisionLevel } }),
            })),
          },
        },
        results: input.findings.map((f) => ({
          ruleId: f.ruleId,
          ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
          level: level(f.severity),
          message: { text: `${f.message} Fix: ${f.fix}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          partialFingerprints: { [SARIF_FINGERPRINT_KEY]: f.fingerprint },
        })),
      },
    ],
  };
}

/** The SARIF log as text. */
export function formatSarif(input: ReportInput): string {
  return `${JSON.stringify(sarifLog(input), null, 2)}\n`;
}
