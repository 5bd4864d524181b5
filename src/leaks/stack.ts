/**
 * Creation stacks for the leak trackers: capturing V8 call sites cheaply, deciding which frames are the user's
 * (not `node:` internals, not `node_modules`, not the detector itself), and formatting the user frames of a
 * leak's creation stack the way the running test framework would (so vitest's source maps apply).
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A V8 call site, as `Error.prepareStackTrace` receives it. */
export type CallSite = NodeJS.CallSite;

/** Where a frame's code lives: the user's code, node's internals or a dependency, or the detector itself. */
export type FrameOrigin = 'user' | 'internal' | 'detector';

/** What the trackers need to know about one file name seen in a stack. */
interface FileInfo {
  readonly origin: FrameOrigin;
  /** Absolute real path (symlinks resolved) of a user file; `''` for the others. */
  readonly path: string;
}

/** The folder holding the detector's own files (`src/leaks` or `dist/leaks`): its frames are never the user's. */
const DETECTOR_DIR = dirname(fileURLToPath(import.meta.url)) + sep;
const NODE_MODULES = `${sep}node_modules${sep}`;

const structured = (_error: Error, callSites: CallSite[]): CallSite[] => callSites;
const fileInfos = new Map<string, FileInfo>();
const INTERNAL: FileInfo = Object.freeze({ origin: 'internal', path: '' });

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Classifies a file name as V8 reports it (an absolute path, a `file:` URL, `node:...`, or nothing). */
export function fileInfo(fileName: string | null | undefined): FileInfo {
  if (!fileName) return INTERNAL;
  let info = fileInfos.get(fileName);
  if (info === undefined) {
    let path = fileName;
    if (path.startsWith('file://')) {
      try {
        path = fileURLToPath(path);
      } catch {
        path = '';
      }
    }
    if (path === '' || !isAbsolute(path) || path.includes(NODE_MODULES)) info = INTERNAL;
    else if (path.startsWith(DETECTOR_DIR)) info = { origin: 'detector', path: '' };
    else info = { origin: 'user', path: realPath(path) };
    fileInfos.set(fileName, info);
  }
  return info;
}

/**
 * Captures the current stack as V8 call sites, without formatting it: at least `min` and at most `max` frames
 * (whatever `Error.stackTraceLimit` already allows in that range, since writing it costs a microsecond each way),
 * starting below the frame of `above` (the hook that is capturing). `Error.prepareStackTrace` (and the limit when
 * it had to change) are swapped for the duration and restored, whatever was installed (vitest installs
 * source-map support there).
 */
export function captureCallSites(min: number, max: number, above: Function): readonly CallSite[] {
  const prepare = Error.prepareStackTrace;
  const stackLimit = Error.stackTraceLimit;
  const setLimit = !(stackLimit >= min && stackLimit <= max);
  const holder: { stack?: unknown } = {};
  Error.prepareStackTrace = structured;
  if (setLimit) Error.stackTraceLimit = max;
  try {
    Error.captureStackTrace(holder, above);
    const stack = holder.stack;
    return Array.isArray(stack) ? (stack as CallSite[]) : [];
  } catch {
    return [];
  } finally {
    Error.prepareStackTrace = prepare;
    if (setLimit) Error.stackTraceLimit = stackLimit;
  }
}

/** Index in `callSites` of the first user frame; -1 when there is none, -2 when a detector frame comes first. */
export function firstUserFrame(callSites: readonly CallSite[]): number {
  for (let i = 0; i < callSites.length; i++) {
    const origin = fileInfo(callSites[i]!.getFileName()).origin;
    if (origin === 'user') return i;
    if (origin === 'detector') return -2;
  }
  return -1;
}

/** True when one of the frames above the first user frame (`end`) is in `file` (a `node:` module name). */
export function createdBy(callSites: readonly CallSite[], end: number, file: string): boolean {
  for (let i = 0; i < end; i++) {
    if (callSites[i]!.getFileName() === file) return true;
  }
  return false;
}

/**
 * A call site's answers, read once: unlike V8's own call sites it holds no function and no receiver, so keeping it
 * keeps nothing of the user's alive (a GC test in the user's suite must not see the detector's references).
 */
class FrozenCallSite implements CallSite {
  readonly #fileName: string | null;
  readonly #line: number | null;
  readonly #column: number | null;
  readonly #functionName: string | null;
  readonly #methodName: string | null;
  readonly #typeName: string | null;
  readonly #evalOrigin: string | undefined;
  readonly #scriptName: string | null;
  readonly #flags: number;
  readonly #promiseIndex: number | null;
  readonly #text: string;

  constructor(site: CallSite) {
    this.#fileName = site.getFileName() ?? null;
    this.#line = site.getLineNumber();
    this.#column = site.getColumnNumber();
    this.#functionName = site.getFunctionName();
    this.#methodName = site.getMethodName();
    this.#typeName = site.getTypeName();
    this.#evalOrigin = site.getEvalOrigin();
    this.#scriptName = site.getScriptNameOrSourceURL();
    this.#flags =
      (site.isToplevel() ? 1 : 0) | (site.isEval() ? 2 : 0) | (site.isNative() ? 4 : 0) | (site.isConstructor() ? 8 : 0) | (site.isAsync() ? 16 : 0) | (site.isPromiseAll() ? 32 : 0);
    this.#promiseIndex = site.getPromiseIndex();
    this.#text = String(site);
  }

  getThis(): unknown {
    return undefined;
  }
  getTypeName(): string | null {
    return this.#typeName;
  }
  getFunction(): Function | undefined {
    return undefined;
  }
  getFunctionName(): string | null {
    return this.#functionName;
  }
  getMethodName(): string | null {
    return this.#methodName;
  }
  getFileName(): string | null {
    return this.#fileName;
  }
  getLineNumber(): number | null {
    return this.#line;
  }
  getColumnNumber(): number | null {
    return this.#column;
  }
  getEvalOrigin(): string | undefined {
    return this.#evalOrigin;
  }
  getScriptNameOrSourceURL(): string | null {
    return this.#scriptName;
  }
  getScriptHash(): string {
    return '';
  }
  getEnclosingColumnNumber(): number | null {
    return null;
  }
  getEnclosingLineNumber(): number | null {
    return null;
  }
  getPosition(): number {
    return 0;
  }
  isToplevel(): boolean {
    return (this.#flags & 1) !== 0;
  }
  isEval(): boolean {
    return (this.#flags & 2) !== 0;
  }
  isNative(): boolean {
    return (this.#flags & 4) !== 0;
  }
  isConstructor(): boolean {
    return (this.#flags & 8) !== 0;
  }
  isAsync(): boolean {
    return (this.#flags & 16) !== 0;
  }
  isPromiseAll(): boolean {
    return (this.#flags & 32) !== 0;
  }
  getPromiseIndex(): number | null {
    return this.#promiseIndex;
  }
  toString(): string {
    return this.#text;
  }
}

/** The user frames of a stack, frozen (see {@link FrozenCallSite}): what a record keeps for its report. */
export function freezeUserFrames(callSites: readonly CallSite[]): readonly CallSite[] {
  const frozen: CallSite[] = [];
  for (const site of callSites) {
    if (fileInfo(site.getFileName()).origin === 'user') frozen.push(new FrozenCallSite(site));
  }
  return frozen;
}

/** A stand-in error that framework `prepareStackTrace` functions can format call sites for. */
const FORMAT_HOLDER = Object.freeze({ name: 'Error', message: '' }) as Error;

/** One call site as a stack line without indentation (`at fn (/path/file.ts:12:5)`), source-mapped when possible. */
function formatFrame(callSite: CallSite): string {
  const prepare = Error.prepareStackTrace;
  if (typeof prepare === 'function' && prepare !== structured) {
    try {
      const formatted: unknown = prepare(FORMAT_HOLDER, [callSite]);
      if (typeof formatted === 'string') {
        const line = formatted.split('\n').findLast((l) => l.trimStart().startsWith('at '));
        if (line !== undefined) return line.trim();
      }
    } catch {
      // fall through to V8's own rendering
    }
  }
  return `at ${String(callSite)}`;
}

/**
 * The creation stack trimmed to user frames, one `at ...` line per frame, the first one where the user's code
 * created the thing. Empty when the stack holds no user frame.
 */
export function formatUserStack(callSites: readonly CallSite[]): string {
  const lines: string[] = [];
  for (const callSite of callSites) {
    if (fileInfo(callSite.getFileName()).origin === 'user') lines.push(formatFrame(callSite));
  }
  return lines.join('\n');
}

const STACK_LINE_FILE = /\(?((?:file:\/\/)?[^\s()]+?):\d+:\d+\)?$/;

/** Trims an already formatted `error.stack` to its user frames (`at ...` lines, no indentation). */
export function trimFormattedStack(stack: string): string {
  const lines: string[] = [];
  for (const raw of stack.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('at ')) continue;
    const file = STACK_LINE_FILE.exec(line)?.[1];
    if (fileInfo(file).origin === 'user') lines.push(line);
  }
  return lines.join('\n');
}

/** Which user files' promises are tracked: their real paths, or a predicate over them. */
export type IncludeFilter = readonly string[] | ((file: string) => boolean);

/** A test file by name (`*.test.*`, `*.spec.*`): the default include filter leaves these out. */
export const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

/** Compiles an include filter into a predicate over a frame's file info (cached per file). */
export function compileInclude(include: IncludeFilter | undefined): (file: string) => boolean {
  if (include === undefined) return (file) => !TEST_FILE.test(file);
  if (typeof include === 'function') return include;
  const files = new Set(include.map((file) => realPath(file.startsWith('file://') ? fileURLToPath(file) : file)));
  return (file) => files.has(file);
}
