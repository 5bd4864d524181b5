/**
 * The project's TypeScript as `add` needs it: which compiler judges, which tsconfig governs the target folder, what
 * that means for generated code (module format, extension, import style), and the check that picks the candidate
 * rendering the project's own compiler accepts, or refuses with the setting to change.
 */
import { join } from 'node:path';
import { TypeCheckError, UnmetSettingError } from '../errors.js';
import { posixRelative } from '../paths.js';
import { DEFAULT_COMPILER_OPTIONS, formatDiagnostic, typeCheck, type CheckDiagnostic, type CheckFile } from './check.js';
import { compilerFacts, type CompilerFacts, type ModuleFormat } from './compiler-options.js';
import { detectCompiler, typesMajor, type DetectedCompiler } from './compiler.js';
import { nearestPackageJson } from './package-json.js';
import { explainDiagnostics, flagHints } from './settings.js';
import { displayConfigPath, findGoverningTsconfig, type ResolvedTsconfig } from './tsconfig.js';
import { selectionCovers } from './tsconfig-match.js';

export type { ImportStyle, ModuleFormat, CompilerFacts } from './compiler-options.js';

/** The tsconfig fields of `info --json`. */
export interface TsconfigInfo {
  /** The config governing the target folder, relative to the project root (POSIX), or null when there is none. */
  readonly path: string | null;
  /** Its `extends` chain, nearest first, itself included (package configs as `@scope/pkg/file.json`). */
  readonly chain: readonly string[];
  readonly module: string;
  readonly moduleResolution: string;
  readonly moduleFormat: ModuleFormat;
}

/** Everything about the project's TypeScript that `add` decides from, read without loading a compiler. */
export interface TypeScriptTarget {
  readonly compiler: DetectedCompiler;
  /** The governing config, or null (the kit's strict NodeNext defaults apply). */
  readonly tsconfig: ResolvedTsconfig | null;
  readonly facts: CompilerFacts;
  readonly info: TsconfigInfo;
  /** Fallbacks taken (e.g. no tsconfig includes the target), for the user. */
  readonly warnings: readonly string[];
}

/**
 * Reads the project's TypeScript setup for a module written as `<targetDir>/<baseName>.ts` (or `.mts`).
 * @param compiler - the detected compiler; detected from `projectRoot` when omitted
 * @throws {@link ProjectError} when a tsconfig on the way cannot be read.
 */
export function resolveTypeScriptTarget(targetDir: string, baseName: string, projectRoot: string, compiler: DetectedCompiler = detectCompiler(projectRoot)): TypeScriptTarget {
  const tsFile = join(targetDir, `${baseName}.ts`);
  const governing = findGoverningTsconfig(tsFile, projectRoot);
  const config = governing.config;
  const packageType = nearestPackageJson(targetDir)?.type ?? 'commonjs';
  const options = config?.compilerOptions ?? DEFAULT_COMPILER_OPTIONS;
  const facts = compilerFacts(options, compiler.major, packageType);
  const warnings = [...governing.warnings];
  if (config && governing.covers && facts.extension !== '.ts' && !selectionCovers(config, join(targetDir, `${baseName}${facts.extension}`))) {
    warnings.push(
      `${displayConfigPath(config.path, projectRoot)} compiles .ts files to CommonJS under verbatimModuleSyntax, so the files are written as ${facts.extension} (ES modules), but its "include" does not cover ${facts.extension} files: add "**/*${facts.extension}" to it.`,
    );
  }
  const info: TsconfigInfo = {
    path: config ? displayConfigPath(config.path, projectRoot) : null,
    chain: config ? config.chain.map((p) => displayConfigPath(p, projectRoot)) : [],
    module: facts.module,
    moduleResolution: facts.moduleResolution,
    moduleFormat: facts.moduleFormat,
  };
  return { compiler, tsconfig: config, facts, info, warnings };
}

/**
 * The tsconfig fields of `info --json` for the target folder `targetDir` (as for a module `index.ts` there).
 * @throws {@link ProjectError} when a tsconfig on the way cannot be read.
 */
export function describeTsconfig(targetDir: string, projectRoot: string, compiler?: DetectedCompiler): TsconfigInfo {
  return resolveTypeScriptTarget(targetDir, 'index', projectRoot, compiler).info;
}

/** The outcome of {@link checkCandidates}. */
export interface CandidateChoice {
  /** Index of the first candidate the compiler accepts. */
  readonly index: number;
  readonly warnings: readonly string[];
}

/**
 * Errors of a name or global type nothing declares (`Cannot find name 'AbortSignal'`, its "did you mean" and "do
 * you need to install type definitions" forms, `Cannot find global type`): what a project file may declare.
 */
const MISSING_GLOBAL_CODES = new Set([2304, 2318, 2552, 2580, 2581, 2582, 2583, 2584, 2591, 2592]);

/** True for the complaint of a lib that does not declare `Symbol.asyncDispose` (TS2339 / TS2550). */
function isMissingAsyncDispose(d: CheckDiagnostic): boolean {
  return /'asyncDispose'/.test(d.message) && /SymbolConstructor/.test(d.message);
}

/**
 * Checks the candidate renderings with the project's compiler (see {@link typeCheck}) and returns the first one with
 * no errors. Candidates are in
 * order of preference (the run-time-installed dispose hook is the fallback for a lib without `Symbol.asyncDispose`);
 * when none passes, the errors reported are those of the first candidate that does not trip over a missing
 * `Symbol.asyncDispose`.
 * @param subject - what is being generated, for messages (e.g. `worker-pool`)
 * @throws {@link UnmetSettingError} when only project settings stand in the way (each named, with its fix);
 * {@link TypeCheckError} when the code itself has errors; {@link ProjectError} when the compiler rejects the tsconfig.
 */
export async function checkCandidates(target: TypeScriptTarget, candidates: readonly (readonly CheckFile[])[], projectRoot: string, subject: string, signal?: AbortSignal): Promise<CandidateChoice> {
  const request = { compiler: target.compiler, tsconfig: target.tsconfig, projectRoot, sets: candidates, ...(signal ? { signal } : {}) };
  let result = await typeCheck(request);
  // A global the generated code uses may come from the project's own files (a `node:` import loads @types/node when
  // TypeScript 6's `types` defaults to []; a global.d.ts): before refusing, check as the project's build does.
  if (target.tsconfig !== null && result.sets.every((set) => set.some((d) => MISSING_GLOBAL_CODES.has(d.code)))) {
    result = await typeCheck({ ...request, withProjectFiles: true });
  }
  const clean = result.sets.findIndex((set) => set.length === 0);
  if (clean !== -1) return { index: clean, warnings: result.warnings };
  // Report the preferred candidate's errors, unless they include the missing asyncDispose the next one avoids.
  let chosen = 0;
  while (chosen + 1 < result.sets.length && (result.sets[chosen] ?? []).some(isMissingAsyncDispose)) chosen++;
  const diagnostics = [...(result.sets[chosen] ?? [])].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.line - b.line || a.column - b.column);
  const shown = diagnostics.map((d) => formatDiagnostic(d, projectRoot));
  const { settings, unexplained } = explainDiagnostics(diagnostics, { tsconfig: target.tsconfig, projectRoot, compilerMajor: typesMajor(target.compiler) });
  const judge = `TypeScript ${target.compiler.version} (${target.compiler.source === 'project' ? "the project's" : "the kit's; the project has none"})`;
  const under = target.info.path ?? 'the default options';
  if (unexplained.length === 0 && settings.length > 0) {
    throw new UnmetSettingError(`Generated ${subject}, checked by ${judge} under ${under},`, settings, shown);
  }
  const file = diagnostics.find((d) => d.file !== null)?.file;
  const hints = [
    ...settings.map((s) => `Fix ${s.setting}: ${s.fix}`),
    ...flagHints(unexplained, { tsconfig: target.tsconfig, projectRoot, compilerMajor: typesMajor(target.compiler) }),
  ];
  const hint = hints.length > 0 ? hints.join('\n') : undefined;
  throw new TypeCheckError(`${file ? posixRelative(projectRoot, file) : subject} (checked by ${judge} under ${under})`, shown, hint);
}
