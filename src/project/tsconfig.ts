/**
 * The tsconfig that governs a target folder, read the way tsc reads it, without loading a compiler:
 * `extends` chains (relative files, packages such as `@tsconfig/node20/tsconfig.json`, arrays, `${configDir}`),
 * and `references` (solution-style roots included), choosing the config whose `files` / `include` cover the file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ProjectError } from '../errors.js';
import { posixRelative } from '../paths.js';
import { parseJsonc } from './jsonc.js';
import { ancestors } from './package-json.js';
import { selectionCovers, type FileSelection, type SpecList } from './tsconfig-match.js';

/** Raw compiler options as written (after `extends` merging and `${configDir}` substitution). */
export type RawCompilerOptions = Readonly<Record<string, unknown>>;

/** A tsconfig with its `extends` chain merged. */
export interface ResolvedTsconfig extends FileSelection {
  /** Absolute path of the config file. */
  readonly path: string;
  /** Absolute paths of the config and every config it extends, nearest first. */
  readonly chain: readonly string[];
  /** Merged `compilerOptions`; relative paths are left as written, except `outDir` (see {@link FileSelection}). */
  readonly compilerOptions: RawCompilerOptions;
  /** For each compiler option, the absolute path of the config in the chain that set its merged value. */
  readonly optionSources: Readonly<Record<string, string>>;
  /** Absolute paths of the configs named by `references` (never inherited through `extends`). */
  readonly references: readonly string[];
}

/** The outcome of {@link findGoverningTsconfig}. */
export interface GoverningTsconfig {
  /** The governing config, or null when there is no tsconfig at or above the target up to the project root. */
  readonly config: ResolvedTsconfig | null;
  /** True when the config's `files` / `include` cover the target file; false for a fallback (see `warnings`). */
  readonly covers: boolean;
  /** Why a fallback was taken, for the user. */
  readonly warnings: readonly string[];
}

interface RawConfig {
  readonly extends?: unknown;
  readonly compilerOptions?: unknown;
  readonly files?: unknown;
  readonly include?: unknown;
  readonly exclude?: unknown;
  readonly references?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readRaw(path: string): RawConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProjectError(`Cannot read ${path}: ${(error as Error).message}`, 'ERR_TSCONFIG', { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = parseJsonc(text);
  } catch (error) {
    throw new ProjectError(`Cannot parse ${path}: ${(error as Error).message}`, 'ERR_TSCONFIG', { cause: error });
  }
  if (!isRecord(parsed)) throw new ProjectError(`Cannot parse ${path}: the top level is not an object.`, 'ERR_TSCONFIG');
  return parsed;
}

/**
 * Where an `extends` entry points, as tsc resolves it: a relative or absolute path (with `.json` added when the file
 * has none), else a package through node_modules (`exports` honoured, then `<pkg>/tsconfig.json`).
 */
export function resolveExtends(spec: string, fromConfig: string): string | null {
  const dir = dirname(fromConfig);
  if (isAbsolute(spec) || spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
    const file = resolve(dir, spec);
    for (const candidate of [file, `${file}.json`]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    return null;
  }
  const require = createRequire(fromConfig);
  for (const candidate of [spec, `${spec}.json`, `${spec}/tsconfig.json`]) {
    try {
      return require.resolve(candidate);
    } catch {
      // try the next form
    }
  }
  // Packages whose `exports` hide the file: look for it in node_modules folders by hand.
  for (const folder of ancestors(dir)) {
    const base = join(folder, 'node_modules', spec);
    for (const candidate of [base, `${base}.json`, join(base, 'tsconfig.json')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const PATH_OPTIONS = new Set(['outDir', 'rootDir', 'declarationDir', 'baseUrl', 'tsBuildInfoFile']);

function substituteConfigDir(value: unknown, leafDir: string): unknown {
  if (typeof value === 'string') return value.replaceAll('${configDir}', leafDir.split(sep).join('/'));
  if (Array.isArray(value)) return value.map((v) => substituteConfigDir(v, leafDir));
  return value;
}

function specList(value: unknown, baseDir: string, leafDir: string, field: string, path: string): SpecList {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ProjectError(`Invalid ${path}: "${field}" must be an array of strings.`, 'ERR_TSCONFIG');
  }
  return { specs: value.map((v) => String(substituteConfigDir(v, leafDir))), baseDir };
}

interface Layer {
  compilerOptions: Record<string, unknown>;
  optionSources: Record<string, string>;
  files: SpecList | null;
  include: SpecList | null;
  exclude: SpecList | null;
  chain: string[];
}

/** Loads one config and its bases into a merged layer; `leafDir` is what `${configDir}` means. */
function loadLayer(path: string, leafDir: string, visiting: readonly string[]): Layer {
  if (visiting.includes(path)) {
    throw new ProjectError(`Circular "extends" in ${[...visiting, path].join(' -> ')}.`, 'ERR_TSCONFIG');
  }
  const raw = readRaw(path);
  const dir = dirname(path);
  const bases: string[] = [];
  if (raw.extends !== undefined) {
    const specs = Array.isArray(raw.extends) ? raw.extends : [raw.extends];
    for (const spec of specs) {
      if (typeof spec !== 'string') throw new ProjectError(`Invalid ${path}: "extends" must be a string or an array of strings.`, 'ERR_TSCONFIG');
      const base = resolveExtends(String(substituteConfigDir(spec, leafDir)), path);
      if (!base) throw new ProjectError(`${path} extends "${spec}", which cannot be found (is the package installed?).`, 'ERR_TSCONFIG');
      bases.push(base);
    }
  }
  const layer: Layer = { compilerOptions: {}, optionSources: {}, files: null, include: null, exclude: null, chain: [path] };
  // Bases apply in order (a later entry of an `extends` array overrides an earlier one); this config applies last.
  const inners = bases.map((base) => loadLayer(base, leafDir, [...visiting, path]));
  for (const inner of inners) {
    Object.assign(layer.compilerOptions, inner.compilerOptions);
    Object.assign(layer.optionSources, inner.optionSources);
    layer.files = inner.files ?? layer.files;
    layer.include = inner.include ?? layer.include;
    layer.exclude = inner.exclude ?? layer.exclude;
  }
  // Nearest first: the last base of an `extends` array overrides the others, so it comes first.
  for (const inner of [...inners].reverse()) for (const p of inner.chain) if (!layer.chain.includes(p)) layer.chain.push(p);
  if (raw.compilerOptions !== undefined) {
    if (!isRecord(raw.compilerOptions)) throw new ProjectError(`Invalid ${path}: "compilerOptions" must be an object.`, 'ERR_TSCONFIG');
    for (const [key, value] of Object.entries(raw.compilerOptions)) {
      if (value === null) {
        // `null` resets an inherited option to its default.
        delete layer.compilerOptions[key];
        delete layer.optionSources[key];
        continue;
      }
      let resolved = substituteConfigDir(value, leafDir);
      if (PATH_OPTIONS.has(key) && typeof resolved === 'string') resolved = resolve(dir, resolved);
      layer.compilerOptions[key] = resolved;
      layer.optionSources[key] = path;
    }
  }
  if (raw.files !== undefined) layer.files = specList(raw.files, dir, leafDir, 'files', path);
  if (raw.include !== undefined) layer.include = specList(raw.include, dir, leafDir, 'include', path);
  if (raw.exclude !== undefined) layer.exclude = specList(raw.exclude, dir, leafDir, 'exclude', path);
  return layer;
}

/**
 * Reads a tsconfig with its whole `extends` chain merged, as tsc would for `tsc -p <path>`.
 * @throws {@link ProjectError} when a config in the chain cannot be read or parsed, an `extends` target is missing,
 * or the chain is circular.
 */
export function readTsconfig(path: string): ResolvedTsconfig {
  const absolute = resolve(path);
  const layer = loadLayer(absolute, dirname(absolute), []);
  const raw = readRaw(absolute);
  const references: string[] = [];
  if (Array.isArray(raw.references)) {
    for (const ref of raw.references) {
      if (!isRecord(ref) || typeof ref.path !== 'string') continue;
      const target = resolve(dirname(absolute), ref.path);
      references.push(existsSync(target) && statSync(target).isDirectory() ? join(target, 'tsconfig.json') : target);
    }
  }
  const outDir = layer.compilerOptions.outDir;
  return {
    path: absolute,
    chain: layer.chain,
    compilerOptions: layer.compilerOptions,
    optionSources: layer.optionSources,
    references,
    files: layer.files,
    include: layer.include,
    exclude: layer.exclude,
    outDir: typeof outDir === 'string' ? outDir : null,
    configDir: dirname(absolute),
  };
}

/** True for a config that selects no file of its own: `"files": []` and no `include` (a solution-style root). */
export function isSolutionStyle(config: ResolvedTsconfig): boolean {
  return config.files !== null && config.files.specs.length === 0 && config.include === null;
}

/** Depth-first through `references`: the first config, this one included, whose files cover `file`. */
function findCovering(config: ResolvedTsconfig, file: string, seen: Set<string>): ResolvedTsconfig | null {
  if (seen.has(config.path)) return null;
  seen.add(config.path);
  if (selectionCovers(config, file)) return config;
  for (const ref of config.references) {
    if (!existsSync(ref)) continue;
    const found = findCovering(readTsconfig(ref), file, seen);
    if (found) return found;
  }
  return null;
}

/**
 * Finds the tsconfig governing `file` (an absolute path, which need not exist yet): walking from its folder up to
 * `projectRoot`, each `tsconfig.json` and, depth-first, the configs it references; the first whose `files` /
 * `include` / `exclude` select the file wins. When none does, the nearest `tsconfig.json` is used with a warning.
 * @throws {@link ProjectError} when a config on the way cannot be read.
 */
export function findGoverningTsconfig(file: string, projectRoot: string): GoverningTsconfig {
  const stop = resolve(projectRoot);
  const found: ResolvedTsconfig[] = [];
  const seen = new Set<string>();
  for (const dir of ancestors(dirname(resolve(file)))) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) {
      const config = readTsconfig(candidate);
      found.push(config);
      const covering = findCovering(config, file, seen);
      if (covering) return { config: covering, covers: true, warnings: [] };
    }
    if (dir === stop || relative(stop, dir).startsWith('..')) break;
  }
  const nearest = found[0];
  if (!nearest) return { config: null, covers: false, warnings: [] };
  const shown = posixRelative(stop, file);
  const warning = `no tsconfig includes ${shown}: it is checked with the options of ${displayConfigPath(nearest.path, stop)}, but the project's own \`tsc\` will not compile it until a tsconfig's "include" covers it.`;
  return { config: nearest, covers: false, warnings: [warning] };
}

/**
 * A config path as shown to users and in `info --json`: relative to the project root with POSIX separators, or, for
 * a config inside a package, the package path (`@tsconfig/node20/tsconfig.json`).
 */
export function displayConfigPath(path: string, projectRoot: string): string {
  const posix = path.split(sep).join('/');
  const index = posix.lastIndexOf('/node_modules/');
  if (index !== -1) return posix.slice(index + '/node_modules/'.length);
  return posixRelative(projectRoot, path);
}
