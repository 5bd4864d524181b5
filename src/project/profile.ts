/**
 * The project profile: what the kit detects about the target project, as one plain document. `concurrency-kit info`
 * prints it (`--json` prints it as is: the shape is a public contract, fields are added, never renamed).
 *
 * Each field comes from one small detector below, so a better detector can replace one without touching the others.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { readConfig, resolveTargetDir, type FormatterName, type KitConfig, type TestNaming } from '../config/config.js';
import { recordedModuleStates, type RecordedModuleState } from '../config/record.js';
import { posixRelative } from '../paths.js';
import { resolveVitest } from '../verify/vitest-runner.js';
import { ancestors, nearestPackageJson, resolveProjectPackage } from './package-json.js';
import { findProjectRoot } from './root.js';
import { TypeScriptSession } from './typescript.js';

/** The package managers the kit tells apart. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

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

/** Names of the dependencies the root package.json declares (all dependency fields). */
export function declaredDependencies(root: string): Set<string> {
  const names = new Set<string>();
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = pkg[field];
      if (typeof deps === 'object' && deps !== null) for (const name of Object.keys(deps)) names.add(name);
    }
  } catch {
    // no package.json, or not JSON: nothing declared
  }
  return names;
}

const LOCKFILES: readonly (readonly [string, PackageManager])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** The package manager: the nearest lockfile at or above the root, then package.json's `packageManager`, else npm. */
export function detectPackageManager(root: string): PackageManager {
  for (const dir of ancestors(root)) {
    for (const [file, manager] of LOCKFILES) if (existsSync(join(dir, file))) return manager;
  }
  try {
    const field = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager?: unknown }).packageManager;
    const name = typeof field === 'string' ? field.split('@')[0] : undefined;
    if (name === 'pnpm' || name === 'yarn' || name === 'bun' || name === 'npm') return name;
  } catch {
    // fall through to npm
  }
  return 'npm';
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
): Promise<{ compiler: CompilerProfile; tsconfig: TsconfigProfile; importStyle: ProjectProfile['importStyle'] }> {
  const pkg = nearestPackageJson(targetDir);
  const projectRoot = pkg ? dirname(pkg.path) : root;
  const session = await TypeScriptSession.open(targetDir, projectRoot);
  const { ts } = await import('ts-morph');
  const path = session.target.tsconfigPath;
  return {
    compiler: { source: 'kit', version: ts.version, via: 'api' },
    tsconfig: {
      path: path === null ? null : showConfig(root, path),
      chain: path === null ? [] : (await extendsChain(path)).map((f) => showConfig(root, f)),
      module: session.target.module,
      moduleResolution: session.target.moduleResolution,
      moduleFormat: session.isCommonJs(pkg?.type ?? 'commonjs') ? 'cjs' : 'esm',
    },
    importStyle: session.target.importStyle === 'js-extension' ? 'js' : 'none',
  };
}

const FORMATTER_PACKAGES: Readonly<Record<FormatterName, string>> = { prettier: 'prettier', biome: '@biomejs/biome', dprint: 'dprint', oxfmt: 'oxfmt' };

/** The formatter run on generated files: concurrency-kit.json's, else prettier; the project's own when installed. */
export function detectFormatter(root: string, config: KitConfig | null): ProjectProfile['formatter'] {
  const name = config?.formatter ?? 'prettier';
  return { name, source: resolveProjectPackage(root, FORMATTER_PACKAGES[name]) === null ? 'kit' : 'project' };
}

/** The project's linter, from its config files and declared dependencies: ESLint first, then oxlint, then Biome. */
export function detectLinter(root: string): ProjectProfile['linter'] {
  const has = (...files: string[]): boolean => files.some((f) => existsSync(join(root, f)));
  const declared = declaredDependencies(root);
  const eslintConfigs = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'].map((ext) => `eslint.config.${ext}`);
  const legacyConfigs = ['', '.js', '.cjs', '.json', '.yml', '.yaml'].map((ext) => `.eslintrc${ext}`);
  if (declared.has('eslint') || has(...eslintConfigs, ...legacyConfigs)) return { name: 'eslint' };
  if (declared.has('oxlint') || has('.oxlintrc.json')) return { name: 'oxlint' };
  if (declared.has('@biomejs/biome') || has('biome.json', 'biome.jsonc')) return { name: 'biome' };
  return null;
}

/** The vitest that runs the generated tests (the project's, else the kit's) and whether package.json declares it. */
export function detectTestRunner(root: string): ProjectProfile['testRunner'] {
  const vitest = resolveVitest(root);
  return { name: 'vitest', version: vitest.version, declared: declaredDependencies(root).has('vitest'), source: vitest.source };
}

/** How test and bench files are named: concurrency-kit.json's `testNaming`, else `test`. */
export function detectTestNaming(config: KitConfig | null): TestNaming {
  return config?.testNaming ?? 'test';
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
  return {
    root,
    packageManager: detectPackageManager(root),
    compiler: typescript.compiler,
    tsconfig: typescript.tsconfig,
    formatter: detectFormatter(root, config),
    linter: detectLinter(root),
    testRunner: detectTestRunner(root),
    testNaming: detectTestNaming(config),
    importStyle: typescript.importStyle,
    targetDir: posixRelative(root, targetDir) || '.',
    modules: recordedModuleStates(root, config),
  };
}
