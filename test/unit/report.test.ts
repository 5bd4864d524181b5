/**
 * The human report of `verify --bench`: each benchmarked module shows its p99, the no-op baseline's and the p99 it
 * adds, against the budget and the ceiling; a module without a bench file says why its perf items are manual; the
 * machine's load average and cores close the report. Reports are built by hand: nothing is measured.
 */
import { describe, expect, it } from 'vitest';
import { Output } from '../../src/cli/output.js';
import type { BenchReport } from '../../src/verify/bench.js';
import { printReport } from '../../src/verify/report.js';
import type { ModuleReport, VerifyReport } from '../../src/verify/verify.js';

/** Collects what the report prints, without colour. */
class CapturedOutput extends Output {
  readonly lines: string[] = [];
  constructor() {
    super(false);
  }
  override style(_format: Parameters<Output['style']>[0], text: string): string {
    return text;
  }
  override print(text: string): void {
    this.lines.push(text);
  }
}

const budget = { throughputOpsPerSec: 400_000, p99Ms: 5, p99CeilingMs: 50, ratePerSec: 7000, durationMs: 3000, heapGrowthBytes: 1_000_000 };

const bench: BenchReport = {
  throughputOpsPerSec: 1_500_000,
  load: {
    ratePerSec: 7000,
    p50Ms: 0.66,
    p99Ms: 29.7,
    maxMs: 52,
    requests: 21_000,
    durationMs: 3000,
    baselineP50Ms: 0.61,
    baselineP99Ms: 28.2,
    baselineMaxMs: 51,
    addedP99Ms: 1.5,
  },
  heapGrowthBytes: 58_000,
  budget,
  ok: true,
  failures: [],
  notes: [],
  error: null,
};

const tests = { passed: 30, failed: 0, skipped: 0, failures: [] };

function module(pattern: string, withBench: boolean): ModuleReport {
  return {
    pattern,
    file: `src/concurrency/${pattern}.ts`,
    benchFile: withBench ? `src/concurrency/${pattern}.bench.ts` : null,
    tests,
    leaks: [],
    bench: withBench ? bench : null,
    checklist: [{ id: 'perf.p99', text: 'p99 under budget.', status: withBench ? 'pass' : 'manual', provedBy: 'x' }],
    ok: true,
  };
}

function render(report: VerifyReport): string {
  const out = new CapturedOutput();
  printReport(report, out);
  // Human output wraps at 80 columns off a TTY: compare the text with its wrapping undone.
  return out.lines.join('\n').replace(/\n\s+/g, ' ');
}

const base: VerifyReport = {
  ok: true,
  modules: [module('worker-pool', true), module('sharded-cache', false)],
  runner: { vitest: '4.1.12', source: 'project' },
  leakCheck: true,
  benchmark: true,
  machine: { loadAvg1m: 5.02, cores: 2 },
  notes: [],
};

describe('verify --bench human report', () => {
  it("shows the module's p99, the no-op baseline's, the added p99 against the budget and the ceiling", () => {
    const text = render(base);
    expect(text).toContain('open load 7,000 req/s for 3 s: module p50 0.66 ms, p99 29.7 ms, max 52 ms');
    expect(text).toContain('no-op baseline in the same load: p50 0.61 ms, p99 28.2 ms, max 51 ms');
    expect(text).toContain('added p99 1.5 ms (budget 5 ms); p99 29.7 ms (ceiling 50 ms)');
    expect(text).toContain('budget met');
  });

  it('says that a module without a bench file was not benchmarked and why its perf items are manual', () => {
    expect(render(base)).toContain('not run: the module has no bench file (added with --no-bench); perf items are manual');
    expect(render({ ...base, benchmark: false, modules: [{ ...module('sharded-cache', false), bench: null }] })).toContain('not run (verify --bench runs it)');
  });

  it("closes with the machine's load average and cores when the benchmark ran, and only then", () => {
    expect(render(base)).toContain('machine: load average 5.02 (1 min) on 2 cores; latency is judged by what each module adds over a no-op request driven in the same load.');
    expect(render({ ...base, machine: { loadAvg1m: null, cores: 1 } })).toContain('machine: no load average on this OS on 1 core;');
    expect(render({ ...base, benchmark: false })).not.toContain('machine:');
  });
});
