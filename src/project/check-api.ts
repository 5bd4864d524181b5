/**
 * The in-process check for TypeScript 5 and 6 (the project's, or the kit's fallback): the project's compiler is
 * loaded with createRequire, parses the governing tsconfig itself, and compiles the candidate sets, served from memory
 * by an overlay CompilerHost, one program per set in order until one has no errors (declaration files are parsed and
 * bound once for all of them). Nothing touches the disk.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type * as TS from 'typescript';
import { ProjectError } from '../errors.js';
import { DEFAULT_COMPILER_OPTIONS, STAGING_PREFIX, stagedLayout, type CheckDiagnostic, type CheckRequest, type CheckResult } from './check.js';
import type { DetectedCompiler } from './compiler.js';
import { visibleTypePackages } from './package-json.js';

type Ts = typeof TS;

/** Option-level diagnostics that tsc reports but that do not stop it checking files. */
const NON_FATAL_CONFIG_CODES = new Set([18003 /* no inputs */, 5101, 5107 /* deprecated */, 5110 /* rootDir */]);

const KIT_LIB_DIR = resolve('/__concurrency_kit_lib__');

interface LoadedCompiler {
  readonly ts: Ts;
  /** In-memory lib files (the kit's bundled compiler ships them as data), by file name. */
  readonly libFiles: ReadonlyMap<string, string> | null;
}

const loaded = new Map<string, LoadedCompiler>();

function load(compiler: DetectedCompiler): LoadedCompiler {
  const cached = loaded.get(compiler.location);
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let result: LoadedCompiler;
  if (compiler.source === 'kit') {
    const common = require(compiler.location) as { ts: Ts; getLibFiles(): readonly { fileName: string; text: string }[] };
    result = { ts: common.ts, libFiles: new Map(common.getLibFiles().map((f) => [f.fileName, f.text])) };
  } else {
    result = { ts: require(compiler.location) as Ts, libFiles: null };
  }
  loaded.set(compiler.location, result);
  return result;
}

function flatten(ts: Ts, d: TS.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(d.messageText, '\n');
}

function readOptions(ts: Ts, request: CheckRequest): { options: TS.CompilerOptions; fileNames: readonly string[]; warnings: string[] } {
  const warnings: string[] = [];
  if (!request.tsconfig) {
    const converted = ts.convertCompilerOptionsFromJson(DEFAULT_COMPILER_OPTIONS, request.projectRoot);
    return { options: converted.options, fileNames: [], warnings };
  }
  const path = request.tsconfig.path;
  let unrecoverable: TS.Diagnostic | undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(path, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      unrecoverable = d;
    },
  });
  if (!parsed || unrecoverable) {
    throw new ProjectError(`TypeScript ${ts.version} cannot read ${path}: ${unrecoverable ? flatten(ts, unrecoverable) : 'unknown error'}`, 'ERR_TSCONFIG');
  }
  const errors = parsed.errors.filter((e) => e.category === ts.DiagnosticCategory.Error);
  const fatal = errors.filter((e) => !NON_FATAL_CONFIG_CODES.has(e.code));
  if (fatal.length > 0) {
    throw new ProjectError(`TypeScript ${ts.version} rejects ${path}:\n${fatal.map((e) => `  TS${String(e.code)}: ${flatten(ts, e)}`).join('\n')}`, 'ERR_TSCONFIG');
  }
  for (const e of errors) if (e.code !== 18003) warnings.push(`the project's tsconfig has a problem of its own (TS${String(e.code)}): ${flatten(ts, e)}`);
  return { options: parsed.options, fileNames: parsed.fileNames, warnings };
}

/** See {@link typeCheck}: the `via: api` branch. */
export function checkWithApi(request: CheckRequest): CheckResult {
  const { ts, libFiles } = load(request.compiler);
  const { options: parsedOptions, fileNames, warnings } = readOptions(ts, request);
  const options: TS.CompilerOptions = {
    ...parsedOptions,
    noEmit: true,
    composite: false,
    incremental: false,
    emitDeclarationOnly: false,
    // Keep declaration diagnostics (isolatedDeclarations) when the project emits declarations.
    declaration: parsedOptions.declaration === true || parsedOptions.composite === true,
  };
  delete options.tsBuildInfoFile;
  delete options.outFile;
  // The kit's compiler is TypeScript 6 (`types` defaults to []): for a project without a compiler of its own, keep
  // TypeScript 5's default of every visible @types package.
  if (request.compiler.source === 'kit' && request.tsconfig?.compilerOptions.types === undefined) {
    options.types = visibleTypePackages(request.projectRoot);
  }

  const anyFile = request.sets[0]?.[0];
  if (!anyFile) return { sets: [], warnings };
  const stagingDir = join(dirname(anyFile.path), `${STAGING_PREFIX}api`);
  const layout = stagedLayout(request.sets, stagingDir);
  const virtualDirs = new Set<string>();
  for (const path of layout.keys()) for (let dir = dirname(path); !virtualDirs.has(dir) && dirname(dir) !== dir; dir = dirname(dir)) virtualDirs.add(dir);

  const host = ts.createCompilerHost(options);
  // As tsc does since TypeScript 5.3: JSDoc in .ts files is parsed only where it can produce type errors.
  if (ts.JSDocParsingMode !== undefined) host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const base = { ...host };
  const libText = (path: string): string | undefined => (libFiles && dirname(path) === KIT_LIB_DIR ? libFiles.get(path.slice(KIT_LIB_DIR.length + 1)) : undefined);
  // Lib and package declaration files are parsed (and bound) once, however many programs are built.
  const parsed = new Map<string, TS.SourceFile | undefined>();
  host.fileExists = (path) => layout.has(resolve(path)) || libText(resolve(path)) !== undefined || base.fileExists(path);
  host.readFile = (path) => layout.get(resolve(path))?.file.contents ?? libText(resolve(path)) ?? base.readFile(path);
  host.directoryExists = (path) => virtualDirs.has(resolve(path)) || (libFiles !== null && resolve(path) === KIT_LIB_DIR) || (base.directoryExists?.(path) ?? true);
  host.getSourceFile = (path, languageVersion, onError, shouldCreate) => {
    const staged = layout.get(resolve(path))?.file.contents;
    if (staged !== undefined) return ts.createSourceFile(path, staged, languageVersion);
    const key = `${path}\0${typeof languageVersion === 'object' ? String(languageVersion.impliedNodeFormat) : ''}`;
    if (parsed.has(key)) return parsed.get(key);
    const lib = libText(resolve(path));
    const sf = lib !== undefined ? ts.createSourceFile(path, lib, languageVersion) : base.getSourceFile(path, languageVersion, onError, shouldCreate);
    parsed.set(key, sf);
    return sf;
  };
  if (libFiles) {
    host.getDefaultLibLocation = () => KIT_LIB_DIR;
    host.getDefaultLibFileName = (o) => join(KIT_LIB_DIR, ts.getDefaultLibFileName(o));
  }

  // Candidates in order, one program each, stopping at the first without errors: the common case compiles once.
  // A later program reuses the parsed and bound declaration files of the earlier one.
  const declarations = options.declaration === true;
  // The project's own files, as roots next to the generated ones (see CheckRequest.withProjectFiles).
  const projectRoots = request.withProjectFiles === true ? fileNames : [];
  const sets: CheckDiagnostic[][] = [];
  let oldProgram: TS.Program | undefined;
  for (const index of request.sets.keys()) {
    const roots = [...layout].filter(([, entry]) => entry.set === index);
    const program = ts.createProgram({ rootNames: [...projectRoots, ...roots.map(([staged]) => staged)], options, host, ...(oldProgram ? { oldProgram } : {}) });
    oldProgram = program;
    const found: CheckDiagnostic[] = [];
    for (const [staged, { file }] of roots) {
      const sf = program.getSourceFile(staged);
      if (!sf) {
        found.push({ file: file.path, line: 0, column: 0, code: 0, message: 'the compiler did not load the file' });
        continue;
      }
      const all = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf), ...(declarations ? program.getDeclarationDiagnostics(sf) : [])];
      for (const d of all) {
        if (d.category !== ts.DiagnosticCategory.Error) continue;
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1, character: -1 };
        found.push({ file: file.path, line: at.line + 1, column: at.character + 1, code: d.code, message: flatten(ts, d) });
      }
    }
    // A missing global type (`Cannot find global type 'Promise'`) concerns every file of the set.
    for (const d of program.getGlobalDiagnostics()) {
      if (d.category === ts.DiagnosticCategory.Error) found.push({ file: null, line: 0, column: 0, code: d.code, message: flatten(ts, d) });
    }
    sets.push(found);
    if (found.length === 0) break;
  }
  return { sets, warnings };
}
