/**
 * Performance budgets: the manifest's `budget` object, `--budget` overrides, how they resolve per pattern, and the
 * judgement of measured figures: the p99 a module adds over the no-op baseline against `p99Ms`, its absolute p99
 * against `p99CeilingMs`, and the failure messages and checklist verdicts of a module that misses one. Figures are
 * injected: nothing here measures anything.
 */
import { describe, expect, it } from 'vitest';
import { UsageError, TemplateError } from '../../src/errors.js';
import { parseManifest, type BenchBudget } from '../../src/patterns/manifest.js';
import { listPatterns } from '../../src/patterns/registry.js';
import type { BenchLoad, BenchReport } from '../../src/verify/bench.js';
import { benchMetrics } from '../../src/verify/bench-checks.js';
import { budgetFailures, formatFigure, NO_BUDGET_OVERRIDES, parseBudgetOverrides, resolveBudget, type MeasuredFigures } from '../../src/verify/budget.js';
import { addedLatencyMs } from '../../src/verify/load.js';

const base = { id: 'x', description: 'd', defaultName: 'X', options: [], checklist: { agent: 'concurrency-specialist', proofs: {} } };
const parse = (budget: unknown): BenchBudget => parseManifest('x/manifest.json', { ...base, budget }, 'x').budget;

describe('manifest budget', () => {
  it('fills ratePerSec and durationMs with the design load, 7,000 requests/s for 3 s, and the p99 ceiling with 50 ms', () => {
    expect(parse({ throughputOpsPerSec: 1e5, p99Ms: 5, heapGrowthBytes: 1e6 })).toEqual({
      throughputOpsPerSec: 1e5,
      p99Ms: 5,
      p99CeilingMs: 50,
      ratePerSec: 7000,
      durationMs: 3000,
      heapGrowthBytes: 1e6,
    });
  });

  it.each([
    [undefined, /x\/manifest\.json: budget must be an object/],
    [{ p99Ms: 5, heapGrowthBytes: 1 }, /x\/manifest\.json: budget\.throughputOpsPerSec is required/],
    [{ throughputOpsPerSec: 1, p99Ms: '5', heapGrowthBytes: 1 }, /budget\.p99Ms must be a finite number, got "5"/],
    [{ throughputOpsPerSec: 1, p99Ms: 5, heapGrowthBytes: -1 }, /budget\.heapGrowthBytes must not be negative, got -1/],
    [{ throughputOpsPerSec: 1, p99Ms: 5, heapGrowthBytes: 1, ratePerSec: 0 }, /budget\.ratePerSec must be greater than 0/],
    [{ throughputOpsPerSec: 1, p99: 5, p99Ms: 5, heapGrowthBytes: 1 }, /budget\.p99 is not a budget field \(known: throughputOpsPerSec, p99Ms, p99CeilingMs/],
    [{ throughputOpsPerSec: 1, p99Ms: 5, p99CeilingMs: -50, heapGrowthBytes: 1 }, /budget\.p99CeilingMs must not be negative, got -50/],
    [{ throughputOpsPerSec: 1, p99Ms: 5, heapGrowthBytes: 1, ratePerSec: 1e6, durationMs: 60_000 }, /60,000,000 requests, more than the 10,000,000/],
  ])('rejects a malformed budget naming the file and the field (%#)', (budget, message) => {
    expect(() => parse(budget)).toThrow(TemplateError);
    expect(() => parse(budget)).toThrow(message);
  });

  it('every shipped pattern holds the design promise: adds < 5 ms at p99 at 7,000 requests/s for 3 s, p99 <= 50 ms', () => {
    for (const manifest of listPatterns()) {
      expect(manifest.budget, manifest.id).toMatchObject({ p99Ms: 5, p99CeilingMs: 50, ratePerSec: 7000, durationMs: 3000 });
      expect(manifest.budget.throughputOpsPerSec, manifest.id).toBeGreaterThan(0);
      expect(manifest.budget.heapGrowthBytes, manifest.id).toBeGreaterThan(0);
    }
  });
});

describe('--budget overrides', () => {
  const ids = ['worker-pool', 'sharded-cache'];

  it('parses key=value for every pattern and <pattern>.key=value for one; later values win', () => {
    const overrides = parseBudgetOverrides(['p99Ms=4', 'worker-pool.p99Ms=2.5', 'throughputOpsPerSec=1e6', 'p99Ms=3', 'sharded-cache.heapGrowthBytes=8000000'], ids);
    expect(overrides.all).toEqual({ p99Ms: 3, throughputOpsPerSec: 1e6 });
    expect(Object.fromEntries(overrides.byPattern)).toEqual({ 'worker-pool': { p99Ms: 2.5 }, 'sharded-cache': { heapGrowthBytes: 8e6 } });
  });

  it('checks pattern ids against the registry by default', () => {
    expect(parseBudgetOverrides(['rate-limiter.durationMs=200']).byPattern.get('rate-limiter')).toEqual({ durationMs: 200 });
    expect(parseBudgetOverrides(['p99CeilingMs=100']).all).toEqual({ p99CeilingMs: 100 });
  });

  it.each([
    ['p99Ms', /expected key=value or <pattern>\.key=value/],
    ['=5', /expected key=value/],
    ['p99=5', /unknown budget key "p99" \(known: throughputOpsPerSec, p99Ms, p99CeilingMs, ratePerSec, durationMs, heapGrowthBytes\)/],
    ['p99CeilingMs=-5', /p99CeilingMs must not be negative/],
    ['worker-poll.p99Ms=5', /unknown pattern "worker-poll" \(known: worker-pool, sharded-cache\)/],
    ['p99Ms=abc', /p99Ms must be a number, got "abc"/],
    ['p99Ms=', /p99Ms must be a number, got ""/],
    ['p99Ms=5ms', /p99Ms must be a number, got "5ms"/],
    ['p99Ms=Infinity', /p99Ms must be a number/],
    ['p99Ms=-1', /p99Ms must not be negative, got -1/],
    ['worker-pool.heapGrowthBytes=-2e6', /heapGrowthBytes must not be negative/],
    ['ratePerSec=0', /ratePerSec must be greater than 0/],
  ])('rejects %j with a UsageError naming the flag value', (flag, message) => {
    let caught: unknown;
    try {
      parseBudgetOverrides([flag], ids);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    const error = caught as UsageError;
    expect(error.message).toContain(`Invalid --budget "${flag}"`);
    expect(error.message).toMatch(message);
    expect(error.code).toBe('ERR_INVALID_BUDGET');
    expect(error.exitCode).toBe(2);
  });
});

describe('resolveBudget', () => {
  const manifest: BenchBudget = { throughputOpsPerSec: 100_000, p99Ms: 5, p99CeilingMs: 50, ratePerSec: 7000, durationMs: 3000, heapGrowthBytes: 4e6 };

  it('is the manifest budget without overrides', () => {
    expect(resolveBudget(manifest, NO_BUDGET_OVERRIDES, 'worker-pool')).toEqual(manifest);
  });

  it('applies key=value, then <pattern>.key=value for that pattern only', () => {
    const overrides = parseBudgetOverrides(['p99Ms=10', 'durationMs=200', 'worker-pool.p99Ms=2'], ['worker-pool', 'sharded-cache']);
    expect(resolveBudget(manifest, overrides, 'worker-pool')).toEqual({ ...manifest, p99Ms: 2, durationMs: 200 });
    expect(resolveBudget(manifest, overrides, 'sharded-cache')).toEqual({ ...manifest, p99Ms: 10, durationMs: 200 });
  });

  it('refuses a load too large to schedule', () => {
    const overrides = parseBudgetOverrides(['ratePerSec=1000000', 'durationMs=60000'], ['worker-pool']);
    expect(() => resolveBudget(manifest, overrides, 'worker-pool')).toThrow(UsageError);
    expect(() => resolveBudget(manifest, overrides, 'worker-pool')).toThrow(/Invalid --budget for worker-pool: .*60,000,000 requests/);
  });
});

describe('budget failures', () => {
  const budget: BenchBudget = { throughputOpsPerSec: 100_000, p99Ms: 5, p99CeilingMs: 50, ratePerSec: 7000, durationMs: 3000, heapGrowthBytes: 4_000_000 };
  const healthy: MeasuredFigures = {
    throughputOpsPerSec: 2_500_000,
    load: { ratePerSec: 6999.8, p99Ms: 1.2, baseline: { p99Ms: 0.9 }, requests: 21_000, failed: 0, pending: 0, firstError: null },
    heapGrowthBytes: 50_000,
  };
  const withLoad = (load: Partial<NonNullable<MeasuredFigures['load']>>, rest: Partial<MeasuredFigures> = {}): MeasuredFigures => ({
    ...healthy,
    ...rest,
    load: { ...healthy.load!, ...load },
  });

  it('has none for figures within budget (ceilings are inclusive)', () => {
    expect(budgetFailures(healthy, budget)).toEqual([]);
    expect(budgetFailures(withLoad({ p99Ms: 7, baseline: { p99Ms: 2 } }, { heapGrowthBytes: 4_000_000 }), budget)).toEqual([]);
    expect(budgetFailures(withLoad({ p99Ms: 50, baseline: { p99Ms: 45 } }), budget)).toEqual([]);
  });

  it('a busy machine does not fail a healthy module: a 30 ms p99 that the no-op baseline shares is 1.5 ms added', () => {
    // The p99 that failed a new user's demo (29.7 ms under a load average of 5), next to a baseline like those
    // measured in such loads (the no-op's p99 trails the module's by 0 to 3.7 ms).
    expect(budgetFailures(withLoad({ p99Ms: 29.7, baseline: { p99Ms: 28.2 } }), budget)).toEqual([]);
  });

  it('a module that adds more than p99Ms fails, however quiet the machine', () => {
    expect(budgetFailures(withLoad({ p99Ms: 9, baseline: { p99Ms: 2 } }, { gcPauseMs: 1.234 }), budget)).toEqual([
      'added p99 7 ms > budget 5 ms (p99 9 ms - no-op baseline p99 2 ms; garbage collection paused 1.23 ms in total during the load)',
    ]);
    expect(budgetFailures(withLoad({ p99Ms: 5.01, baseline: { p99Ms: 0 } }), budget)).toEqual(['added p99 5.01 ms > budget 5 ms (p99 5.01 ms - no-op baseline p99 0 ms)']);
  });

  it('a module that stalls the event loop delays its baseline too, and the absolute ceiling catches it', () => {
    const stalled = withLoad({ p99Ms: 80, baseline: { p99Ms: 79 } }, { attemptP99Ms: [95, 80, 120] });
    expect(budgetFailures(stalled, budget)).toEqual(['p99 80 ms > ceiling 50 ms (lowest of 3 attempts: 95, 80, 120 ms; no-op baseline p99 79 ms)']);
  });

  it('without a baseline the whole p99 counts as added', () => {
    expect(budgetFailures(withLoad({ p99Ms: 7.2, baseline: null }), budget)).toEqual(['added p99 7.2 ms > budget 5 ms (no baseline: the whole p99 counts)']);
  });

  it('names each missed budget with the figure and the budget', () => {
    const figures: MeasuredFigures = {
      throughputOpsPerSec: 12_345.6,
      load: { ratePerSec: 6000, p99Ms: 57.2149, baseline: { p99Ms: 50 }, requests: 21_000, failed: 3, pending: 2, firstError: 'QueueFullError: the queue is full' },
      heapGrowthBytes: 12_345_678,
      gcPauseMs: 1.234,
    };
    expect(budgetFailures(figures, budget)).toEqual([
      'throughput 12,300 ops/s < budget 100,000 ops/s',
      'added p99 7.21 ms > budget 5 ms (p99 57.2 ms - no-op baseline p99 50 ms; garbage collection paused 1.23 ms in total during the load)',
      'p99 57.2 ms > ceiling 50 ms (no-op baseline p99 50 ms; garbage collection paused 1.23 ms in total during the load)',
      'arrival rate 6,000/s < 95% of the target 7,000/s (the load generator fell behind)',
      '3 of 21,000 requests failed (first: QueueFullError: the queue is full)',
      '2 of 21,000 requests never settled',
      'heap growth 12,300,000 bytes > budget 4,000,000 bytes',
    ]);
  });

  it('skips what was not measured, but a load without a heap figure is a failure', () => {
    expect(budgetFailures({ throughputOpsPerSec: null, load: null, heapGrowthBytes: null }, budget)).toEqual([]);
    expect(budgetFailures({ ...healthy, heapGrowthBytes: null }, budget)).toEqual(['heap growth not measured (could not force a garbage collection)']);
  });

  it('the added latency is the p99 difference, never below 0, and the whole p99 without a baseline', () => {
    expect(addedLatencyMs({ p99Ms: 9, baseline: { p99Ms: 2.5 } })).toBe(6.5);
    expect(addedLatencyMs({ p99Ms: 3, baseline: { p99Ms: 3.4 } })).toBe(0);
    expect(addedLatencyMs({ p99Ms: 3, baseline: null })).toBe(3);
  });

  it('formats figures to three significant digits, grouped from 1,000', () => {
    expect([7.2, 7.2149, 0.051349, 12.34, 999.4, 52_345.6, 1e12].map(formatFigure)).toEqual(['7.2', '7.21', '0.0513', '12.3', '999', '52,300', '1,000,000,000,000']);
  });
});

describe('checklist verdicts of the benchmark (perf.p99)', () => {
  const budget: BenchBudget = { throughputOpsPerSec: 100_000, p99Ms: 5, p99CeilingMs: 50, ratePerSec: 7000, durationMs: 3000, heapGrowthBytes: 4_000_000 };
  const load = (p99Ms: number, baselineP99Ms: number | null): BenchLoad => ({
    ratePerSec: 7000,
    p50Ms: 0.5,
    p99Ms,
    maxMs: p99Ms + 10,
    requests: 21_000,
    durationMs: 3000,
    baselineP50Ms: baselineP99Ms === null ? null : 0.4,
    baselineP99Ms,
    baselineMaxMs: baselineP99Ms === null ? null : baselineP99Ms + 10,
    addedP99Ms: addedLatencyMs({ p99Ms, baseline: baselineP99Ms === null ? null : { p99Ms: baselineP99Ms } }),
  });
  const report = (l: BenchLoad): BenchReport => ({
    throughputOpsPerSec: 1e6,
    load: l,
    heapGrowthBytes: 1000,
    budget,
    ok: true,
    failures: [],
    notes: [],
    error: null,
  });

  it('passes a module that adds little on a busy machine, showing both p99s and the baseline', () => {
    expect(benchMetrics(report(load(29.7, 28.2))).p99).toEqual({
      ok: true,
      detail: 'added p99 1.5 ms <= 5 ms (p99 29.7 ms <= ceiling 50 ms, no-op baseline p99 28.2 ms) at 7,000 requests/s',
    });
  });

  it('fails the added budget and the ceiling separately', () => {
    expect(benchMetrics(report(load(9, 2))).p99).toEqual({
      ok: false,
      detail: 'added p99 7 ms > 5 ms (p99 9 ms <= ceiling 50 ms, no-op baseline p99 2 ms) at 7,000 requests/s',
    });
    expect(benchMetrics(report(load(80, 79))).p99).toEqual({
      ok: false,
      detail: 'added p99 1 ms <= 5 ms (p99 80 ms > ceiling 50 ms, no-op baseline p99 79 ms) at 7,000 requests/s',
    });
  });

  it('says so when no baseline was measured', () => {
    expect(benchMetrics(report(load(4, null))).p99).toEqual({
      ok: true,
      detail: 'added p99 4 ms <= 5 ms (p99 4 ms <= ceiling 50 ms, no no-op baseline: the whole p99 counts) at 7,000 requests/s',
    });
  });
});
