/**
 * Builds a program with ts-morph's TypeScript (one compiler for every project, so the rules' syntax kinds always
 * match). That compiler ships its lib files as data, so the host serves them from memory.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ts } from 'ts-morph';
import type { ProgramInput } from './files.js';

const LIB_DIR = resolve('/__concurrency_kit_check_lib__');
let libFiles: ReadonlyMap<string, string> | null = null;

function libs(): ReadonlyMap<string, string> {
  if (libFiles === null) {
    const common = createRequire(import.meta.url)('@ts-morph/common') as { getLibFiles(): readonly { fileName: string; text: string }[] };
    libFiles = new Map(common.getLibFiles().map((f) => [f.fileName, f.text]));
  }
  return libFiles;
}

/** How `check` parses, as `tsc` does: without the JSDoc of TypeScript files, which no rule reads (JavaScript keeps it: it holds the types). */
const JSDOC_PARSING = ts.JSDocParsingMode.ParseForTypeErrors;

/**
 * The parsed files of one `check` run, shared by its programs: the references of a solution-style tsconfig read the
 * same lib files and packages, and each is parsed and bound once for every program whose compiler options parse it
 * alike (the language service's document registry, which keys files by those options).
 */
export type SourceFileCache = ts.DocumentRegistry;

/** A new, empty {@link SourceFileCache}. */
export function createSourceFileCache(): SourceFileCache {
  return ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, ts.sys.getCurrentDirectory(), JSDOC_PARSING);
}

/**
 * Creates the program of one tsconfig (types are checked lazily, only where a rule asks). Files come from `cache`
 * when an earlier program of the run parsed them under the same options; new ones are parsed without parent pointers
 * (binding sets them, and the checker binds every file before a rule runs).
 */
export function createCheckProgram(input: ProgramInput, cache: SourceFileCache = createSourceFileCache()): ts.Program {
  const host = ts.createCompilerHost(input.options);
  host.jsDocParsingMode = JSDOC_PARSING;
  const lib = libs();
  const libText = (path: string): string | undefined => (dirname(resolve(path)) === LIB_DIR ? lib.get(resolve(path).slice(LIB_DIR.length + 1)) : undefined);
  const base = { fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host), directoryExists: host.directoryExists?.bind(host) };
  host.getDefaultLibLocation = () => LIB_DIR;
  host.getDefaultLibFileName = (o) => join(LIB_DIR, ts.getDefaultLibFileName(o));
  host.fileExists = (path) => libText(path) !== undefined || base.fileExists(path);
  host.readFile = (path) => libText(path) ?? base.readFile(path);
  host.directoryExists = (path) => resolve(path) === LIB_DIR || (base.directoryExists?.(path) ?? true);
  host.getSourceFile = (path, languageVersionOrOptions, onError) => {
    let text: string | undefined;
    try {
      text = host.readFile(path);
    } catch (error) {
      onError?.(error instanceof Error ? error.message : String(error));
    }
    if (text === undefined) return undefined;
    return cache.acquireDocument(path, input.options, ts.ScriptSnapshot.fromString(text), '0', undefined, languageVersionOrOptions);
  };
  return ts.createProgram({ rootNames: input.rootNames, options: input.options, host, ...(input.projectReferences ? { projectReferences: input.projectReferences } : {}) });
}
