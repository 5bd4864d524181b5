/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), escaped as the runner requires, and the
 * markdown table for `$GITHUB_STEP_SUMMARY` (GitHub shows only 10 annotations of each kind per step).
 */
import type { Finding, ReportInput } from './finding.js';
import { summarize } from './finding.js';

/** Escapes a workflow command's message: `%`, `\r`, `\n`. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value: as {@link escapeData}, plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation line for a finding. */
export function annotation(f: Finding): string {
  const props = [
    `file=${escapeProperty(f.file)}`,
    `line=${String(f.line)}`,
    `col=${String(f.column)}`,
    `endLine=${String(f.endLine)}`,
    `endColumn=${String(f.endColumn)}`,
    `title=${escapeProperty(f.ruleId)}`,
  ].join(',');
  return `::${f.severity} ${props}::${escapeData(`${f.message}\nFix: ${f.fix}`)}`;
}

/** Every finding as an annotation line (empty when there is none). */
export function formatGithub(input: ReportInput): string {
  return input.findings.map((f) => `${annotation(f)}\n`).join('');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** The markdown step summary: a heading, the counts, and a table of every finding. */
export function stepSummary(input: ReportInput): string {
  const s = summarize(input);
  const lines = [
    `### ${input.tool.name}`,
    '',
    `${String(s.findings)} finding${s.findings === 1 ? '' : 's'} (${String(s.errors)} error${s.errors === 1 ? '' : 's'}, ${String(s.warnings)} warning${s.warnings === 1 ? '' : 's'}) in ${String(s.files)} file${s.files === 1 ? '' : 's'}; ${String(s.suppressed)} suppressed.`,
    '',
  ];
  if (input.findings.length > 0) {
    lines.push('| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |');
    for (const f of input.findings) {
      lines.push(`| ${f.severity} | \`${cell(f.ruleId)}\` | \`${cell(`${f.file}:${String(f.line)}:${String(f.column)}`)}\` | ${cell(f.message)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
