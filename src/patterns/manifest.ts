/**
 * The pattern manifest (`templates/<id>/manifest.json`): the one options schema that drives
 * validation, prompts, `list --json` and the README table.
 */
import { TemplateError } from '../errors.js';
import { parseChecklistProofs, type ChecklistProofs } from '../checklist/proofs.js';

/**
 * When an option applies: every named (earlier) option must hold one of the listed values. Written in a manifest as
 * `"when": { "overflow": "wait" }` or `"when": { "overflow": ["wait", "block"] }`; stored with arrays.
 */
export type OptionCondition = Readonly<Record<string, readonly (string | number | boolean)[]>>;

/** Fields every option spec has. */
interface OptionSpecBase {
  readonly name: string;
  readonly description: string;
  /** Present when the option applies only under other options' values; prompts skip it otherwise. */
  readonly when?: OptionCondition;
}

/** An integer option; `min`/`max` are inclusive. */
export interface IntegerOptionSpec extends OptionSpecBase {
  readonly type: 'integer';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/** A finite number option; `min`/`max` are inclusive. */
export interface NumberOptionSpec extends OptionSpecBase {
  readonly type: 'number';
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/** A boolean option (`true`/`false`). */
export interface BooleanOptionSpec extends OptionSpecBase {
  readonly type: 'boolean';
  readonly default: boolean;
}

/** One of a fixed set of strings. */
export interface EnumOptionSpec extends OptionSpecBase {
  readonly type: 'enum';
  readonly choices: readonly string[];
  readonly default: string;
}

/** Any option a manifest may declare. */
export type OptionSpec = IntegerOptionSpec | NumberOptionSpec | BooleanOptionSpec | EnumOptionSpec;

/**
 * Performance budget of a pattern's generated module, checked by `verify --bench` (see `runBench` in
 * `src/verify/bench.ts`). The floors and ceilings come from measurements on a 2-core machine with generous headroom,
 * so noise never fails a healthy module and a real regression does; `verify --budget key=value` overrides them.
 */
export interface BenchBudget {
  /** Floor on the throughput scenario's core operations per second (ops/s); 0 disables it. */
  readonly throughputOpsPerSec: number;
  /**
   * Ceiling on the latency the module adds at the 99th percentile (ms): the open load's p99, from intended arrival to
   * settlement, minus the p99 of a no-op request driven at the same rate in the same run (the baseline), so a busy
   * machine does not fail a healthy module.
   */
  readonly p99Ms: number;
  /**
   * Ceiling on the open load's absolute p99, baseline included (ms): the looser, second bound, which catches a module
   * that stalls the event loop (its own stall shows in the baseline too, so {@link BenchBudget.p99Ms} alone cannot).
   * @defaultValue 50 ({@link DEFAULT_P99_CEILING_MS})
   */
  readonly p99CeilingMs: number;
  /** Open-load arrival rate (requests/s, > 0). @defaultValue 7000 */
  readonly ratePerSec: number;
  /** Length of the measured open load (ms, > 0). @defaultValue 3000 */
  readonly durationMs: number;
  /** Ceiling on heap growth over the open load, after a forced GC (bytes). */
  readonly heapGrowthBytes: number;
}

/** The keys of {@link BenchBudget}, in the order reports list them. */
export const BUDGET_KEYS = ['throughputOpsPerSec', 'p99Ms', 'p99CeilingMs', 'ratePerSec', 'durationMs', 'heapGrowthBytes'] as const;
/** One of {@link BUDGET_KEYS}. */
export type BudgetKey = (typeof BUDGET_KEYS)[number];

/** Load shape a manifest's budget may leave out: the design promise of 7,000 requests/s, for 3 s. */
export const DEFAULT_LOAD = { ratePerSec: 7000, durationMs: 3000 } as const;

/** The absolute p99 ceiling a manifest's budget may leave out (ms): see {@link BenchBudget.p99CeilingMs}. */
export const DEFAULT_P99_CEILING_MS = 50;

/** Most requests one open load may schedule (`ratePerSec * durationMs / 1000`): the latency array is preallocated. */
export const MAX_LOAD_REQUESTS = 10_000_000;

/**
 * Why `value` is not acceptable for budget field `key`, or null when it is: every field is a finite number >= 0, and
 * `ratePerSec` and `durationMs` are > 0.
 */
export function budgetValueProblem(key: BudgetKey, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
  if (value < 0) return 'must not be negative';
  if ((key === 'ratePerSec' || key === 'durationMs') && value === 0) return 'must be greater than 0';
  return null;
}

/** Why a budget's load is too large to schedule, or null: at most {@link MAX_LOAD_REQUESTS} requests. */
export function loadSizeProblem(budget: Pick<BenchBudget, 'ratePerSec' | 'durationMs'>): string | null {
  const requests = (budget.ratePerSec * budget.durationMs) / 1000;
  return requests > MAX_LOAD_REQUESTS
    ? `ratePerSec x durationMs / 1000 = ${Math.round(requests).toLocaleString('en-US')} requests, more than the ${MAX_LOAD_REQUESTS.toLocaleString('en-US')} one load may schedule`
    : null;
}

/** A parsed, validated pattern manifest. */
export interface PatternManifest {
  /** Kebab-case id: at once the template folder, the CLI argument and the generated file's base name. */
  readonly id: string;
  /** One-line description shown by `list` and the pattern picker. */
  readonly description: string;
  /** Default identifier of the primary export (overridden by `--name`). */
  readonly defaultName: string;
  /** Options in the order they are prompted and listed. */
  readonly options: readonly OptionSpec[];
  /** Which checklist items of which agent the pattern proves, and how (see `src/checklist/proofs.ts`). */
  readonly checklist: ChecklistProofs;
  /** What `verify --bench` holds the generated module to. */
  readonly budget: BenchBudget;
  /** Extra files the pattern generates besides its module, test and bench, in the order they are written. */
  readonly companions: readonly CompanionSpec[];
  /**
   * npm packages the test and bench files need besides vitest (e.g. `tsx`, to load TypeScript in worker threads);
   * `add` treats them as it treats vitest: declared by the project, or the test-side files are skipped with the
   * install command (`--install` installs them).
   */
  readonly testDependencies: readonly string[];
}

/**
 * A companion file: written as `<id>.<role><ext>` next to the module from `templates/<id>/<role>.ts.hbs`. With
 * `"with": "module"` it is part of the module (always written, e.g. the worker side of a thread pool); with
 * `"with": "tests"` it serves the test and bench (written whenever one of them is, e.g. an example task file).
 */
export interface CompanionSpec {
  /** Kebab-case role, also the file name's middle part; never `module`, `test`, `spec` or `bench`. */
  readonly role: string;
  /** Which side the file belongs to. */
  readonly with: 'module' | 'tests';
  /** One line for `list --json` and the README: what the file is for. */
  readonly description: string;
}

const OPTION_TYPES = new Set(['integer', 'number', 'boolean', 'enum']);

function fail(file: string, message: string): never {
  throw new TemplateError(`Invalid pattern manifest ${file}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(file: string, where: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(file, `${where} must be a non-empty string`);
  return value;
}

function finite(file: string, where: string, value: unknown, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    fail(file, `${where} must be a finite ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

/** Whether `value` is a value `spec` accepts (used to check a `when` condition against the option it names). */
function acceptsValue(spec: OptionSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'integer':
    case 'number':
      return typeof value === 'number' && value >= spec.min && value <= spec.max && (spec.type === 'number' || Number.isInteger(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && spec.choices.includes(value);
  }
}

function parseCondition(file: string, where: string, raw: unknown, earlier: readonly OptionSpec[]): OptionCondition {
  if (!isRecord(raw) || Object.keys(raw).length === 0) fail(file, `${where}.when must be an object naming at least one earlier option, e.g. { "overflow": "wait" }`);
  const condition: Record<string, readonly (string | number | boolean)[]> = {};
  for (const [key, value] of Object.entries(raw)) {
    const target = earlier.find((o) => o.name === key);
    if (!target) fail(file, `${where}.when names "${key}", which is not an option declared before it (known: ${earlier.map((o) => o.name).join(', ') || 'none'})`);
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.length === 0) fail(file, `${where}.when.${key} must list at least one value`);
    for (const v of values) {
      if (!acceptsValue(target, v)) fail(file, `${where}.when.${key}: ${JSON.stringify(v)} is not a value of option "${key}"`);
    }
    condition[key] = values as (string | number | boolean)[];
  }
  return condition;
}

/**
 * Whether an option applies given the other options' values (resolved, typed): true when it has no `when`, or
 * every option its `when` names holds one of the listed values.
 */
export function optionApplies(spec: OptionSpec, values: Readonly<Record<string, string | number | boolean>>): boolean {
  if (spec.when === undefined) return true;
  return Object.entries(spec.when).every(([key, accepted]) => {
    const value = values[key];
    return value !== undefined && accepted.includes(value);
  });
}

/**
 * Warnings for options given explicitly that have no effect under the others' values, e.g.
 * `option waitingCapacity has no effect here: it applies only when overflow is "wait".`
 * @param given - names of the options the user set
 * @param values - every option's resolved value
 */
export function inapplicableOptionWarnings(
  manifest: PatternManifest,
  given: Iterable<string>,
  values: Readonly<Record<string, string | number | boolean>>,
): string[] {
  const set = new Set(given);
  return manifest.options
    .filter((spec) => set.has(spec.name) && !optionApplies(spec, values))
    .map((spec) => `option ${spec.name} has no effect here: it applies only when ${describeCondition(spec) ?? ''}.`);
}

/** The condition of an option for people, e.g. `overflow is "wait"`; null when it always applies. */
export function describeCondition(spec: OptionSpec): string | null {
  if (spec.when === undefined) return null;
  return Object.entries(spec.when)
    .map(([key, values]) => `${key} is ${values.map((v) => JSON.stringify(v)).join(' or ')}`)
    .join(' and ');
}

function parseOption(file: string, raw: unknown, index: number, earlier: readonly OptionSpec[] = []): OptionSpec {
  if (!isRecord(raw)) fail(file, `options[${index}] must be an object`);
  const name = str(file, `options[${index}].name`, raw['name']);
  if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) fail(file, `option name "${name}" must be camelCase`);
  const where = `option "${name}"`;
  const type = raw['type'];
  if (typeof type !== 'string' || !OPTION_TYPES.has(type)) fail(file, `${where}: type must be one of integer, number, boolean, enum`);
  const description = str(file, `${where}.description`, raw['description']);
  const when = raw['when'] === undefined ? {} : { when: parseCondition(file, where, raw['when'], earlier) };
  switch (type) {
    case 'integer':
    case 'number': {
      const integer = type === 'integer';
      const min = finite(file, `${where}.min`, raw['min'], integer);
      const max = finite(file, `${where}.max`, raw['max'], integer);
      const def = finite(file, `${where}.default`, raw['default'], integer);
      if (min > max || def < min || def > max) fail(file, `${where}: need min <= default <= max`);
      return { name, type, default: def, min, max, description, ...when };
    }
    case 'boolean': {
      if (typeof raw['default'] !== 'boolean') fail(file, `${where}.default must be a boolean`);
      return { name, type, default: raw['default'], description, ...when };
    }
    default: {
      const choices = raw['choices'];
      if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string' && c.length > 0)) {
        fail(file, `${where}.choices must be a non-empty array of strings`);
      }
      const def = str(file, `${where}.default`, raw['default']);
      if (!choices.includes(def)) fail(file, `${where}.default must be one of its choices`);
      return { name, type: 'enum', choices: choices as string[], default: def, description, ...when };
    }
  }
}

function parseBudget(file: string, raw: unknown): BenchBudget {
  if (!isRecord(raw)) fail(file, 'budget must be an object with throughputOpsPerSec, p99Ms and heapGrowthBytes (and optionally p99CeilingMs, ratePerSec, durationMs)');
  for (const key of Object.keys(raw)) {
    if (!(BUDGET_KEYS as readonly string[]).includes(key)) fail(file, `budget.${key} is not a budget field (known: ${BUDGET_KEYS.join(', ')})`);
  }
  const field = (key: BudgetKey): number => {
    const value = raw[key] ?? (key === 'ratePerSec' || key === 'durationMs' ? DEFAULT_LOAD[key] : key === 'p99CeilingMs' ? DEFAULT_P99_CEILING_MS : undefined);
    if (value === undefined) fail(file, `budget.${key} is required`);
    const problem = budgetValueProblem(key, value);
    if (problem !== null) fail(file, `budget.${key} ${problem}, got ${JSON.stringify(value)}`);
    return value as number;
  };
  const budget: BenchBudget = {
    throughputOpsPerSec: field('throughputOpsPerSec'),
    p99Ms: field('p99Ms'),
    p99CeilingMs: field('p99CeilingMs'),
    ratePerSec: field('ratePerSec'),
    durationMs: field('durationMs'),
    heapGrowthBytes: field('heapGrowthBytes'),
  };
  const tooLarge = loadSizeProblem(budget);
  if (tooLarge !== null) fail(file, `budget: ${tooLarge}`);
  return budget;
}

const RESERVED_ROLES = new Set(['module', 'test', 'spec', 'bench']);

function parseCompanions(file: string, raw: unknown): CompanionSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail(file, 'companions must be an array of { role, with, description }');
  const seen = new Set<string>();
  return raw.map((entry: unknown, i): CompanionSpec => {
    if (!isRecord(entry)) fail(file, `companions[${i}] must be an object with role, with and description`);
    const role = str(file, `companions[${i}].role`, entry['role']);
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(role)) fail(file, `companions[${i}].role "${role}" must be kebab-case`);
    if (RESERVED_ROLES.has(role)) fail(file, `companions[${i}].role "${role}" is reserved (module, test, spec and bench are the pattern's own files)`);
    if (seen.has(role)) fail(file, `companion role "${role}" is declared twice`);
    seen.add(role);
    const side = entry['with'];
    if (side !== 'module' && side !== 'tests') fail(file, `companions[${i}].with must be "module" or "tests", got ${JSON.stringify(side)}`);
    return { role, with: side, description: str(file, `companions[${i}].description`, entry['description']) };
  });
}

function parseTestDependencies(file: string, raw: unknown): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || !raw.every((d): d is string => typeof d === 'string' && /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(d))) {
    fail(file, 'testDependencies must be an array of npm package names');
  }
  return raw;
}

/**
 * Validates a manifest's JSON. Throws {@link TemplateError} naming the file and the field when it is malformed.
 * @param file - path shown in messages
 * @param raw - the parsed JSON
 * @param folder - the template folder's name, which must equal the manifest id
 */
export function parseManifest(file: string, raw: unknown, folder: string): PatternManifest {
  if (!isRecord(raw)) fail(file, 'must be a JSON object');
  const id = str(file, 'id', raw['id']);
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id)) fail(file, `id "${id}" must be kebab-case`);
  if (id !== folder) fail(file, `id "${id}" must equal its folder name "${folder}"`);
  const description = str(file, 'description', raw['description']);
  const defaultName = str(file, 'defaultName', raw['defaultName']);
  const rawOptions = raw['options'];
  if (!Array.isArray(rawOptions)) fail(file, 'options must be an array');
  const options: OptionSpec[] = [];
  for (const [i, o] of rawOptions.entries()) options.push(parseOption(file, o, i, options));
  const seen = new Set<string>();
  for (const o of options) {
    if (seen.has(o.name)) fail(file, `option "${o.name}" is declared twice`);
    seen.add(o.name);
  }
  const checklist = parseChecklistProofs(file, raw['checklist']);
  const budget = parseBudget(file, raw['budget']);
  const companions = parseCompanions(file, raw['companions']);
  const testDependencies = parseTestDependencies(file, raw['testDependencies']);
  return { id, description, defaultName, options, checklist, budget, companions, testDependencies };
}
