/**
 * The project profile: what the kit detects about the target project, as one plain document. `concurrency-kit info`
 * prints it (`--json` prints it as is: the shape is a public contract, fields are added, never renamed).
 *
 * Each field comes from one small detector below, so a better detector can replace one without touching the others.
 */
import { dirname, resolve, sep } from 'node:path';
import { readConfig, resolveTargetDir, type FormatterName, type TestNaming } from '../config/config.js';
import { recordedModuleStates, type RecordedModuleState } from '../config/record.js';
import { posixRelative } from '../paths.js';
import type { ImportStyleConstraints } from './conventions.js';
import { nearestPackageJson } from './package-json.js';
import type { PackageManager } from './package-manager.js';
import { findProjectRoot } from './root.js';
import { detectTooling } from './tools.js';
import { TypeScriptSession } from './typescript.js';


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

/** A config file as shown in the chain: root-relative, or from its package name when it lives in node_modules. */
function showConfig(root: string, file: string): string {
  const marker = `${sep}node_modules${sep}`;
  const at = file.lastIndexOf(marker);
  if (at >= 0) return file.slice(at + marker.length).split(sep).join('/');
  const relative = posixRelative(root, file);
  return relative.startsWith('../') ? file.split(sep).join('/') : relative;
}

/** The `extends` chain of `tsconfigPath` (absolute paths, the config itself first, then nearest first). */
async function extendsChain(tsconfigPath: string): Promise<string[]> {
  const { ts } = await import('ts-morph');
  const source = ts.readJsonConfigFile(tsconfigPath, (p) => ts.sys.readFile(p));
  ts.parseJsonSourceFileConfigFileContent(source, ts.sys, dirname(tsconfigPath), undefined, tsconfigPath);
  const extended = (source as { extendedSourceFiles?: readonly string[] }).extendedSourceFiles ?? [];
  return [tsconfigPath, ...extended.map((f) => resolve(f))];
}

/**
 * The compiler, governing tsconfig and import style of the target folder, as `add` sees them: the kit's bundled
 * TypeScript through its API, the nearest tsconfig.json at or above the folder.
 */
export async function detectTypeScript(
  root: string,
  targetDir: string,
): Promise<{ compiler: CompilerProfile; tsconfig: TsconfigProfile; constraints: ImportStyleConstraints }> {
  const pkg = nearestPackageJson(targetDir);
  const projectRoot = pkg ? dirname(pkg.path) : root;
  const session = await TypeScriptSession.open(targetDir, projectRoot);
  const { ts } = await import('ts-morph');
  const path = session.target.tsconfigPath;
  const moduleFormat = session.isCommonJs(pkg?.type ?? 'commonjs') ? 'cjs' : 'esm';
  return {
    compiler: { source: 'kit', version: ts.version, via: 'api' },
    tsconfig: {
      path: path === null ? null : showConfig(root, path),
      chain: path === null ? [] : (await extendsChain(path)).map((f) => showConfig(root, f)),
      module: session.target.module,
      moduleResolution: session.target.moduleResolution,
      moduleFormat,
    },
    constraints: {
      moduleResolution: session.target.moduleResolution,
      moduleFormat,
      allowImportingTsExtensions: session.target.allowImportingTsExtensions,
      rewriteRelativeImportExtensions: session.target.rewriteRelativeImportExtensions,
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
  const typescript = await detectTypeScript(root, targetDir);
  const tooling = detectTooling(root, typescript.constraints);
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
