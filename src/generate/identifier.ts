/**
 * Validation of `--name`: the identifier of a pattern's primary export.
 */
import { InvalidNameError } from '../errors.js';

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
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) {
    throw new InvalidNameError(
      `--name "${name}" is not a valid TypeScript identifier: use letters, digits, "_" or "$", not starting with a digit (e.g. "JobPool").`,
    );
  }
  if (RESERVED.has(name)) throw new InvalidNameError(`--name "${name}" is a reserved word in TypeScript; choose another name.`);
  if (GLOBALS.has(name)) throw new InvalidNameError(`--name "${name}" would shadow the global "${name}"; choose another name.`);
  return name;
}
