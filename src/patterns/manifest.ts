/**
 * The pattern manifest (`templates/<id>/manifest.json`): the one options schema that drives
 * validation, prompts, `list --json` and the README table.
 */
import { TemplateError } from '../errors.js';
import { parseChecklistProofs, type ChecklistProofs } from '../checklist/proofs.js';

/** An integer option; `min`/`max` are inclusive. */
export interface IntegerOptionSpec {
  readonly name: string;
  readonly type: 'integer';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly description: string;
}

/** A finite number option; `min`/`max` are inclusive. */
export interface NumberOptionSpec {
  readonly name: string;
  readonly type: 'number';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly description: string;
}

/** A boolean option (`true`/`false`). */
export interface BooleanOptionSpec {
  readonly name: string;
  readonly type: 'boolean';
  readonly default: boolean;
  readonly description: string;
}

/** One of a fixed set of strings. */
export interface EnumOptionSpec {
  readonly name: string;
  readonly type: 'enum';
  readonly choices: readonly string[];
  readonly default: string;
  readonly description: string;
}

/** Any option a manifest may declare. */
export type OptionSpec = IntegerOptionSpec | NumberOptionSpec | BooleanOptionSpec | EnumOptionSpec;

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

function parseOption(file: string, raw: unknown, index: number): OptionSpec {
  if (!isRecord(raw)) fail(file, `options[${index}] must be an object`);
  const name = str(file, `options[${index}].name`, raw['name']);
  if (!/^[a-z][a-zA-Z0-9]*$/.test(name)) fail(file, `option name "${name}" must be camelCase`);
  const where = `option "${name}"`;
  const type = raw['type'];
  if (typeof type !== 'string' || !OPTION_TYPES.has(type)) fail(file, `${where}: type must be one of integer, number, boolean, enum`);
  const description = str(file, `${where}.description`, raw['description']);
  switch (type) {
    case 'integer':
    case 'number': {
      const integer = type === 'integer';
      const min = finite(file, `${where}.min`, raw['min'], integer);
      const max = finite(file, `${where}.max`, raw['max'], integer);
      const def = finite(file, `${where}.default`, raw['default'], integer);
      if (min > max || def < min || def > max) fail(file, `${where}: need min <= default <= max`);
      return { name, type, default: def, min, max, description };
    }
    case 'boolean': {
      if (typeof raw['default'] !== 'boolean') fail(file, `${where}.default must be a boolean`);
      return { name, type, default: raw['default'], description };
    }
    default: {
      const choices = raw['choices'];
      if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string' && c.length > 0)) {
        fail(file, `${where}.choices must be a non-empty array of strings`);
      }
      const def = str(file, `${where}.default`, raw['default']);
      if (!choices.includes(def)) fail(file, `${where}.default must be one of its choices`);
      return { name, type: 'enum', choices: choices as string[], default: def, description };
    }
  }
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
  const options = rawOptions.map((o, i) => parseOption(file, o, i));
  const seen = new Set<string>();
  for (const o of options) {
    if (seen.has(o.name)) fail(file, `option "${o.name}" is declared twice`);
    seen.add(o.name);
  }
  const checklist = parseChecklistProofs(file, raw['checklist']);
  return { id, description, defaultName, options, checklist };
}
