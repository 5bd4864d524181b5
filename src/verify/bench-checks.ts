/**
 * The benchmark's verdict per checklist metric (`perf.throughput`, `perf.p99`, `perf.heap`), each with a one-line
 * account of the figure against its budget, from a {@link BenchReport}.
 */
import type { BenchMetric } from '../checklist/proofs.js';
import type { BenchReport } from './bench.js';
import { formatFigure as f, MIN_RATE_SHARE } from './budget.js';

/** One metric's verdict. */
export interface MetricCheck {
  /** Whether the figure met its budget. */
  readonly ok: boolean;
  /** e.g. `added p99 0.4 ms <= 5 ms (p99 1.2 ms <= ceiling 50 ms, no-op baseline p99 0.8 ms) at 7,000 requests/s`. */
  readonly detail: string;
}

/** A signed byte count for people: `+58 KiB`, `-1.2 MiB`. */
export function formatBytes(n: number): string {
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '+';
  if (abs >= 1024 * 1024) return `${sign}${f(abs / (1024 * 1024))} MiB`;
  if (abs >= 1024) return `${sign}${f(abs / 1024)} KiB`;
  return `${sign}${f(abs)} B`;
}

/** Judges each metric of a benchmark report against the budget it carries. */
export function benchMetrics(report: BenchReport): Record<BenchMetric, MetricCheck> {
  const budget = report.budget;
  const why = report.error ?? 'not measured';
  const throughput: MetricCheck =
    report.throughputOpsPerSec === null
      ? { ok: false, detail: `throughput not measured (${why})` }
      : {
          ok: report.throughputOpsPerSec >= budget.throughputOpsPerSec,
          detail: `throughput ${f(report.throughputOpsPerSec)} ops/s ${report.throughputOpsPerSec >= budget.throughputOpsPerSec ? '>=' : '<'} floor ${f(budget.throughputOpsPerSec)} ops/s`,
        };
  const load = report.load;
  let p99: MetricCheck;
  if (load === null) p99 = { ok: false, detail: `open load not measured (${why})` };
  else {
    const addedOk = load.addedP99Ms <= budget.p99Ms;
    const underCeiling = load.p99Ms <= budget.p99CeilingMs;
    const rateOk = load.ratePerSec >= budget.ratePerSec * MIN_RATE_SHARE;
    const requestFailures = report.failures.filter((m) => /requests (failed|never settled)/.test(m));
    const baseline = load.baselineP99Ms === null ? 'no no-op baseline: the whole p99 counts' : `no-op baseline p99 ${f(load.baselineP99Ms)} ms`;
    p99 = {
      ok: addedOk && underCeiling && rateOk && requestFailures.length === 0,
      detail: [
        `added p99 ${f(load.addedP99Ms)} ms ${addedOk ? '<=' : '>'} ${f(budget.p99Ms)} ms (p99 ${f(load.p99Ms)} ms ${underCeiling ? '<=' : '>'} ceiling ${f(budget.p99CeilingMs)} ms, ${baseline}) at ${f(load.ratePerSec)} requests/s${rateOk ? '' : ` (below ${MIN_RATE_SHARE * 100}% of the target ${f(budget.ratePerSec)}/s)`}`,
        ...requestFailures,
      ].join('; '),
    };
  }
  const heap: MetricCheck =
    report.heapGrowthBytes === null
      ? { ok: false, detail: `heap growth not measured (${why})` }
      : {
          ok: report.heapGrowthBytes <= budget.heapGrowthBytes,
          detail: `heap growth ${formatBytes(report.heapGrowthBytes)} ${report.heapGrowthBytes <= budget.heapGrowthBytes ? '<=' : '>'} ${formatBytes(budget.heapGrowthBytes).slice(1)} over the load`,
        };
  return { throughput, p99, heap };
}
