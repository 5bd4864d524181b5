/**
 * `concurrency-kit.json`, at the project root: the project's settings (written by `init`, like shadcn's
 * components.json) and the provenance record of every generated file (written by `add`, through the same
 * all-or-nothing apply as the files). Validated against the shipped JSON schema whenever it is read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import type { OptionValue } from '../generate/context.js';
import { normalizeSeparators, posixRelative } from '../paths.js';
import type { FileRole } from '../patterns/registry.js';
import { resolveProjectPackage } from '../project/package-json.js';
import { KIT_VERSION } from '../version.js';
import { loadConfigSchema, validateJson } from './schema.js';

/** File name of the config, at the project root. */
export const CONFIG_FILE = 'concurrency-kit.json';

/** Folder `add` writes to when neither `[dir]` nor `targetDir` says otherwise, relative to the project root. */
export const DEFAULT_TARGET_DIR = 'src/concurrency';

/** How generated test and benchmark files are named: `<id>.test.ts` or `<id>.spec.ts`. */
export type TestNaming = 'test' | 'spec';
/** The formatters the kit can run on generated files. */
export type FormatterName = 'prettier' | 'biome' | 'dprint' | 'oxfmt';

/** The values `testNaming` accepts. */
export const TEST_NAMINGS: readonly TestNaming[] = ['test', 'spec'];
/** The values `formatter` accepts. */
export const FORMATTER_NAMES: readonly FormatterName[] = ['prettier', 'biome', 'dprint', 'oxfmt'];

/** One generated file as `add` wrote it. */
export interface RecordedFile {
  readonly role: FileRole;
  /** Relative to the project root, POSIX separators. */
  readonly path: string;
  /** SHA-256 of the contents as written (hex). */
  readonly sha256: string;
}

/** The provenance of one generated module and its sibling files. */
export interface ModuleRecord {
  readonly pattern: string;
  /** The primary export's identifier. */
  readonly name: string;
  /** Version of the kit that generated the files. */
  readonly kitVersion: string;
  /** Every pattern option, resolved. */
  readonly options: Readonly<Record<string, OptionValue>>;
  /** The files written; exactly one has the role `module`. */
  readonly files: readonly RecordedFile[];
}

/** A coding-agent harness `agents install` writes for. */
export type HarnessTarget = 'claude' | 'codex' | 'cursor' | 'copilot';

/** One file (or managed part of a shared file) `agents install` wrote. */
export interface AgentFileRecord {
  /** Relative to the folder the install wrote into (the project root, or the home folder), POSIX separators. */
  readonly path: string;
  /**
   * `block`: only the text between the markers is the kit's (AGENTS.md, config.toml); `import`: one line (CLAUDE.md);
   * `mcp`: the concurrency-kit entry of an MCP config. @defaultValue `'file'`
   */
  readonly part?: 'file' | 'block' | 'import' | 'mcp';
  /** SHA-256 of what the kit wrote (the whole file, the block, or the line), hex. */
  readonly sha256: string;
  /** The harnesses that need the file. */
  readonly targets: readonly HarnessTarget[];
  /** Version of the kit that wrote it. */
  readonly kitVersion: string;
}

/** The `check` section of `concurrency-kit.json`. */
export interface CheckConfig {
  /**
   * Globs, relative to the project root with `/` separators, of the test files: the rules about scale and load skip
   * them. Replaces the defaults (`*.test.*`, `*.spec.*`, `test/`, `tests/`, `__tests__/`); `[]` treats no file as a test.
   */
  readonly testFiles?: readonly string[];
}

/** The contents of `concurrency-kit.json`; every field is optional. */
export interface KitConfig {
  readonly $schema?: string;
  /** Relative to the project root, POSIX separators. @defaultValue {@link DEFAULT_TARGET_DIR} */
  readonly targetDir?: string;
  /** @defaultValue detected from the project */
  readonly testNaming?: TestNaming;
  /** @defaultValue detected from the project */
  readonly formatter?: FormatterName;
  /** Settings of `concurrency-kit check`. */
  readonly check?: CheckConfig;
  /** Written by `add`. */
  readonly modules?: readonly ModuleRecord[];
  /** Written by `agents install`. */
  readonly agents?: readonly AgentFileRecord[];
}

/** A config read from disk. */
export interface LoadedConfig {
  /** Absolute path of the file. */
  readonly path: string;
  readonly config: KitConfig;
  /** The file's text as read (so a writer can tell whether it changed meanwhile). */
  readonly text: string;
}

/** Whether a root-relative POSIX path leaves the project (`..`, `../x`). */
function escapesRoot(path: string): boolean {
  const normal = posix.normalize(path);
  return normal === '..' || normal.startsWith('../');
}

/**
 * Parses and validates the text of a `concurrency-kit.json`.
 * @param file - shown in messages
 * @throws {@link ConfigError} naming the file, the field and what it accepts, when the text is not JSON, does not
 * match the schema, or a path leaves the project.
 */
export function parseConfig(text: string, file: string = CONFIG_FILE): KitConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}. Fix it, or delete it and run \`concurrency-kit init\`.`);
  }
  const problems = validateJson(raw, loadConfigSchema());
  if (problems.length > 0) {
    const lines = problems.slice(0, 5).map((p) => `${p.path === '' ? 'the document' : p.path} ${p.message.replace(/\.$/, '')}`);
    throw new ConfigError(`${file} does not match its schema: ${lines.join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}.`);
  }
  const config = raw as KitConfig;
  const paths = [
    ...(config.targetDir !== undefined ? [['targetDir', config.targetDir] as const] : []),
    ...(config.modules ?? []).flatMap((m, i) => m.files.map((f, j) => [`modules[${i}].files[${j}].path`, f.path] as const)),
    ...(config.agents ?? []).map((a, i) => [`agents[${i}].path`, a.path] as const),
  ];
  for (const [where, path] of paths) {
    if (escapesRoot(normalizeSeparators(path))) throw new ConfigError(`${file}: ${where} "${path}" leaves the project; paths are relative to the folder of ${CONFIG_FILE}.`);
  }
  for (const [i, m] of (config.modules ?? []).entries()) {
    const modules = m.files.filter((f) => f.role === 'module').length;
    if (modules !== 1) throw new ConfigError(`${file}: modules[${i}] (${m.pattern}) must list exactly one file with role "module" (found ${modules}).`);
  }
  return config;
}

/**
 * Reads `concurrency-kit.json` at `root`, or returns null when there is none.
 * @throws {@link ConfigError} when it exists but is unreadable or invalid.
 */
export function readConfig(root: string): LoadedConfig | null {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  return { path, config: parseConfig(text, path), text };
}

/** The config as written to disk: fields in a fixed order, two-space JSON, a final newline. */
export function serializeConfig(config: KitConfig): string {
  const ordered: Record<string, unknown> = {};
  for (const key of ['$schema', 'targetDir', 'testNaming', 'formatter', 'check', 'modules', 'agents'] as const) {
    if (config[key] !== undefined) ordered[key] = config[key];
  }
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * The `$schema` to write into a new config: the installed kit's schema file when the project has the kit in its
 * node_modules (editors resolve it offline), else the published copy of this version.
 */
export function schemaReference(root: string): string {
  const pkg = resolveProjectPackage(root, 'concurrency-kit');
  if (pkg !== null) {
    const file = join(pkg, '..', 'schema', 'concurrency-kit.schema.json');
    if (existsSync(file)) return `./${posixRelative(root, file)}`;
  }
  return `https://unpkg.com/concurrency-kit@${KIT_VERSION}/schema/concurrency-kit.schema.json`;
}

/** The absolute folder `add` writes to by default: the config's `targetDir`, else {@link DEFAULT_TARGET_DIR}, from `root`. */
export function resolveTargetDir(root: string, config: KitConfig | null): string {
  return resolve(root, normalizeSeparators(config?.targetDir ?? DEFAULT_TARGET_DIR));
}

/**
 * A folder the user typed (relative to `cwd`) as a `targetDir` value: relative to `root`, POSIX separators.
 * @throws {@link ConfigError} when it is outside the project.
 */
export function toTargetDir(input: string, cwd: string, root: string): string {
  const normalized = normalizeSeparators(input);
  const absolute = isAbsolute(normalized) ? normalized : resolve(cwd, normalized);
  const relative = posixRelative(root, absolute);
  if (escapesRoot(relative) || isAbsolute(relative)) {
    throw new ConfigError(`The target folder "${input}" must be a folder inside the project (${root}).`, 'ERR_TARGET_DIR');
  }
  return relative === '' ? '.' : relative;
}
