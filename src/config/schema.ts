/**
 * A validator for the subset of JSON Schema (draft 2020-12) that `schema/concurrency-kit.schema.json` uses, so the
 * shipped schema is the one source of truth: editors read it for completion and hover text, and `readConfig`
 * validates with it. A keyword outside the subset is refused, so a schema edit can never be silently ignored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../patterns/registry.js';

/** A JSON Schema node of the supported subset. */
export interface JsonSchema {
  readonly $schema?: string;
  readonly $id?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
  readonly $ref?: string;
  readonly title?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly type?: JsonType | readonly JsonType[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly minLength?: number;
  readonly pattern?: string;
}

/** The JSON types a schema's `type` may name. */
export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** The keywords {@link validateJson} understands; any other keyword in a schema is an error. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema', '$id', '$defs', '$ref', 'title', 'description', 'default', 'type', 'enum', 'properties', 'required',
  'additionalProperties', 'items', 'minItems', 'minLength', 'pattern',
]);

/** One way a value fails its schema. */
export interface SchemaProblem {
  /** Where, e.g. `modules[0].files[1].sha256`; empty for the document itself. */
  readonly path: string;
  /** What is wrong, e.g. `must be one of "test", "spec" (got "tests")`. */
  readonly message: string;
}

/** Absolute path of the shipped schema of `concurrency-kit.json`. */
export const CONFIG_SCHEMA_FILE = join(PACKAGE_ROOT, 'schema', 'concurrency-kit.schema.json');

let configSchema: JsonSchema | undefined;

/** The shipped schema of `concurrency-kit.json`, read once. */
export function loadConfigSchema(): JsonSchema {
  configSchema ??= JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8')) as JsonSchema;
  return configSchema;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const t = typeof value;
  if (t === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return t === 'string' || t === 'boolean' ? t : 'object';
}

function matchesType(value: unknown, type: JsonType): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function listOf(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`;
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
  const target = match ? root.$defs?.[match[1] ?? ''] : undefined;
  if (!target) throw new Error(`internal: unsupported or dangling $ref ${ref}`);
  return target;
}

function checkKeywords(schema: JsonSchema): void {
  for (const key of Object.keys(schema)) {
    if (!SUPPORTED_KEYWORDS.has(key)) throw new Error(`internal: the config schema uses "${key}", which the kit's validator does not support`);
  }
}

/**
 * Validates `value` against `schema` (resolving `$ref`s against `root`) and returns every problem found, in document
 * order; an empty array means the value is valid.
 * @throws Error when the schema uses a keyword outside {@link SUPPORTED_KEYWORDS} (a bug in the kit).
 */
export function validateJson(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = ''): SchemaProblem[] {
  checkKeywords(schema);
  if (schema.$ref !== undefined) return validateJson(value, resolveRef(schema.$ref, root), root, path);
  const problems: SchemaProblem[] = [];
  const fail = (message: string, at = path): SchemaProblem[] => {
    problems.push({ path: at, message });
    return problems;
  };
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => matchesType(value, t))) {
      return fail(`must be ${listOf(types.map((t) => (t === 'object' || t === 'array' || t === 'integer' ? `an ${t}` : `a ${t}`)))} (got ${show(value)})`);
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => e === value)) {
    return fail(`must be one of ${schema.enum.map(show).join(', ')} (got ${show(value)})`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) {
      return fail(schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters long`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      return fail(`is not accepted (got ${show(value)})${schema.description ? `: ${schema.description}` : ''}`);
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) return fail(`must have at least ${schema.minItems} item(s)`);
    if (schema.items) for (const [i, item] of value.entries()) problems.push(...validateJson(item, schema.items, root, child(path, i)));
  }
  if (typeOf(value) === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) fail('is required', child(path, key));
    const known = schema.properties ?? {};
    for (const [key, item] of Object.entries(record)) {
      const sub = known[key];
      if (sub) problems.push(...validateJson(item, sub, root, child(path, key)));
      else if (schema.additionalProperties === false) fail(`is not a known field (known: ${Object.keys(known).join(', ')})`, child(path, key));
      else if (typeof schema.additionalProperties === 'object') problems.push(...validateJson(item, schema.additionalProperties, root, child(path, key)));
    }
  }
  return problems;
}
