/**
 * Type-checks rendered files with the project's own compiler under the tsconfig that governs them, before anything
 * is written. Candidate sets (e.g. the module with a declared and with a run-time-installed dispose hook) each live
 * in their own folder below the target folder. `tsc` (TypeScript 7) checks them all in ONE run, in parallel; the API
 * (TypeScript 5, 6) checks them in order in programs that share every parsed declaration file, and stops at the
 * first set without errors, so the common case compiles once.
 */
import { dirname, join } from 'node:path';
import { posixRelative } from '../paths.js';
import type { DetectedCompiler } from './compiler.js';
import type { ResolvedTsconfig } from './tsconfig.js';

/** A rendered file to check, by the absolute path it will be written to. */
export interface CheckFile {
  readonly path: string;
  readonly contents: string;
}

/** One compiler diagnostic (errors only). */
export interface CheckDiagnostic {
  /** Absolute final path of the generated file it is in, or null for a diagnostic about no file of ours. */
  readonly file: string | null;
  /** 1-based line and column, 0 when there is no file. */
  readonly line: number;
  readonly column: number;
  /** The TS error number, e.g. 2304. */
  readonly code: number;
  /** The message, chained parts joined with newlines. */
  readonly message: string;
}

/** Inputs of {@link typeCheck}. */
export interface CheckRequest {
  readonly compiler: DetectedCompiler;
  /** The governing tsconfig, or null for the kit's strict defaults. */
  readonly tsconfig: ResolvedTsconfig | null;
  readonly projectRoot: string;
  /** Candidate sets of files; every file of a set lives in one folder (the target folder). */
  readonly sets: readonly (readonly CheckFile[])[];
  /** Aborting stops a running `tsc` and removes the staged files. */
  readonly signal?: AbortSignal;
  /**
   * Also load the files the tsconfig selects, as the project's own build does, and report only the generated files'
   * errors. Globals some project file brings in (a `node:` import that loads `@types/node`, a `global.d.ts`) are then
   * declared for the generated code too. Costs parsing the whole project. @defaultValue false
   */
  readonly withProjectFiles?: boolean;
}

/** The outcome of {@link typeCheck}. */
export interface CheckResult {
  /**
   * The error diagnostics of each set, in the order of {@link CheckRequest.sets}. A backend may stop after the first
   * set without errors, so sets after it can be missing; every set is present when none is clean.
   */
  readonly sets: readonly (readonly CheckDiagnostic[])[];
  /** Problems that are not in the generated files (e.g. a deprecated option in the project's tsconfig). */
  readonly warnings: readonly string[];
}

/** Options used when the project has no tsconfig at all: strict, Node ESM. */
export const DEFAULT_COMPILER_OPTIONS = {
  strict: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  skipLibCheck: true,
} as const;

/** Name of the folder (inside the target folder) that holds candidate sets while they are checked. */
export const STAGING_PREFIX = '.concurrency-kit-check-';

/** Where each file of each set is placed for the check: `<target>/<staging>/<set index>/<file name>`. */
export function stagedLayout(sets: readonly (readonly CheckFile[])[], stagingDir: string): Map<string, { set: number; file: CheckFile }> {
  const layout = new Map<string, { set: number; file: CheckFile }>();
  for (const [index, set] of sets.entries()) {
    for (const file of set) layout.set(join(stagingDir, String(index), posixRelative(dirname(file.path), file.path)), { set: index, file });
  }
  return layout;
}

/** `file:line:col - TS1234: message`, the file relative to `root`. */
export function formatDiagnostic(d: CheckDiagnostic, root: string): string {
  const where = d.file === null ? '' : `${posixRelative(root, d.file)}:${String(d.line)}:${String(d.column)} - `;
  return `${where}TS${String(d.code)}: ${d.message}`;
}

/**
 * Checks every set in one compilation with the detected compiler: in process for `via: api`, by running `tsc` on
 * staged copies for `via: tsc` (the tree is left byte-identical, also on abort).
 * @throws {@link ProjectError} when the project's compiler rejects its own tsconfig, or cannot be run.
 */
export async function typeCheck(request: CheckRequest): Promise<CheckResult> {
  if (request.compiler.via === 'tsc') {
    const { checkWithTsc } = await import('./check-tsc.js');
    return checkWithTsc(request);
  }
  const { checkWithApi } = await import('./check-api.js');
  return checkWithApi(request);
}
