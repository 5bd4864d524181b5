/** Human rendering of a {@link VerifyReport}: a table per run, then each failure. */
import { table, type Output } from '../cli/output.js';
import type { VerifyReport } from './verify.js';

/** Prints the report for people (stdout). */
export function printReport(report: VerifyReport, out: Output): void {
  const rows = report.modules.map((m) => {
    const t = m.tests;
    const tests = `${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`;
    return [m.pattern, m.file, tests, m.ok ? out.style('green', 'ok') : out.style('red', 'FAIL')];
  });
  out.print(table(['pattern', 'file', 'tests', 'result'], rows));
  for (const m of report.modules) {
    for (const f of m.tests.failures) {
      out.print(`\n${out.style('red', 'x')} ${m.pattern} > ${f.test}\n${f.message.replace(/^/gm, '    ')}`);
    }
  }
  for (const note of report.notes) out.print(`\nnote: ${note}`);
  const runner = report.runner ? ` (vitest ${report.runner.vitest}, ${report.runner.source === 'project' ? "the project's" : "the kit's"})` : '';
  out.print(
    report.ok
      ? `\n${out.style('green', 'verified')}: ${report.modules.length} module(s), all tests passed${runner}.`
      : `\n${out.style('red', 'verification failed')}: ${report.modules.filter((m) => !m.ok).length} of ${report.modules.length} module(s)${runner}.`,
  );
}
