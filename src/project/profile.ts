/**
 * The project profile: what the kit detects about the target project, as one plain document. `concurrency-kit info`
 * prints it (`--json` prints it as is: the shape is a public contract, fields are added, never renamed).
 *
 * Each field comes from one small detector below, so a better detector can replace one without touching the others.
 */
import { dirname } from 'node:path';
import { readConfig, resolveTargetDir, type FormatterName, type TestNaming } from '../config/config.js';
import { recordedModuleStates, type RecordedModuleState } from '../config/record.js';
import { posixRelative } from '../paths.js';
import type { ImportStyleConstraints } from './conventions.js';
import { nearestPackageJson } from './package-json.js';
import type { PackageManager } from './package-manager.js';
import { findProjectRoot } from './root.js';
import { detectTooling } from './tools.js';
import { resolveTypeScriptTarget } from './typescript.js';


/** Which TypeScript checks generated code, and how it is run. */
export interface CompilerProfile {
  /** `project` when it is the project's own TypeScript, `kit` when it is the one bundled with the kit. */
  readonly source: 'project' | 'kit';
  readonly version: string;
  /** `api` when it runs in-process through its API, `tsc` when its command line is run. */
  readonly via: 'api' | 'tsc';
}

/** The tsconfig that governs the target folder, and what it means for generated code. */
export interface TsconfigProfile {
  /** Relative to the root, POSIX separators; null when the project has none (the kit's strict defaults apply). */
  readonly path: string | null;
  /** The config and every config it extends, nearest first (packages shown from their package name). */
  readonly chain: readonly string[];
  /** Module kind, lower case (`nodenext`, `esnext`, `commonjs`, ...). */
  readonly module: string;
  /** Module resolution, lower case (`nodenext`, `bundler`, `node10`, ...). */
  readonly moduleResolution: string;
  /** Whether the generated files compile to ES modules or CommonJS. */
  readonly moduleFormat: 'esm' | 'cjs';
}

/** The profile `info --json` prints. */
export interface ProjectProfile {
  /** Absolute path of the project root: the nearest folder with a package.json at or above the working directory. */
  readonly root: string;
  readonly packageManager: PackageManager;
  readonly compiler: CompilerProfile;
  readonly tsconfig: TsconfigProfile;
  readonly formatter: { readonly name: FormatterName; readonly source: 'project' | 'kit' };
  readonly linter: { readonly name: 'eslint' | 'biome' | 'oxlint' } | null;
  readonly testRunner: { readonly name: 'vitest'; readonly version: string | null; readonly declared: boolean; readonly source: 'project' | 'kit' };
  readonly testNaming: TestNaming;
  /** How generated files import each other: `./x.js`, `./x.ts` or `./x`. */
  readonly importStyle: 'js' | 'ts' | 'none';
  /** Folder `add` writes to by default, relative to the root (POSIX): concurrency-kit.json's, else the default. */
  readonly targetDir: string;
  /** The modules concurrency-kit.json records, with whether they still match what was written. */
  readonly modules: readonly RecordedModuleState[];
}

/**
 * The compiler, governing tsconfig and import-style constraints of the target folder, exactly as `add` reads them
 * (the project's own TypeScript, the config whose include covers the folder).
 * @throws {@link ProjectError} when a tsconfig on the way cannot be read.
 */
export function detectTypeScript(root: string, targetDir: string): { compiler: CompilerProfile; tsconfig: TsconfigProfile; constraints: ImportStyleConstraints } {
  const pkg = nearestPackageJson(targetDir);
  const projectRoot = pkg ? dirname(pkg.path) : root;
  const target = resolveTypeScriptTarget(targetDir, 'index', projectRoot);
  const { facts } = target;
  return {
    compiler: { source: target.compiler.source, version: target.compiler.version, via: target.compiler.via },
    tsconfig: target.info,
    constraints: {
      moduleResolution: facts.moduleResolution,
      moduleFormat: facts.moduleFormat,
      allowImportingTsExtensions: facts.allowImportingTsExtensions,
      rewriteRelativeImportExtensions: facts.rewriteRelativeImportExtensions,
      extension: facts.extension,
    },
  };
}

/**
 * Detects the profile of the project that contains `cwd`.
 * @throws {@link ConfigError} when its concurrency-kit.json is invalid; {@link ProjectError} when its tsconfig is.
 */
export async function detectProfile(cwd: string): Promise<ProjectProfile> {
  const root = findProjectRoot(cwd);
  const config = readConfig(root)?.config ?? null;
  const targetDir = resolveTargetDir(root, config);
  const typescript = detectTypeScript(root, targetDir);
  const tooling = detectTooling(root, typescript.constraints, config?.formatter);
  return {
    root,
    packageManager: tooling.packageManager,
    compiler: typescript.compiler,
    tsconfig: typescript.tsconfig,
    formatter: tooling.formatter,
    linter: tooling.linter,
    testRunner: tooling.testRunner,
    // concurrency-kit.json's testNaming is what add follows; without it, the project's files decide.
    testNaming: config?.testNaming ?? tooling.testNaming,
    importStyle: tooling.importStyle,
    targetDir: posixRelative(root, targetDir) || '.',
    modules: recordedModuleStates(root, config),
  };
}
