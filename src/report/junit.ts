/**
 * JUnit XML for CI systems that show test reports: one `<testsuite>` per file, and in it one `<testcase>` per rule,
 * failed when the rule reported in that file (one `<failure>` listing every finding), skipped when the input says the
 * rule did not run on that file ({@link ReportInput.skipped}), passed otherwise.
 */
import type { ReportInput } from './finding.js';

/** Escapes text for XML attributes and content. */
export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The JUnit document as text. */
export function formatJunit(input: ReportInput): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const file of input.files) {
    const cases: string[] = [];
    let fileFailures = 0;
    let fileSkipped = 0;
    for (const rule of input.tool.rules) {
      const found = input.findings.filter((f) => f.file === file && f.ruleId === rule.id);
      const attrs = `classname="${escapeXml(file)}" name="${escapeXml(rule.id)}"`;
      if (found.length === 0) {
        const skip = input.skipped?.find((s) => s.file === file && s.ruleId === rule.id);
        if (skip === undefined) cases.push(`    <testcase ${attrs}/>`);
        else {
          fileSkipped++;
          cases.push(`    <testcase ${attrs}>\n      <skipped message="${escapeXml(skip.reason)}"/>\n    </testcase>`);
        }
        continue;
      }
      fileFailures++;
      const first = found[0]!;
      const body = found.map((f) => `${f.file}:${String(f.line)}:${String(f.column)} ${f.severity} ${f.message}\nFix: ${f.fix}`).join('\n\n');
      cases.push(
        `    <testcase ${attrs}>\n      <failure message="${escapeXml(found.length === 1 ? first.message : `${String(found.length)} findings`)}" type="${escapeXml(rule.id)}">${escapeXml(body)}</failure>\n    </testcase>`,
      );
    }
    tests += cases.length;
    failures += fileFailures;
    suites.push(`  <testsuite name="${escapeXml(file)}" tests="${String(cases.length)}" failures="${String(fileFailures)}" errors="0" skipped="${String(fileSkipped)}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escapeXml(input.tool.name)}" tests="${String(tests)}" failures="${String(failures)}">\n${suites.join('\n')}${suites.length > 0 ? '\n' : ''}</testsuites>\n`;
}
