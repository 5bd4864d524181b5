/**
 * Would the project's build compile generated test or bench files into its output (and a published package ship
 * them)? The build config is `tsconfig.build.json` (the nearest at or above the target folder, within the project),
 * else the governing tsconfig when it emits. Its `include`/`exclude`/`files` (with `extends`) are evaluated by the
 * TypeScript API against the planned paths alone, so nothing needs to exist on disk yet.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { ts as TsNamespace } from 'ts-morph';
import { posixRelative } from '../paths.js';
import { ancestors } from './package-json.js';

type Ts = typeof TsNamespace;

/** A generated file the check looks at. */
export interface BuildCheckFile {
  /** Absolute path. */
  readonly path: string;
  /** Only `test` and `bench` are looked at: the module and its companions (an example task file too) belong in a build. */
  readonly role: string;
}

/** Test or bench files a build config would compile, and the exclude that keeps them out. */
export interface BuildOutputFinding {
  /** The build config, relative to the project root (POSIX). */
  readonly config: string;
  /** The test/bench files it would compile, relative to the project root (POSIX). */
  readonly files: readonly string[];
  /** Where its output goes, relative to the project root, or null when it emits next to the sources. */
  readonly outDir: string | null;
  /** The patterns to add to its `exclude`, e.g. `**\/*.spec.ts`. */
  readonly add: readonly string[];
  /** The complete `exclude` line with them added (what it inherits or TypeScript's default kept), when it is verified to work. */
  readonly excludeLine: string | null;
  /** A one-paragraph warning for the user. */
  readonly message: string;
}

/** Inputs of {@link findTestsInBuildOutput}. */
export interface BuildOutputInput {
  readonly projectRoot: string;
  /** The folder the files go to. */
  readonly targetDir: string;
  /** The tsconfig governing the target folder, absolute, or null. */
  readonly governingTsconfig: string | null;
  readonly files: readonly BuildCheckFile[];
}

type MatchFiles = (
  path: string,
  extensions: readonly string[] | undefined,
  excludes: readonly string[] | undefined,
  includes: readonly string[] | undefined,
  useCaseSensitiveFileNames: boolean,
  currentDirectory: string,
  depth: number | undefined,
  getFileSystemEntries: (path: string) => { files: readonly string[]; directories: readonly string[] },
  realpath: (path: string) => string,
) => string[];

/** The nearest `tsconfig.build.json` at or above `targetDir`, not above the project root. */
export function findBuildTsconfig(targetDir: string, projectRoot: string): string | null {
  const stop = resolve(projectRoot);
  for (const dir of ancestors(resolve(targetDir))) {
    const file = join(dir, 'tsconfig.build.json');
    if (existsSync(file)) return file;
    if (dir === stop) break;
  }
  return null;
}

/** A host that sees the real config files but, for directory listings, only the planned files. */
function virtualHost(ts: Ts, matchFiles: MatchFiles, planned: readonly string[]): TsNamespace.ParseConfigHost {
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const files = planned.map(norm);
  const entries = (path: string): { files: string[]; directories: string[] } => {
    const dir = norm(path);
    const prefix = `${dir}/`;
    const out = { files: [] as string[], directories: [] as string[] };
    for (const file of files) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash === -1) out.files.push(rest);
      else if (!out.directories.includes(rest.slice(0, slash))) out.directories.push(rest.slice(0, slash));
    }
    return out;
  };
  return {
    useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames,
    fileExists: (p) => ts.sys.fileExists(p),
    readFile: (p) => ts.sys.readFile(p),
    readDirectory: (rootDir, extensions, excludes, includes, depth) =>
      matchFiles(rootDir, extensions, excludes, includes, ts.sys.useCaseSensitiveFileNames, rootDir, depth, entries, (p) => p),
  };
}

interface Parsed {
  readonly fileNames: ReadonlySet<string>;
  readonly emits: boolean;
  readonly outDir: string | null;
  readonly excludeSpecs: readonly string[] | null;
}

function parse(ts: Ts, host: TsNamespace.ParseConfigHost, configPath: string, json: unknown): Parsed {
  const parsed = ts.parseJsonConfigFileContent(json, host, dirname(configPath), undefined, configPath);
  const specs = (parsed.raw as { exclude?: unknown } | undefined)?.exclude;
  const inherited = (parsed.options['configFile'] as { configFileSpecs?: { excludeSpecs?: readonly string[] } } | undefined)?.configFileSpecs?.excludeSpecs;
  return {
    fileNames: new Set(parsed.fileNames.map((f) => resolve(f))),
    emits: parsed.options.noEmit !== true,
    outDir: parsed.options.outDir ?? null,
    excludeSpecs: Array.isArray(specs) ? specs.filter((s): s is string => typeof s === 'string') : (inherited ?? null),
  };
}

/**
 * Checks whether the project's build config would compile the planned test or bench files into its output.
 * Returns null when there is no such config, it does not emit, or it leaves them out; never throws (a config the
 * kit cannot read is the type-check's business).
 */
export async function findTestsInBuildOutput(input: BuildOutputInput): Promise<BuildOutputFinding | null> {
  const candidates = input.files.filter((f) => f.role === 'test' || f.role === 'bench');
  if (candidates.length === 0) return null;
  const buildConfig = findBuildTsconfig(input.targetDir, input.projectRoot);
  const configPath = buildConfig ?? input.governingTsconfig;
  if (configPath === null) return null;
  try {
    const { ts } = await import('ts-morph');
    const matchFiles = (ts as unknown as { matchFiles?: MatchFiles }).matchFiles;
    if (typeof matchFiles !== 'function') return null;
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    if (read.error !== undefined || typeof read.config !== 'object' || read.config === null) return null;
    const json = read.config as Record<string, unknown>;
    const host = virtualHost(ts, matchFiles, candidates.map((f) => f.path));
    const parsed = parse(ts, host, configPath, json);
    if (!parsed.emits) return null;
    const compiled = candidates.filter((f) => parsed.fileNames.has(resolve(f.path)));
    if (compiled.length === 0) return null;

    const add = [...new Set(compiled.map((f) => `**/*${basename(f.path).slice(basename(f.path).indexOf('.'))}`))];
    const configDir = dirname(configPath);
    const base = parsed.excludeSpecs ?? ['node_modules', ...(parsed.outDir !== null ? [relative(configDir, parsed.outDir).split('\\').join('/') || '.'] : [])];
    const exclude = [...base.filter((s) => !add.includes(s)), ...add];
    const fixed = parse(ts, host, configPath, { ...json, exclude });
    const works = compiled.every((f) => !fixed.fileNames.has(resolve(f.path)));
    const config = posixRelative(input.projectRoot, configPath) || basename(configPath);
    const outDir = parsed.outDir !== null ? posixRelative(input.projectRoot, parsed.outDir) : null;
    const files = compiled.map((f) => posixRelative(input.projectRoot, f.path));
    const excludeLine = works ? `"exclude": [${exclude.map((e) => JSON.stringify(e)).join(', ')}]` : null;
    const where = outDir !== null ? `into ${outDir}` : 'next to the sources';
    const fix =
      buildConfig !== null
        ? `add ${add.map((p) => JSON.stringify(p)).join(', ')} to its "exclude"${excludeLine !== null ? ` (${excludeLine})` : ''}`
        : `if you publish that output, build with a tsconfig.build.json that extends ${basename(configPath)} and sets ${excludeLine ?? `"exclude" with ${add.map((p) => JSON.stringify(p)).join(', ')}`}`;
    const message = `${config} would compile ${files.join(', ')} ${where}: ${fix}.`;
    return { config, files, outDir, add, excludeLine, message };
  } catch {
    return null;
  }
}
