/**
 * The provenance record in `concurrency-kit.json`: what `add` generated, with which options and kit version, and the
 * SHA-256 of every file as written, so `info` can tell a current module from an edited or deleted one and `verify`
 * can find every module wherever it lives.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { StagedFile } from '../generate/apply.js';
import type { OptionValue } from '../generate/context.js';
import { normalizeSeparators, posixRelative } from '../paths.js';
import type { FileRole } from '../patterns/registry.js';
import { CONFIG_FILE, schemaReference, serializeConfig, type KitConfig, type LoadedConfig, type ModuleRecord, type RecordedFile } from './config.js';

/** Hex SHA-256 of `contents` (a string is hashed as UTF-8, as it is written). */
export function sha256(contents: string | Uint8Array): string {
  return createHash('sha256').update(contents).digest('hex');
}

/**
 * The config with `entry` recorded: an earlier entry that shares any file path with it is replaced (re-adding a
 * module over itself with `--overwrite` leaves one entry); the others keep their order, the new entry comes last.
 */
export function withModuleRecorded(config: KitConfig, entry: ModuleRecord): KitConfig {
  const paths = new Set(entry.files.map((f) => f.path));
  const kept = (config.modules ?? []).filter((m) => !m.files.some((f) => paths.has(f.path)));
  return { ...config, modules: [...kept, entry] };
}

/** The file of a record with the role `module`. */
export function moduleFileOf(record: ModuleRecord): RecordedFile {
  const file = record.files.find((f) => f.role === 'module');
  if (!file) throw new Error(`internal: the record of ${record.pattern} has no module file`);
  return file;
}

/**
 * State of a recorded module on disk: `missing` when its module file is gone; `edited` when the module file or a
 * recorded sibling (test, bench) differs from what was written, or a sibling is gone; else `current`.
 */
export type ModuleStatus = 'current' | 'edited' | 'missing';

/** What `info` lists for one recorded module. */
export interface RecordedModuleState {
  readonly pattern: string;
  /** The module file, relative to the project root, POSIX separators. */
  readonly file: string;
  readonly status: ModuleStatus;
}

/** Absolute path of a recorded file. */
export function recordedPath(root: string, file: RecordedFile): string {
  return resolve(root, normalizeSeparators(file.path));
}

function fileMatches(root: string, file: RecordedFile): boolean | null {
  const path = recordedPath(root, file);
  if (!existsSync(path)) return null;
  try {
    return sha256(readFileSync(path)) === file.sha256;
  } catch {
    return false;
  }
}

/** Compares one record with the files on disk (see {@link ModuleStatus}). */
export function moduleStatus(root: string, record: ModuleRecord): ModuleStatus {
  if (fileMatches(root, moduleFileOf(record)) === null) return 'missing';
  return record.files.every((f) => fileMatches(root, f) === true) ? 'current' : 'edited';
}

/** Every recorded module with its state, in record order. */
export function recordedModuleStates(root: string, config: KitConfig | null): RecordedModuleState[] {
  return (config?.modules ?? []).map((m) => ({ pattern: m.pattern, file: moduleFileOf(m).path, status: moduleStatus(root, m) }));
}

/** Inputs of {@link recordFileFor}. */
export interface RecordInput {
  /** Folder of the `concurrency-kit.json` that records the files. */
  readonly root: string;
  /** The config there as read, or null when there is none yet (it is then created). */
  readonly loaded: LoadedConfig | null;
  /** Working directory, for the path shown in messages. */
  readonly cwd: string;
  readonly pattern: string;
  readonly name: string;
  readonly kitVersion: string;
  readonly options: Readonly<Record<string, OptionValue>>;
  /** The generated files with their final contents (absolute paths). */
  readonly files: readonly { readonly role: FileRole; readonly path: string; readonly contents: string }[];
}

/**
 * The `concurrency-kit.json` to write alongside generated files, recording them (see {@link withModuleRecorded}); it
 * replaces the existing one only if that still has the text it was read with. Returns null when a file lies outside
 * `root`, where a root-relative record cannot point.
 */
export function recordFileFor(input: RecordInput): StagedFile | null {
  const files = input.files.map((f): RecordedFile => ({ role: f.role, path: posixRelative(input.root, f.path), sha256: sha256(f.contents) }));
  if (files.some((f) => f.path.startsWith('../') || isAbsolute(f.path))) return null;
  const base: KitConfig = input.loaded?.config ?? { $schema: schemaReference(input.root) };
  const entry: ModuleRecord = { pattern: input.pattern, name: input.name, kitVersion: input.kitVersion, options: input.options, files };
  const path = join(input.root, CONFIG_FILE);
  return {
    path,
    displayPath: posixRelative(input.cwd, path) || CONFIG_FILE,
    action: input.loaded ? 'overwrite' : 'create',
    contents: serializeConfig(withModuleRecorded(base, entry)),
    ...(input.loaded ? { expectedSha256: sha256(input.loaded.text) } : {}),
  };
}
