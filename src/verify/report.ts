/**
 * Human rendering of a {@link VerifyReport}: per module its tests, leaks, benchmark figures against the budget and the
 * checklist with what proved each item; then the details of every failure and leak (with the stack where the leaked
 * thing was created).
 */
import type { Output } from '../cli/output.js';
import type { ChecklistResult } from '../checklist/evaluate.js';
import { formatBytes } from './bench-checks.js';
import { formatFigure as f } from './budget.js';
import type { ModuleReport, VerifyReport } from './verify.js';

const MARK: Record<ChecklistResult['status'], string> = { pass: 'pass', fail: 'FAIL', manual: 'manual' };

function testsLine(m: ModuleReport): string {
  const t = m.tests;
  return `${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`;
}

function leaksLine(m: ModuleReport, report: VerifyReport): string {
  if (!report.leakCheck) return 'not checked (--no-leaks)';
  if (m.leaks.length === 0) return 'none';
  const byKind = new Map<string, number>();
  for (const leak of m.leaks) byKind.set(leak.kind, (byKind.get(leak.kind) ?? 0) + 1);
  return [...byKind].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

function benchLines(m: ModuleReport, report: VerifyReport): string[] {
  const b = m.bench;
  if (b === null) {
    if (report.benchmark && m.benchFile === null) return ['not run: the module has no bench file (added with --no-bench); perf items are manual'];
    return ['not run (verify --bench runs it)'];
  }
  const budget = b.budget;
  const lines: string[] = [];
  if (b.throughputOpsPerSec !== null) lines.push(`throughput ${f(b.throughputOpsPerSec)} ops/s (floor ${f(budget.throughputOpsPerSec)})`);
  if (b.load !== null) {
    const l = b.load;
    lines.push(`open load ${f(l.ratePerSec)} req/s for ${f(l.durationMs / 1000)} s: module p50 ${f(l.p50Ms)} ms, p99 ${f(l.p99Ms)} ms, max ${f(l.maxMs)} ms`);
    if (l.baselineP99Ms !== null && l.baselineP50Ms !== null && l.baselineMaxMs !== null) {
      lines.push(`no-op baseline in the same load: p50 ${f(l.baselineP50Ms)} ms, p99 ${f(l.baselineP99Ms)} ms, max ${f(l.baselineMaxMs)} ms`);
    }
    lines.push(`added p99 ${f(l.addedP99Ms)} ms (budget ${f(budget.p99Ms)} ms); p99 ${f(l.p99Ms)} ms (ceiling ${f(budget.p99CeilingMs)} ms)`);
  }
  if (b.heapGrowthBytes !== null) lines.push(`heap growth ${formatBytes(b.heapGrowthBytes)} (budget ${formatBytes(budget.heapGrowthBytes).slice(1)})`);
  if (b.error !== null) lines.push(`could not run: ${b.error.split('\n')[0]}`);
  lines.push(b.ok ? 'budget met' : `budget MISSED: ${b.failures.join('; ') || 'see above'}`);
  return lines;
}

/** `load average 7.91 (1 min) on 2 cores`, or the core count alone where the OS has no load average. */
function machineLine(report: VerifyReport): string {
  const { loadAvg1m, cores } = report.machine;
  return `${loadAvg1m === null ? 'no load average on this OS' : `load average ${f(loadAvg1m)} (1 min)`} on ${cores} core${cores === 1 ? '' : 's'}`;
}

function printModule(m: ModuleReport, report: VerifyReport, out: Output): void {
  const verdict = m.ok ? out.style('green', 'ok') : out.style('red', 'FAIL');
  out.print(`\n${out.style('bold', m.pattern)}  ${m.file}  ${verdict}`);
  const counts = { pass: 0, fail: 0, manual: 0 };
  for (const item of m.checklist) counts[item.status]++;
  out.print(
    out
      .table(
        null,
        [
          ['tests', testsLine(m)],
          ['leaks', leaksLine(m, report)],
          ...benchLines(m, report).map((line, i) => [i === 0 ? 'benchmark' : '', line]),
          ['checklist', `${counts.pass} pass, ${counts.fail} fail, ${counts.manual} manual`],
        ],
        2,
      )
      .replace(/^/gm, '  '),
  );
  out.print(
    out.table(
      ['status', 'item', 'proved by'],
      m.checklist.map((item) => [
        item.status === 'pass' ? out.style('green', MARK.pass) : item.status === 'fail' ? out.style('red', MARK.fail) : out.style('yellow', MARK.manual),
        item.id,
        item.provedBy,
      ]),
    ),
  );
}

/** Prints the report for people (stdout). */
export function printReport(report: VerifyReport, out: Output): void {
  for (const m of report.modules) printModule(m, report, out);
  for (const m of report.modules) {
    for (const leak of m.leaks) {
      out.print(`\n${out.style('red', 'leak')} ${m.pattern} > ${leak.test}: ${leak.kind}: ${leak.message}\n${leak.stack.replace(/^/gm, '    ')}`);
    }
    for (const f of m.tests.failures) {
      // A test failed by the leak check repeats the leaks printed above.
      if (m.leaks.length > 0 && /LeakError/.test(f.message)) continue;
      out.print(`\n${out.style('red', 'x')} ${m.pattern} > ${f.test}\n${f.message.replace(/^/gm, '    ')}`);
    }
  }
  for (const m of report.modules) for (const note of m.bench?.notes ?? []) out.print(`\nnote: ${m.pattern} benchmark: ${note}`);
  for (const note of report.notes) out.print(`\nnote: ${note}`);
  if (report.benchmark) {
    out.print(`\nmachine: ${machineLine(report)}; latency is judged by what each module adds over a no-op request driven in the same load.`);
  }
  const runner = report.runner ? ` (vitest ${report.runner.vitest}, ${report.runner.source === 'project' ? "the project's" : "the kit's"})` : '';
  const failed = report.modules.filter((m) => !m.ok).length;
  out.print(
    report.ok
      ? `\n${out.style('green', 'verified')}: ${report.modules.length} module(s): tests passed${report.leakCheck ? ', no leaks' : ''}${report.benchmark ? ', budgets met' : ''}, no checklist item failed${runner}.`
      : `\n${out.style('red', 'verification failed')}: ${failed} of ${report.modules.length} module(s)${runner}.`,
  );
}
