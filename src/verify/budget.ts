/**
 * Performance budgets of `verify --bench`: `--budget` overrides on top of each manifest's `budget`, and the
 * failure messages a measured module gets when it misses one.
 */
import { UsageError } from '../errors.js';
import { BUDGET_KEYS, budgetValueProblem, loadSizeProblem, type BenchBudget, type BudgetKey } from '../patterns/manifest.js';
import { listPatterns } from '../patterns/registry.js';
import { addedLatencyMs } from './load.js';

/** Some fields of a {@link BenchBudget}. */
export type PartialBudget = { readonly [K in BudgetKey]?: number };

/** Parsed `--budget` values: see {@link parseBudgetOverrides}. */
export interface BudgetOverrides {
  /** From `key=value`: applies to every pattern. */
  readonly all: PartialBudget;
  /** From `<pattern>.key=value`, by pattern id: applies to that pattern and wins over {@link BudgetOverrides.all}. */
  readonly byPattern: ReadonlyMap<string, PartialBudget>;
}

/** No overrides: every module is held to its manifest's budget. */
export const NO_BUDGET_OVERRIDES: BudgetOverrides = Object.freeze({ all: Object.freeze({}), byPattern: new Map<string, PartialBudget>() });

const NUMBER = /^\+?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Parses `--budget` values: `key=value` sets a budget field for every pattern, `<pattern>.key=value` for one
 * pattern; later values win. Keys are the fields of {@link BenchBudget} (`throughputOpsPerSec`, `p99Ms`,
 * `p99CeilingMs`, `ratePerSec`, `durationMs`, `heapGrowthBytes`); values are plain decimal numbers (`5`, `0.5`, `1e6`) in the field's
 * unit, >= 0, and > 0 for `ratePerSec` and `durationMs`.
 * @param values - the flag's values, e.g. `['p99Ms=4', 'sharded-cache.heapGrowthBytes=8e6']`
 * @param patternIds - known pattern ids; defaults to the registry's
 * @throws {@link UsageError} (`ERR_INVALID_BUDGET`, exit 2) naming the flag value when it is not `key=value`, the key
 * or pattern is unknown, or the value is not a number, negative, or zero where that is meaningless.
 */
export function parseBudgetOverrides(values: readonly string[], patternIds: readonly string[] = listPatterns().map((m) => m.id)): BudgetOverrides {
  const all: Partial<Record<BudgetKey, number>> = {};
  const byPattern = new Map<string, Partial<Record<BudgetKey, number>>>();
  for (const flag of values) {
    const bad = (why: string): never => {
      throw new UsageError(`Invalid --budget "${flag}": ${why}.`, 'ERR_INVALID_BUDGET');
    };
    const eq = flag.indexOf('=');
    if (eq <= 0) bad('expected key=value or <pattern>.key=value, e.g. p99Ms=5 or worker-pool.p99Ms=5');
    const target = flag.slice(0, eq).trim();
    const text = flag.slice(eq + 1).trim();
    const dot = target.indexOf('.');
    const pattern = dot === -1 ? null : target.slice(0, dot);
    const key = dot === -1 ? target : target.slice(dot + 1);
    if (pattern !== null && !patternIds.includes(pattern)) bad(`unknown pattern "${pattern}" (known: ${patternIds.join(', ')})`);
    if (!(BUDGET_KEYS as readonly string[]).includes(key)) bad(`unknown budget key "${key}" (known: ${BUDGET_KEYS.join(', ')})`);
    const budgetKey = key as BudgetKey;
    if (text.startsWith('-') && NUMBER.test(text.slice(1))) bad(`${budgetKey} must not be negative, got ${text}`);
    if (!NUMBER.test(text)) bad(`${budgetKey} must be a number, got "${text}"`);
    const value = Number(text);
    const problem = budgetValueProblem(budgetKey, value);
    if (problem !== null) bad(`${budgetKey} ${problem}, got ${text}`);
    if (pattern === null) all[budgetKey] = value;
    else {
      const own = byPattern.get(pattern) ?? {};
      own[budgetKey] = value;
      byPattern.set(pattern, own);
    }
  }
  return { all, byPattern };
}

/**
 * The budget one module is held to: its manifest's, then the `key=value` overrides, then the
 * `<pattern>.key=value` ones.
 * @throws {@link UsageError} (`ERR_INVALID_BUDGET`) when the resulting load would schedule more than
 * `MAX_LOAD_REQUESTS` requests.
 */
export function resolveBudget(manifestBudget: BenchBudget, overrides: BudgetOverrides, patternId: string): BenchBudget {
  const budget: BenchBudget = { ...manifestBudget, ...overrides.all, ...overrides.byPattern.get(patternId) };
  const tooLarge = loadSizeProblem(budget);
  if (tooLarge !== null) throw new UsageError(`Invalid --budget for ${patternId}: ${tooLarge}.`, 'ERR_INVALID_BUDGET');
  return budget;
}

/** A figure for messages: three significant digits (`7.2`, `0.0513`, `12.3`), grouped above 1,000 (`52,300`). */
export function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(3));
  return Math.abs(rounded) >= 1000 ? Math.round(rounded).toLocaleString('en-US') : String(rounded);
}

/** The figures {@link budgetFailures} checks; null ones were not measured. */
export interface MeasuredFigures {
  /** ops/s. */
  readonly throughputOpsPerSec: number | null;
  /** The open load; null when it did not run. */
  readonly load: {
    /** Achieved arrival rate, requests/s. */
    readonly ratePerSec: number;
    /** Absolute p99 (ms). */
    readonly p99Ms: number;
    /** The no-op baseline driven in the same load (p99, ms), or null when none ran (then the whole p99 counts as added). */
    readonly baseline: { readonly p99Ms: number } | null;
    /** Requests issued. */
    readonly requests: number;
    /** Requests that rejected. */
    readonly failed: number;
    /** Requests that never settled. */
    readonly pending: number;
    /** First failure's message. */
    readonly firstError: string | null;
  } | null;
  /** bytes. */
  readonly heapGrowthBytes: number | null;
  /** Total GC pause during the load (ms), shown next to a missed p99 so the reader can tell GC from other delays. */
  readonly gcPauseMs?: number | null | undefined;
  /** Absolute p99 of every load attempt (ms), when the load was measured more than once. */
  readonly attemptP99Ms?: readonly number[] | undefined;
}

/** The share of the target arrival rate the load must achieve, else the load generator fell behind. */
export const MIN_RATE_SHARE = 0.95;

/**
 * Every way `figures` miss `budget`, as messages such as `added p99 7.2 ms > budget 5 ms (...)`: throughput below its
 * floor; the p99 the module adds over the no-op baseline ({@link addedLatencyMs}) above `p99Ms`; the absolute p99
 * above `p99CeilingMs`; heap growth above its ceiling; an achieved arrival rate under {@link MIN_RATE_SHARE} of the
 * target (the load generator fell behind, so the latencies describe a lighter load); failed or unsettled requests.
 * Figures that are null (not measured) are skipped, except heap growth when the load ran: it could not be measured,
 * which is a failure.
 */
export function budgetFailures(figures: MeasuredFigures, budget: BenchBudget): string[] {
  const failures: string[] = [];
  const f = formatFigure;
  if (figures.throughputOpsPerSec !== null && figures.throughputOpsPerSec < budget.throughputOpsPerSec) {
    failures.push(`throughput ${f(figures.throughputOpsPerSec)} ops/s < budget ${f(budget.throughputOpsPerSec)} ops/s`);
  }
  const load = figures.load;
  if (load !== null) {
    const gc = figures.gcPauseMs;
    const gcContext = gc !== null && gc !== undefined ? [`garbage collection paused ${f(gc)} ms in total during the load`] : [];
    const added = addedLatencyMs(load);
    if (added > budget.p99Ms) {
      const context = [load.baseline === null ? 'no baseline: the whole p99 counts' : `p99 ${f(load.p99Ms)} ms - no-op baseline p99 ${f(load.baseline.p99Ms)} ms`, ...gcContext];
      failures.push(`added p99 ${f(added)} ms > budget ${f(budget.p99Ms)} ms (${context.join('; ')})`);
    }
    if (load.p99Ms > budget.p99CeilingMs) {
      const tries = figures.attemptP99Ms ?? [];
      const context = [
        ...(tries.length > 1 ? [`lowest of ${tries.length} attempts: ${tries.map(f).join(', ')} ms`] : []),
        ...(load.baseline === null ? [] : [`no-op baseline p99 ${f(load.baseline.p99Ms)} ms`]),
        ...gcContext,
      ];
      failures.push(`p99 ${f(load.p99Ms)} ms > ceiling ${f(budget.p99CeilingMs)} ms${context.length > 0 ? ` (${context.join('; ')})` : ''}`);
    }
    if (load.ratePerSec < budget.ratePerSec * MIN_RATE_SHARE) {
      failures.push(`arrival rate ${f(load.ratePerSec)}/s < ${MIN_RATE_SHARE * 100}% of the target ${f(budget.ratePerSec)}/s (the load generator fell behind)`);
    }
    if (load.failed > 0) failures.push(`${f(load.failed)} of ${f(load.requests)} requests failed (first: ${load.firstError ?? 'unknown error'})`);
    if (load.pending > 0) failures.push(`${f(load.pending)} of ${f(load.requests)} requests never settled`);
    if (figures.heapGrowthBytes === null) failures.push('heap growth not measured (could not force a garbage collection)');
  }
  if (figures.heapGrowthBytes !== null && figures.heapGrowthBytes > budget.heapGrowthBytes) {
    failures.push(`heap growth ${f(figures.heapGrowthBytes)} bytes > budget ${f(budget.heapGrowthBytes)} bytes`);
  }
  return failures;
}
