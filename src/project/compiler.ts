/**
 * Which TypeScript judges generated code: the project's own (resolved from its root, as its `tsc` would be), or, only
 * when the project has none, the compiler the kit ships (bundled with ts-morph). TypeScript 5 and 6 are driven in
 * process through their API; TypeScript 7 has no JavaScript compiler API and is run as its native `tsc`.
 * Detection reads package.json files only: nothing is loaded until a check runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ProjectError } from '../errors.js';
import { resolveProjectPackage } from './package-json.js';

/** The compiler fields of `info --json` and of `add`'s result. */
export interface CompilerInfo {
  /** `project`: the project's own TypeScript; `kit`: the kit's fallback, used only when the project has none. */
  readonly source: 'project' | 'kit';
  /** Its version, e.g. `7.0.2`. */
  readonly version: string;
  /** `api`: checked in process through the compiler API (TypeScript 5, 6); `tsc`: by running its `tsc` (TypeScript 7). */
  readonly via: 'api' | 'tsc';
}

/** A detected compiler and where it lives. */
export interface DetectedCompiler extends CompilerInfo {
  /** Major version (5, 6, 7, ...). */
  readonly major: number;
  /** Absolute path of the module to load (`via: api`) or of the typescript package folder (`via: tsc`). */
  readonly location: string;
}

const kitRequire = createRequire(import.meta.url);

/** The kit's own compiler: the TypeScript bundled in @ts-morph/common (a dependency of the kit). */
function kitCompiler(): DetectedCompiler {
  const entry = kitRequire.resolve('@ts-morph/common');
  const bundled = join(dirname(entry), 'typescript.js');
  // Read the version from the bundle's text rather than loading 9 MB of compiler for `info`.
  const match = /\bversion = "(\d+\.\d+\.\d+[^"]*)"/.exec(readFileSync(bundled, 'utf8'));
  const version = match?.[1] ?? '0.0.0';
  return { source: 'kit', version, via: 'api', major: Number(version.split('.')[0]), location: entry };
}

/**
 * Detects the compiler for the project at `root`: its own `typescript` when one resolves from there (version from
 * its package.json), else the kit's.
 * @throws {@link ProjectError} when the project's typescript package is unreadable.
 */
export function detectCompiler(root: string): DetectedCompiler {
  const pkgPath = resolveProjectPackage(root, 'typescript');
  if (!pkgPath) return kitCompiler();
  let version: string;
  try {
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: unknown };
    version = typeof pkg.version === 'string' ? pkg.version : '';
  } catch (error) {
    throw new ProjectError(`Cannot read ${pkgPath}: ${(error as Error).message}`, 'ERR_COMPILER', { cause: error });
  }
  const major = Number.parseInt(version, 10);
  if (!Number.isFinite(major)) throw new ProjectError(`${pkgPath} has no usable version (${JSON.stringify(version)}).`, 'ERR_COMPILER');
  const dir = dirname(pkgPath);
  if (major >= 7) return { source: 'project', version, via: 'tsc', major, location: dir };
  const entry = createRequire(pkgPath).resolve('typescript');
  return { source: 'project', version, via: 'api', major, location: entry };
}

/**
 * The major version whose `types` default applies: TypeScript 5 sees every installed @types package when `types` is
 * unset, 6 and later none. The kit's fallback compiler (TypeScript 6) is told to behave as 5 there (see check-api.ts),
 * and `check`, which reads code with it, does the same for a project on TypeScript 5 or without TypeScript.
 */
export function typesMajor(compiler: DetectedCompiler): number {
  return compiler.source === 'kit' ? 5 : compiler.major;
}

/**
 * How to run TypeScript 7's `tsc` from its package folder: the native executable of the platform package it
 * installs (`@typescript/typescript-<platform>-<arch>`), else its Node launcher.
 */
export function tscCommand(packageDir: string): { file: string; args: string[] } {
  const platformPackage = `@typescript/typescript-${process.platform}-${process.arch}/package.json`;
  try {
    const pkg = createRequire(join(packageDir, 'package.json')).resolve(platformPackage);
    const exe = join(dirname(pkg), 'lib', process.platform === 'win32' ? 'tsc.exe' : 'tsc');
    if (existsSync(exe)) return { file: exe, args: [] };
  } catch {
    // fall back to the launcher below
  }
  const launcher = join(packageDir, 'bin', 'tsc');
  if (!existsSync(launcher)) throw new ProjectError(`TypeScript in ${packageDir} has neither a native tsc nor bin/tsc; reinstall it.`, 'ERR_COMPILER');
  return { file: process.execPath, args: [launcher] };
}
