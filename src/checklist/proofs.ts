/**
 * What proves a checklist item for one pattern. A pattern's manifest declares, per item id of its agent's checklist,
 * how the item is proved:
 *
 * ```json
 * "checklist": {
 *   "agent": "concurrency-specialist",
 *   "proofs": {
 *     "cancel.queued": { "tests": ["cancel.queued"] },
 *     "leak.timers": { "tests": ["leak.timers"], "leaks": true },
 *     "perf.p99": { "bench": true }
 *   }
 * }
 * ```
 *
 * - `tests`: ids of tests in the generated test file (the text before the first `:` of the test's title, e.g.
 *   `it('cancel.queued: aborting a queued job ...')`); each must exist, run and pass.
 * - `leaks`: the leak check over the module's tests found no leak of the kinds the item covers
 *   ({@link LEAK_KINDS_BY_ITEM}).
 * - `bench`: the benchmark met the budget the item covers ({@link BENCH_METRIC_BY_ITEM}).
 *
 * Items a pattern does not declare are reported `manual`: reviewed by a person, never passed.
 */
import { TemplateError } from '../errors.js';
import { CHECKLIST_ID } from './agent.js';

/** The leak kinds (see `src/leaks`) each leak-proved checklist item covers. */
export const LEAK_KINDS_BY_ITEM: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'leak.promises': ['promise'],
  'leak.timers': ['timer', 'immediate'],
  'leak.listeners': ['listener'],
  'leak.handles': ['worker', 'message-port', 'socket', 'file-handle'],
  'errors.unhandled': ['unhandled-rejection'],
});

/** A benchmark figure checked against its budget. */
export type BenchMetric = 'throughput' | 'p99' | 'heap';

/** The benchmark figure each bench-proved checklist item covers. */
export const BENCH_METRIC_BY_ITEM: Readonly<Record<string, BenchMetric>> = Object.freeze({
  'perf.throughput': 'throughput',
  'perf.p99': 'p99',
  'perf.heap': 'heap',
});

/** How one item is proved for one pattern (at least one of the three). */
export interface ItemProof {
  /** Test ids (title prefixes before `:`) that must all exist and pass. */
  readonly tests: readonly string[];
  /** The leak check must find no leak of the item's kinds. */
  readonly leaks: boolean;
  /** The benchmark must meet the item's budget. */
  readonly bench: boolean;
}

/** A pattern's checklist declaration. */
export interface ChecklistProofs {
  /** Name of the agent definition (`agents/<agent>.md`) whose checklist applies. */
  readonly agent: string;
  /** Proofs by item id. */
  readonly proofs: Readonly<Record<string, ItemProof>>;
}

const TEST_ID = /^[a-z][a-z0-9]*(?:[-.][a-z0-9]+)*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates the `checklist` field of a manifest (structure only; {@link checkProofsAgainst} checks the ids against
 * the agent's checklist).
 * @throws {@link TemplateError} naming the file and the field
 */
export function parseChecklistProofs(file: string, raw: unknown): ChecklistProofs {
  const fail = (message: string): never => {
    throw new TemplateError(`Invalid pattern manifest ${file}: ${message}`);
  };
  if (!isRecord(raw)) return fail('checklist must be an object { agent, proofs }');
  const agent = raw['agent'];
  if (typeof agent !== 'string' || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(agent)) return fail('checklist.agent must name an agent file (kebab-case)');
  const rawProofs = raw['proofs'];
  if (!isRecord(rawProofs)) return fail('checklist.proofs must be an object keyed by checklist item id');
  const proofs: Record<string, ItemProof> = {};
  for (const [id, value] of Object.entries(rawProofs)) {
    const where = `checklist.proofs["${id}"]`;
    if (!CHECKLIST_ID.test(id)) fail(`${where}: "${id}" is not a checklist id`);
    if (!isRecord(value)) return fail(`${where} must be an object with tests, leaks and/or bench`);
    for (const key of Object.keys(value)) if (!['tests', 'leaks', 'bench'].includes(key)) fail(`${where}: unknown field "${key}"`);
    const tests = value['tests'] ?? [];
    if (!Array.isArray(tests) || !tests.every((t): t is string => typeof t === 'string' && TEST_ID.test(t))) {
      return fail(`${where}.tests must be an array of test ids (the text before ":" in a test title)`);
    }
    const leaks = value['leaks'] ?? false;
    const bench = value['bench'] ?? false;
    if (typeof leaks !== 'boolean' || typeof bench !== 'boolean') return fail(`${where}: leaks and bench must be booleans`);
    if (tests.length === 0 && !leaks && !bench) fail(`${where} proves nothing: give tests, leaks: true or bench: true`);
    if (leaks && !(id in LEAK_KINDS_BY_ITEM)) fail(`${where}: the leak check covers only ${Object.keys(LEAK_KINDS_BY_ITEM).join(', ')}`);
    if (bench && !(id in BENCH_METRIC_BY_ITEM)) fail(`${where}: the benchmark covers only ${Object.keys(BENCH_METRIC_BY_ITEM).join(', ')}`);
    proofs[id] = { tests, leaks, bench };
  }
  return { agent, proofs };
}

/**
 * Lists the problems of a declaration against its agent's checklist item ids: proofs for items the agent does not
 * have. An empty list means consistent.
 */
export function checkProofsAgainst(declaration: ChecklistProofs, itemIds: readonly string[]): string[] {
  const known = new Set(itemIds);
  return Object.keys(declaration.proofs)
    .filter((id) => !known.has(id))
    .map((id) => `checklist.proofs names "${id}", which is not an item of agents/${declaration.agent}.md`);
}
