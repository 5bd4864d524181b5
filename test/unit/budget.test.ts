/**
 * Performance budgets: the manifest's `budget` object, `--budget` overrides, how they resolve per pattern, and the
 * failure messages of a module that misses one.
 */
import { describe, expect, it } from 'vitest';
import { UsageError, TemplateError } from '../../src/errors.js';
import { parseManifest, type BenchBudget } from '../../src/patterns/manifest.js';
import { listPatterns } from '../../src/patterns/registry.js';
import { budgetFailures, formatFigure, NO_BUDGET_OVERRIDES, parseBudgetOverrides, resolveBudget, type MeasuredFigures } from '../../src/verify/budget.js';

const base = { id: 'x', description: 'd', defaultName: 'X', options: [], checklist: { agent: 'concurrency-specialist', proofs: {} } };
const parse = (budget: unknown): BenchBudget => parseManifest('x/manifest.json', { ...base, budget }, 'x').budget;

describe('manifest budget', () => {
  it('fills ratePerSec and durationMs with the design load, 7,000 requests/s for 3 s', () => {
    expect(parse({ throughputOpsPerSec: 1e5, p99Ms: 5, heapGrowthBytes: 1e6 })).toEqual({
      throughputOpsPerSec: 1e5,
      p99Ms: 5,
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
    [{ throughputOpsPerSec: 1, p99: 5, p99Ms: 5, heapGrowthBytes: 1 }, /budget\.p99 is not a budget field \(known: throughputOpsPerSec, p99Ms/],
    [{ throughputOpsPerSec: 1, p99Ms: 5, heapGrowthBytes: 1, ratePerSec: 1e6, durationMs: 60_000 }, /60,000,000 requests, more than the 10,000,000/],
  ])('rejects a malformed budget naming the file and the field (%#)', (budget, message) => {
    expect(() => parse(budget)).toThrow(TemplateError);
    expect(() => parse(budget)).toThrow(message);
  });

  it('every shipped pattern holds the design promise: p99 < 5 ms at 7,000 requests/s for 3 s', () => {
    for (const manifest of listPatterns()) {
      expect(manifest.budget, manifest.id).toMatchObject({ p99Ms: 5, ratePerSec: 7000, durationMs: 3000 });
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
  });

  it.each([
    ['p99Ms', /expected key=value or <pattern>\.key=value/],
    ['=5', /expected key=value/],
    ['p99=5', /unknown budget key "p99" \(known: throughputOpsPerSec, p99Ms, ratePerSec, durationMs, heapGrowthBytes\)/],
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
  const manifest: BenchBudget = { throughputOpsPerSec: 100_000, p99Ms: 5, ratePerSec: 7000, durationMs: 3000, heapGrowthBytes: 4e6 };

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
  const budget: BenchBudget = { throughputOpsPerSec: 100_000, p99Ms: 5, ratePerSec: 7000, durationMs: 3000, heapGrowthBytes: 4_000_000 };
  const healthy: MeasuredFigures = {
    throughputOpsPerSec: 2_500_000,
    load: { ratePerSec: 6999.8, p99Ms: 1.2, requests: 21_000, failed: 0, pending: 0, firstError: null },
    heapGrowthBytes: 50_000,
  };

  it('has none for figures within budget (a ceiling is inclusive)', () => {
    expect(budgetFailures(healthy, budget)).toEqual([]);
    expect(budgetFailures({ ...healthy, load: { ...healthy.load!, p99Ms: 5 }, heapGrowthBytes: 4_000_000 }, budget)).toEqual([]);
  });

  it('names each missed budget with the figure and the budget', () => {
    const figures: MeasuredFigures = {
      throughputOpsPerSec: 12_345.6,
      load: { ratePerSec: 6000, p99Ms: 7.2149, requests: 21_000, failed: 3, pending: 2, firstError: 'QueueFullError: the queue is full' },
      heapGrowthBytes: 12_345_678,
      gcPauseMs: 1.234,
      attemptP99Ms: [9.1, 7.2149, 8],
    };
    expect(budgetFailures(figures, budget)).toEqual([
      'throughput 12,300 ops/s < budget 100,000 ops/s',
      'p99 7.21 ms > budget 5 ms (lowest of 3 attempts: 9.1, 7.21, 8 ms; garbage collection paused 1.23 ms in total during the load)',
      'arrival rate 6,000/s < 95% of the target 7,000/s (the load generator fell behind)',
      '3 of 21,000 requests failed (first: QueueFullError: the queue is full)',
      '2 of 21,000 requests never settled',
      'heap growth 12,300,000 bytes > budget 4,000,000 bytes',
    ]);
  });

  it('reads like the design promise for a plain p99 miss', () => {
    expect(budgetFailures({ ...healthy, load: { ...healthy.load!, p99Ms: 7.2 } }, budget)).toEqual(['p99 7.2 ms > budget 5 ms']);
  });

  it('skips what was not measured, but a load without a heap figure is a failure', () => {
    expect(budgetFailures({ throughputOpsPerSec: null, load: null, heapGrowthBytes: null }, budget)).toEqual([]);
    expect(budgetFailures({ ...healthy, heapGrowthBytes: null }, budget)).toEqual(['heap growth not measured (could not force a garbage collection)']);
  });

  it('formats figures to three significant digits, grouped from 1,000', () => {
    expect([7.2, 7.2149, 0.051349, 12.34, 999.4, 52_345.6, 1e12].map(formatFigure)).toEqual(['7.2', '7.21', '0.0513', '12.3', '999', '52,300', '1,000,000,000,000']);
  });
});
