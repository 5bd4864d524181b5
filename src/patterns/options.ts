/**
 * Option validation: `--set key=value` strings (or prompt answers) against a pattern's manifest.
 * Every message names the option, the value received and what the option accepts.
 */
import { InvalidOptionError } from '../errors.js';
import type { OptionValue } from '../generate/context.js';
import type { OptionSpec, PatternManifest } from './manifest.js';

/** A one-phrase description of what an option accepts, e.g. `an integer from 1 to 1024`. */
export function describeAccepted(spec: OptionSpec): string {
  switch (spec.type) {
    case 'integer':
      return `an integer from ${spec.min} to ${spec.max}`;
    case 'number':
      return `a number from ${spec.min} to ${spec.max}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${spec.choices.map((c) => `"${c}"`).join(', ')}`;
  }
}

/**
 * Converts one raw value (a string from the command line, or an already-typed prompt answer) to the option's type.
 * @throws {@link InvalidOptionError} when the value has the wrong type or is out of range.
 */
export function coerceOption(patternId: string, spec: OptionSpec, raw: string | number | boolean): OptionValue {
  const shown = typeof raw === 'string' ? `"${raw}"` : String(raw);
  const bad = (): never => {
    throw new InvalidOptionError(`Option "${spec.name}" of pattern "${patternId}" accepts ${describeAccepted(spec)}; received ${shown}.`);
  };
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const text = typeof raw === 'string' ? raw.trim().replace(/_/g, '') : raw;
      if (text === '' || typeof text === 'boolean') return bad();
      const value = typeof text === 'number' ? text : Number(text);
      if (!Number.isFinite(value)) return bad();
      if (spec.type === 'integer' && !Number.isInteger(value)) return bad();
      if (value < spec.min || value > spec.max) return bad();
      return value;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (text === 'true') return true;
      if (text === 'false') return false;
      return bad();
    }
    case 'enum': {
      const text = String(raw);
      if (!spec.choices.includes(text)) return bad();
      return text;
    }
  }
}

/**
 * Parses `--set` entries (`key=value`) into raw values keyed by option name.
 * @throws {@link InvalidOptionError} for a malformed entry, an unknown key or a key given twice.
 */
export function parseSetEntries(manifest: PatternManifest, entries: readonly string[]): Map<string, string> {
  const known = new Map(manifest.options.map((o) => [o.name, o]));
  const out = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new InvalidOptionError(`--set expects key=value, received "${entry}". Options of "${manifest.id}": ${[...known.keys()].join(', ') || '(none)'}.`);
    }
    const key = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1);
    if (!known.has(key)) {
      throw new InvalidOptionError(
        `Unknown option "${key}" for pattern "${manifest.id}". Known options: ${[...known.keys()].join(', ') || '(none)'}.`,
      );
    }
    if (out.has(key)) throw new InvalidOptionError(`Option "${key}" is given twice with --set.`);
    out.set(key, value);
  }
  return out;
}

/**
 * Resolves every manifest option: given values are coerced and range-checked, the rest take their defaults.
 * @throws {@link InvalidOptionError} naming the first bad option.
 */
export function resolveOptions(
  manifest: PatternManifest,
  given: ReadonlyMap<string, string | number | boolean>,
): Record<string, OptionValue> {
  const known = new Set(manifest.options.map((o) => o.name));
  for (const key of given.keys()) {
    if (!known.has(key)) {
      throw new InvalidOptionError(`Unknown option "${key}" for pattern "${manifest.id}". Known options: ${[...known].join(', ') || '(none)'}.`);
    }
  }
  const resolved: Record<string, OptionValue> = {};
  for (const spec of manifest.options) {
    const raw = given.get(spec.name);
    resolved[spec.name] = raw === undefined ? spec.default : coerceOption(manifest.id, spec, raw);
  }
  return resolved;
}
