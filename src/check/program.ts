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

/**
 * Creates the program of one tsconfig (types are checked lazily, only where a rule asks). It parses as `tsc` does:
 * without parent pointers (binding sets them, and the checker binds every file before a rule runs) and without the
 * JSDoc of TypeScript files, which no rule reads (JavaScript files keep theirs: it holds their types).
 */
export function createCheckProgram(input: ProgramInput): ts.Program {
  const host = ts.createCompilerHost(input.options, false);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const lib = libs();
  const libText = (path: string): string | undefined => (dirname(resolve(path)) === LIB_DIR ? lib.get(resolve(path).slice(LIB_DIR.length + 1)) : undefined);
  const base = { getSourceFile: host.getSourceFile.bind(host), fileExists: host.fileExists.bind(host), readFile: host.readFile.bind(host), directoryExists: host.directoryExists?.bind(host) };
  host.getDefaultLibLocation = () => LIB_DIR;
  host.getDefaultLibFileName = (o) => join(LIB_DIR, ts.getDefaultLibFileName(o));
  host.fileExists = (path) => libText(path) !== undefined || base.fileExists(path);
  host.readFile = (path) => libText(path) ?? base.readFile(path);
  host.directoryExists = (path) => resolve(path) === LIB_DIR || (base.directoryExists?.(path) ?? true);
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const text = libText(path);
    if (text !== undefined) return ts.createSourceFile(path, text, languageVersion, false);
    return base.getSourceFile(path, languageVersion, onError, shouldCreate);
  };
  return ts.createProgram({ rootNames: input.rootNames, options: input.options, host, ...(input.projectReferences ? { projectReferences: input.projectReferences } : {}) });
}
