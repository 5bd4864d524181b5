/**
 * The human report: findings grouped by file, each as `file:line:col`, severity, rule id and message, a 3-line
 * code frame and the fix, then one summary line.
 */
import { summarize, type Finding, type ReportInput } from './finding.js';

/** Styling hook (the CLI passes colours on a TTY; plain text otherwise). */
export type Paint = (style: 'red' | 'yellow' | 'dim' | 'bold', text: string) => string;

const plain: Paint = (_style, text) => text;

/** The code frame of a finding: the line before, the line, the line after, and a caret under the span. */
export function codeFrame(source: string, f: Finding, paint: Paint = plain): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const first = Math.max(1, f.line - 1);
  const last = Math.min(lines.length, f.line + 1);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = (lines[n - 1] ?? '').replace(/\t/g, ' ');
    const marker = n === f.line ? '>' : ' ';
    out.push(`${marker} ${String(n).padStart(width)} | ${text}`);
    if (n === f.line) {
      const span = f.endLine === f.line ? Math.max(1, f.endColumn - f.column) : Math.max(1, text.length - f.column + 1);
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(f.column - 1)}${paint(f.severity === 'error' ? 'red' : 'yellow', '^'.repeat(span))}`);
    }
  }
  return out.join('\n');
}

/** The pretty report; `source(file)` returns a file's text for the code frame (or undefined to omit it). */
export function formatPretty(input: ReportInput, source: (file: string) => string | undefined, paint: Paint = plain): string {
  const out: string[] = [];
  let current: string | null = null;
  for (const f of input.findings) {
    if (f.file !== current) {
      if (current !== null) out.push('');
      out.push(paint('bold', f.file));
      current = f.file;
    }
    const severity = paint(f.severity === 'error' ? 'red' : 'yellow', f.severity);
    out.push(`  ${f.file}:${String(f.line)}:${String(f.column)}  ${severity}  ${f.ruleId}  ${f.message}`);
    const text = source(f.file);
    if (text !== undefined) out.push(codeFrame(text, f, paint).replace(/^/gm, '    '));
    out.push(`    ${paint('dim', `Fix: ${f.fix}`)}`, '');
  }
  const s = summarize(input);
  const plural = (n: number, word: string): string => `${String(n)} ${word}${n === 1 ? '' : 's'}`;
  out.push(
    `${s.findings === 0 ? 'No findings' : plural(s.findings, 'finding')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}) in ${plural(s.files, 'file')}${s.suppressed > 0 ? `; ${String(s.suppressed)} suppressed` : ''}.`,
  );
  return `${out.join('\n')}\n`;
}
