/**
 * What a tsconfig's options mean for generated code, with the defaults of the compiler that will read them:
 * TypeScript 5 derives `module` from `target` (ES5 by default, so CommonJS) and `moduleResolution` from `module`
 * (node10 for CommonJS); TypeScript 6 and 7 default to ES modules, `bundler` resolution and `"types": []`.
 * Pure: no disk, no compiler.
 */
import type { RawCompilerOptions } from './tsconfig.js';

/** How relative imports between generated files must be written. */
export type ImportStyle = 'js-extension' | 'extensionless';

/** The module system a `.ts` file in the target folder compiles to. */
export type ModuleFormat = 'esm' | 'cjs';

/** The facts about a project's compiler options that shape generated code (see {@link compilerFacts}). */
export interface CompilerFacts {
  /** Emitted module kind in lower case, e.g. `nodenext`, `esnext`, `es2015`, `commonjs`, `preserve`. */
  readonly module: string;
  /** Module resolution in lower case: `node16`, `nodenext`, `bundler`, `node10` or `classic`. */
  readonly moduleResolution: string;
  /** What a `.ts` file in the target folder compiles to. */
  readonly moduleFormat: ModuleFormat;
  /** True when `verbatimModuleSyntax` is on: ES syntax in a file that compiles to CommonJS is then an error. */
  readonly verbatimModuleSyntax: boolean;
  /**
   * The extension generated files take: `.ts`, or `.mts` when `.ts` would compile to CommonJS under
   * `verbatimModuleSyntax` (where `export` is an error, TS1287); an `.mts` file is an ES module in every mode.
   */
  readonly extension: '.ts' | '.mts';
  readonly importStyle: ImportStyle;
  /** Whether relative imports may end in `.ts` because the compiler allows it (`allowImportingTsExtensions`). */
  readonly allowImportingTsExtensions: boolean;
  /** Whether `.ts` relative imports are rewritten to `.js` on emit (`rewriteRelativeImportExtensions`). */
  readonly rewriteRelativeImportExtensions: boolean;
}

const TARGET_ORDER = ['es3', 'es5', 'es2015', 'es2016', 'es2017', 'es2018', 'es2019', 'es2020', 'es2021', 'es2022', 'es2023', 'es2024', 'es2025', 'esnext'];

function lower(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined;
}

function targetRank(target: string): number {
  const normalized = target === 'es6' ? 'es2015' : target === 'latest' ? 'esnext' : target;
  const index = TARGET_ORDER.indexOf(normalized);
  return index === -1 ? TARGET_ORDER.indexOf('esnext') : index;
}

const NODE_MODULES = new Set(['node16', 'node18', 'node20', 'nodenext']);
const CJS_MODULES = new Set(['commonjs', 'amd', 'umd', 'system', 'none']);

/** The `module` the compiler of this major version uses for these options. */
export function effectiveModule(options: RawCompilerOptions, major: number): string {
  const explicit = lower(options.module);
  if (explicit !== undefined) return explicit === 'es6' ? 'es2015' : explicit;
  const target = lower(options.target) ?? (major >= 6 ? 'es2025' : 'es5');
  const rank = targetRank(target);
  if (major >= 6) {
    if (rank >= targetRank('esnext')) return 'esnext';
    if (rank >= targetRank('es2022')) return 'es2022';
    if (rank >= targetRank('es2020')) return 'es2020';
  }
  return rank >= targetRank('es2015') ? 'es2015' : 'commonjs';
}

/** The `moduleResolution` the compiler of this major version uses for these options, in lower case. */
export function effectiveModuleResolution(options: RawCompilerOptions, major: number): string {
  const explicit = lower(options.moduleResolution);
  if (explicit !== undefined) return explicit === 'node' ? 'node10' : explicit;
  const module = effectiveModule(options, major);
  if (module === 'nodenext') return 'nodenext';
  if (NODE_MODULES.has(module)) return 'node16';
  if (major >= 6) return 'bundler';
  if (module === 'commonjs') return 'node10';
  if (module === 'preserve') return 'bundler';
  return 'classic';
}

/**
 * The facts for a `.ts` file whose nearest package.json has `packageType`, under `options`, read by a compiler of
 * major version `major` (5, 6 or 7).
 */
export function compilerFacts(options: RawCompilerOptions, major: number, packageType: 'module' | 'commonjs'): CompilerFacts {
  const module = effectiveModule(options, major);
  const moduleResolution = effectiveModuleResolution(options, major);
  const moduleFormat: ModuleFormat = NODE_MODULES.has(module) ? (packageType === 'module' ? 'esm' : 'cjs') : CJS_MODULES.has(module) ? 'cjs' : 'esm';
  const verbatimModuleSyntax = options.verbatimModuleSyntax === true;
  const extension = moduleFormat === 'cjs' && verbatimModuleSyntax ? '.mts' : '.ts';
  // An `.mts` file is found only through its `.mjs` specifier, whatever the resolution mode.
  const importStyle: ImportStyle =
    extension === '.mts' || moduleResolution === 'node16' || moduleResolution === 'nodenext' ? 'js-extension' : 'extensionless';
  return {
    module,
    moduleResolution,
    moduleFormat: extension === '.mts' ? 'esm' : moduleFormat,
    verbatimModuleSyntax,
    extension,
    importStyle,
    allowImportingTsExtensions: options.allowImportingTsExtensions === true,
    rewriteRelativeImportExtensions: options.rewriteRelativeImportExtensions === true,
  };
}
