/**
 * Turns what `verify` observed (test cases, leaks, benchmark figures) into a status per checklist item, following
 * the pattern's {@link ChecklistProofs}. Pure: no disk, no processes.
 *
 * An item passes only when every proof it declares passed; a proof that failed, or could not run, fails it; a proof
 * that was switched off (`--no-leaks`, no `--bench`) or an item with no declared proof makes it `manual`.
 */
import type { ChecklistItem } from './agent.js';
import { BENCH_METRIC_BY_ITEM, LEAK_KINDS_BY_ITEM, type BenchMetric, type ChecklistProofs } from './proofs.js';

/** Status of one item: proved, disproved (or its proof could not run), or left to a person. */
export type ChecklistStatus = 'pass' | 'fail' | 'manual';

/** One item's outcome (an entry of `checklist` in `verify --json`). */
export interface ChecklistResult {
  readonly id: string;
  readonly text: string;
  readonly status: ChecklistStatus;
  /** What proved or disproved it, or why it is manual. */
  readonly provedBy: string;
}

/** One test case of the module's test file. */
export interface TestCase {
  /** The test's id: its title up to the first `:` (the whole title when it has none). */
  readonly id: string;
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'skipped';
}

/** Everything the checklist is judged on for one module. */
export interface ChecklistEvidence {
  /** Display name of the test file, for messages. */
  readonly testFile: string;
  readonly tests: { readonly state: 'ran'; readonly cases: readonly TestCase[] } | { readonly state: 'error'; readonly message: string };
  readonly leaks:
    | { readonly state: 'off' }
    | { readonly state: 'error'; readonly message: string }
    | { readonly state: 'ran'; readonly kinds: readonly string[] };
  /**
   * The benchmark's verdicts. `off`: it did not run for this module (no `--bench`, or the module has no bench file,
   * which `reason` then says), so bench-proved items are `manual`.
   */
  readonly bench:
    | { readonly state: 'off'; readonly reason?: string | undefined }
    | { readonly state: 'error'; readonly message: string }
    | { readonly state: 'ran'; readonly metrics: Readonly<Record<BenchMetric, { readonly ok: boolean; readonly detail: string }>> };
}

/** The id of a test title: the text before its first `:`. */
export function testIdOf(title: string): string {
  const colon = title.indexOf(':');
  return (colon < 0 ? title : title.slice(0, colon)).trim();
}

type Part = { readonly status: ChecklistStatus; readonly text: string };

function testsPart(ids: readonly string[], evidence: ChecklistEvidence): Part {
  if (evidence.tests.state === 'error') return { status: 'fail', text: `tests ${ids.join(', ')} did not run: ${evidence.tests.message.split('\n')[0]}` };
  const problems: string[] = [];
  let passed = 0;
  for (const id of ids) {
    const cases = evidence.tests.cases.filter((c) => c.id === id);
    if (cases.length === 0) problems.push(`test ${id} not found in ${evidence.testFile}`);
    else if (cases.some((c) => c.status === 'failed')) problems.push(`test ${id} failed`);
    else if (cases.every((c) => c.status === 'skipped')) problems.push(`test ${id} was skipped`);
    else passed += cases.filter((c) => c.status === 'passed').length;
  }
  if (problems.length > 0) return { status: 'fail', text: problems.join(', ') };
  return { status: 'pass', text: `test${ids.length > 1 ? 's' : ''} ${ids.join(', ')} passed` };
}

function leaksPart(itemId: string, evidence: ChecklistEvidence): Part {
  const kinds = LEAK_KINDS_BY_ITEM[itemId] ?? [];
  const what = `${kinds.join('/')} leaks`;
  switch (evidence.leaks.state) {
    case 'off':
      return { status: 'manual', text: 'leak check skipped (--no-leaks)' };
    case 'error':
      return { status: 'fail', text: `leak check did not run: ${evidence.leaks.message.split('\n')[0]}` };
    default: {
      const found = evidence.leaks.kinds.filter((k) => kinds.includes(k)).length;
      return found > 0
        ? { status: 'fail', text: `leak check found ${found} ${what}` }
        : { status: 'pass', text: `leak check found no ${what}` };
    }
  }
}

function benchPart(itemId: string, evidence: ChecklistEvidence): Part {
  const metric = BENCH_METRIC_BY_ITEM[itemId];
  switch (evidence.bench.state) {
    case 'off':
      return { status: 'manual', text: evidence.bench.reason ?? 'benchmark not run (verify --bench runs it)' };
    case 'error':
      return { status: 'fail', text: `benchmark did not run: ${evidence.bench.message.split('\n')[0]}` };
    default: {
      const result = metric ? evidence.bench.metrics[metric] : undefined;
      if (!result) return { status: 'fail', text: `the benchmark does not measure ${itemId}` };
      return { status: result.ok ? 'pass' : 'fail', text: `benchmark: ${result.detail}` };
    }
  }
}

/**
 * Judges every item of `checklist` for one module.
 * @param checklist - the agent's items, in order (the result keeps that order)
 * @param declaration - the pattern's proofs
 */
export function evaluateChecklist(checklist: readonly ChecklistItem[], declaration: ChecklistProofs, evidence: ChecklistEvidence): ChecklistResult[] {
  return checklist.map((item): ChecklistResult => {
    const proof = declaration.proofs[item.id];
    if (!proof) return { id: item.id, text: item.text, status: 'manual', provedBy: 'no automated check for this pattern: review by hand' };
    const parts: Part[] = [];
    if (proof.tests.length > 0) parts.push(testsPart(proof.tests, evidence));
    if (proof.leaks) parts.push(leaksPart(item.id, evidence));
    if (proof.bench) parts.push(benchPart(item.id, evidence));
    const status: ChecklistStatus = parts.some((p) => p.status === 'fail') ? 'fail' : parts.some((p) => p.status === 'manual') ? 'manual' : 'pass';
    return { id: item.id, text: item.text, status, provedBy: parts.map((p) => p.text).join('; ') };
  });
}
