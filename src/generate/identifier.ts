/**
 * Validation of `--name`: the identifier of a pattern's primary export. Any ECMAScript identifier is accepted,
 * Unicode included, unless it is reserved, shadows a global, or clashes with a name the generated files already use.
 */
import { InvalidNameError } from '../errors.js';
import type { PatternManifest } from '../patterns/manifest.js';
import { templateOf, type FileRole, type Pattern } from '../patterns/registry.js';
import { defaultContext, type OptionValue, type TargetFeatures } from './context.js';
import { renderTemplate } from './render.js';

/** An ECMAScript IdentifierName: ID_Start, `$` or `_`, then ID_Continue, `$`, ZWNJ or ZWJ (Unicode letters included). */
const IDENTIFIER_SOURCE = String.raw`[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*`;
const IDENTIFIER = new RegExp(`^${IDENTIFIER_SOURCE}$`, 'u');

/** Reserved words (ES, strict mode and TypeScript's own) that cannot name a class. */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with',
  // strict mode
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await',
  // not usable as a class or type name
  'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
  'any', 'unknown', 'never', 'object', 'string', 'number', 'boolean', 'symbol', 'bigint', 'type', 'declare',
  'namespace', 'module', 'abstract', 'readonly', 'keyof', 'infer', 'is', 'asserts', 'satisfies', 'as', 'of',
  'async', 'get', 'set', 'constructor', 'require', 'exports',
]);

/** Globals a generated class must not shadow: standard built-ins and the web/Node globals modules rely on. */
const GLOBALS = new Set([
  'globalThis', 'Object', 'Function', 'Array', 'Number', 'String', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON',
  'Date', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError',
  'TypeError', 'URIError', 'Promise', 'Proxy', 'Reflect', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef',
  'FinalizationRegistry', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'Int8Array', 'Uint8Array',
  'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array',
  'BigInt64Array', 'BigUint64Array', 'Intl', 'Iterator', 'AsyncIterator', 'Generator', 'AsyncGenerator',
  'Record', 'Partial', 'Required', 'Readonly', 'Pick', 'Omit', 'Exclude', 'Extract', 'ReturnType', 'Awaited',
  'PromiseLike', 'ArrayLike', 'Iterable', 'AsyncIterable', 'Disposable', 'AsyncDisposable',
  'AbortController', 'AbortSignal', 'Event', 'EventTarget', 'CustomEvent', 'DOMException', 'MessageChannel',
  'MessagePort', 'MessageEvent', 'BroadcastChannel', 'Worker', 'SharedWorker', 'WebSocket', 'Blob', 'File',
  'FormData', 'Headers', 'Request', 'Response', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder',
  'ReadableStream', 'WritableStream', 'TransformStream', 'Buffer', 'Performance', 'performance', 'process',
  'console', 'queueMicrotask', 'structuredClone', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
  'setImmediate', 'clearImmediate', 'fetch', 'crypto', 'Crypto', 'NodeJS', 'global', 'window', 'self', 'document',
  'navigator', 'Lock', 'LockManager',
]);

/**
 * Checks that `name` can name the generated primary export.
 * @throws {@link InvalidNameError} when it is not an identifier, is reserved, or shadows a global.
 */
export function validateIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new InvalidNameError(
      `--name "${name}" is not a valid TypeScript identifier: use letters (any script), digits, "_" or "$", not starting with a digit (e.g. "JobPool").`,
    );
  }
  if (RESERVED.has(name)) throw new InvalidNameError(`--name "${name}" is a reserved word in TypeScript; choose another name.`);
  if (GLOBALS.has(name)) throw new InvalidNameError(`--name "${name}" would shadow the global "${name}"; choose another name.`);
  return name;
}

/** A top-level declaration at the start of a line: `export class X`, `const X =`, `async function X`, ... */
const DECLARATION = new RegExp(
  String.raw`^(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|class|interface|type|enum|const|let|var)\s+(${IDENTIFIER_SOURCE})`,
  'gmu',
);
/** An import declaration at the start of a line, its clause captured (named imports may span lines). */
const IMPORT = /^import\s+(?:type\s+)?([^'";]*?)\s*from\s*['"]/gmu;
const NAMESPACE = new RegExp(String.raw`\*\s*as\s+(${IDENTIFIER_SOURCE})`, 'u');

/**
 * The names bound at the top level of generated TypeScript source, in order and with repeats: imports (defaults,
 * namespaces, named and aliased) and declarations that start a line. Generated files put top-level code in column 0
 * and indent everything nested, which is what makes this scan exact for them (a unit test compares it with the
 * TypeScript parser on every pattern).
 */
export function topLevelBindings(source: string): string[] {
  const names: { at: number; name: string }[] = [];
  for (const match of source.matchAll(IMPORT)) {
    const clause = match[1] ?? '';
    const at = match.index;
    const braces = /\{([^}]*)\}/u.exec(clause);
    const head = (braces ? clause.slice(0, braces.index) : clause).replace(/,\s*$/u, '').trim();
    const namespace = NAMESPACE.exec(head);
    if (namespace?.[1] !== undefined) names.push({ at, name: namespace[1] });
    else if (head !== '') names.push({ at, name: head.replace(/,$/u, '').trim() });
    for (const item of braces?.[1]?.split(',') ?? []) {
      const parts = item.trim().replace(/^type\s+/u, '').split(/\s+as\s+/u);
      const local = parts.at(-1)?.trim();
      if (local) names.push({ at, name: local });
    }
  }
  for (const match of source.matchAll(DECLARATION)) if (match[1] !== undefined) names.push({ at: match.index, name: match[1] });
  return names.sort((a, b) => a.at - b.at).map((n) => n.name);
}

/** Stands for `--name` while finding which names the generated files use on their own. */
const NAME_PLACEHOLDER = 'ConcurrencyKitNamePlaceholder';

/**
 * The target the placeholder render uses. Top-level names do not depend on the target (ES module or CommonJS, lib with
 * or without `Symbol.asyncDispose`): a unit test renders every pattern for every target and compares.
 */
const PROBE_TARGET: TargetFeatures = { moduleFormat: 'esm', asyncDispose: true };

/** Names one file of a pattern uses whatever `--name` is (`fixed`), and those made from `--name` (`derived`). */
interface FileNames {
  readonly role: FileRole;
  readonly fixed: readonly string[];
  readonly derived: readonly string[];
}

const namesCache = new Map<string, readonly FileNames[]>();

/** The names each file of the pattern binds at the top level, from one in-memory render per file (cached). */
function fileNames(pattern: Pattern, options: Readonly<Record<string, OptionValue>>, roles: readonly FileRole[]): readonly FileNames[] {
  const manifest: PatternManifest = pattern.manifest;
  const key = JSON.stringify([manifest.id, options, roles]);
  const cached = namesCache.get(key);
  if (cached) return cached;
  const context = { ...defaultContext(manifest, PROBE_TARGET, '0.0.0'), name: NAME_PLACEHOLDER, options };
  const names = roles.map((role): FileNames => {
    const all = topLevelBindings(renderTemplate(templateOf(pattern, role), context, `${manifest.id}/${role}.ts.hbs`));
    return { role, fixed: all.filter((n) => !n.includes(NAME_PLACEHOLDER)), derived: all.filter((n) => n.includes(NAME_PLACEHOLDER)) };
  });
  namesCache.set(key, names);
  return names;
}

/** What {@link nameClashes} found. */
export interface NameClashes {
  /** Names the files would declare twice with this `--name` (empty when the name is free). */
  readonly clashes: readonly string[];
  /** Names the module uses on its own (whatever `--name` is), in order. */
  readonly module: readonly string[];
  /** Further names its test and benchmark use on their own (imports from vitest, helpers), in order. */
  readonly others: readonly string[];
}

/**
 * Finds the names that `name` would clash with in a pattern's generated files: a top-level name the files use on
 * their own (`QueueFullError` in worker-pool), or one they build from the name (`--name KeyedRateLimiter` makes
 * `KeyedRateLimiterOptions`, which rate-limiter already declares). Renders the templates in memory only, once per
 * pattern and options.
 * @param roles - the files that will be generated (`--no-test` drops the test's names)
 */
export function nameClashes(pattern: Pattern, name: string, options: Readonly<Record<string, OptionValue>>, roles: readonly FileRole[]): NameClashes {
  const clashes = new Set<string>();
  const module = new Set<string>();
  const others = new Set<string>();
  for (const { role, fixed, derived } of fileNames(pattern, options, roles)) {
    const fixedSet = new Set(fixed);
    for (const d of derived) {
      const actual = d.replaceAll(NAME_PLACEHOLDER, name);
      if (fixedSet.has(actual)) clashes.add(actual);
    }
    for (const f of fixed) (role === 'module' ? module : others).add(f);
  }
  return { clashes: [...clashes], module: [...module], others: [...others].filter((n) => !module.has(n)) };
}

/**
 * Checks that `name` is free in the pattern's generated files (see {@link nameClashes}).
 * @throws {@link InvalidNameError} naming the clash and listing the names taken, so the user can pick another.
 */
export function assertNameFree(pattern: Pattern, name: string, options: Readonly<Record<string, OptionValue>>, roles: readonly FileRole[]): void {
  // The default name is free by construction (a unit test checks every pattern), and costs no render.
  if (name === pattern.manifest.defaultName) return;
  const found = nameClashes(pattern, name, options, roles);
  if (found.clashes.length === 0) return;
  const id = pattern.manifest.id;
  throw new InvalidNameError(
    `--name "${name}" cannot be used for ${id}: the generated code would then declare ${found.clashes.join(', ')} twice. ` +
      `Names the ${id} module already uses: ${found.module.join(', ')}.` +
      (found.others.length > 0 ? ` Its test and benchmark also use: ${found.others.join(', ')}.` : '') +
      ' Choose another name.',
  );
}
