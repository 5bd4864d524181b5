/**
 * Reading the target project's own files for tool detection: its package.json (and its workspace root's), JSON
 * configuration files with comments, and where configuration files may live. Synchronous, small, no dependencies.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ancestors } from './package-json.js';
import { stripJsonc } from './jsonc.js';

/** The parsed package.json of one directory. */
export interface PackageJsonFile {
  /** Absolute path of the directory holding it. */
  readonly dir: string;
  /** The parsed document (an empty object when it is not a JSON object). */
  readonly json: Readonly<Record<string, unknown>>;
}

/** Dependency fields of package.json that count as "declared". */
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `dir/package.json`, or null when it is missing or not valid JSON. */
export function readPackageJson(dir: string): PackageJsonFile | null {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return null;
  try {
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return { dir, json: isRecord(json) ? json : {} };
  } catch {
    return null;
  }
}

/**
 * Parses JSON with comments and trailing commas (biome.jsonc, .oxlintrc.json, dprint.json, tsconfig-style files) with
 * the same comment and trailing-comma stripping as tsconfig files ({@link stripJsonc}).
 * @returns the parsed value, or undefined when the text holds no value or is not valid even so
 */
export function parseJsonc(text: string): unknown {
  const json = stripJsonc(text.replace(/^\uFEFF/, ''));
  if (json.trim() === '') return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads and parses a JSON-with-comments file; undefined when missing or invalid. */
export function readJsonc(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return parseJsonc(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The value at `path` in a parsed JSON document, or undefined. */
export function jsonAt(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * The workspace root above (or at) `projectRoot`: the nearest directory with a `pnpm-workspace.yaml` or a
 * package.json declaring `workspaces`, or null when the project is not part of a workspace.
 */
export function workspaceRoot(projectRoot: string): string | null {
  for (const dir of ancestors(projectRoot)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const pkg = readPackageJson(dir);
    if (pkg && pkg.json['workspaces'] !== undefined) return dir;
  }
  return null;
}

/**
 * The directories that belong to the project, nearest first: `projectRoot`, then its ancestors up to its workspace
 * root when it has one. Packages installed and configuration found in these count as the project's own.
 */
export function projectScopeDirs(projectRoot: string): string[] {
  const root = workspaceRoot(projectRoot);
  if (root === null) return [projectRoot];
  const dirs: string[] = [];
  for (const dir of ancestors(projectRoot)) {
    dirs.push(dir);
    if (dir === root) break;
  }
  return dirs;
}

/**
 * The directories a tool would find its configuration in, nearest first: the project's scope (see
 * {@link projectScopeDirs}), extended up to the repository root (a folder holding `.git`) when there is one above.
 */
export function configSearchDirs(projectRoot: string): string[] {
  const scope = projectScopeDirs(projectRoot);
  const chain = ancestors(projectRoot);
  const gitRoot = chain.find((dir) => existsSync(join(dir, '.git')));
  if (gitRoot === undefined) return scope;
  const upToGit = chain.slice(0, chain.indexOf(gitRoot) + 1);
  return upToGit.length > scope.length ? upToGit : scope;
}

/** The first of `names` that exists in the first of `dirs` holding any of them, as an absolute path, or null. */
export function findConfigFile(dirs: readonly string[], names: readonly string[]): string | null {
  for (const dir of dirs) {
    for (const name of names) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
  }
  return null;
}

/**
 * Every dependency the project declares, with its range: the project's package.json and, inside a workspace, the
 * workspace root's (whose dependencies every member resolves too). The project's own declaration wins.
 */
export function declaredDependencies(projectRoot: string): ReadonlyMap<string, string> {
  const declared = new Map<string, string>();
  for (const dir of projectScopeDirs(projectRoot).filter((_, i, all) => i === 0 || i === all.length - 1)) {
    const pkg = readPackageJson(dir);
    if (!pkg) continue;
    for (const field of DEPENDENCY_FIELDS) {
      const deps = pkg.json[field];
      if (!isRecord(deps)) continue;
      for (const [name, range] of Object.entries(deps)) if (!declared.has(name)) declared.set(name, typeof range === 'string' ? range : '*');
    }
  }
  return declared;
}

/** The npm scripts of the project's package.json (`name -> command`). */
export function projectScripts(projectRoot: string): ReadonlyMap<string, string> {
  const scripts = readPackageJson(projectRoot)?.json['scripts'];
  if (!isRecord(scripts)) return new Map();
  return new Map(Object.entries(scripts).flatMap(([name, command]) => (typeof command === 'string' ? [[name, command] as const] : [])));
}

/** A package installed in the project's own node_modules (not the kit's, not one above the project). */
export interface InstalledPackage {
  /** Absolute path of the package folder, as seen through the project's node_modules (links not resolved). */
  readonly dir: string;
  readonly version: string;
  readonly json: Readonly<Record<string, unknown>>;
}

/**
 * Finds `name` in the node_modules of the project's scope directories ({@link projectScopeDirs}), or null. Unlike
 * Node's resolution it never looks above the project, so a copy hoisted next to some other install is not taken for
 * the project's.
 */
export function installedPackage(projectRoot: string, name: string): InstalledPackage | null {
  for (const dir of projectScopeDirs(projectRoot)) {
    const pkgDir = join(dir, 'node_modules', name);
    const pkg = readPackageJson(pkgDir);
    if (pkg) return { dir: pkgDir, version: typeof pkg.json['version'] === 'string' ? pkg.json['version'] : '0.0.0', json: pkg.json };
  }
  return null;
}

/**
 * The absolute path of a package's executable script (its `bin` entry named `binName`, or its only one), or null.
 * Every tool the kit runs ships a JavaScript bin, started with the current Node.
 */
export function packageBin(pkg: InstalledPackage, binName: string): string | null {
  const bin = pkg.json['bin'];
  if (typeof bin === 'string') return join(pkg.dir, bin);
  if (isRecord(bin)) {
    const entry = bin[binName] ?? (Object.keys(bin).length === 1 ? Object.values(bin)[0] : undefined);
    if (typeof entry === 'string') return join(pkg.dir, entry);
  }
  return null;
}
