/**
 * The disk side of `agents install | list | uninstall` (the plan and the decisions live in ./install.ts): where the
 * files and their record go for a scope, the all-or-nothing write of an install, and the removal of what the kit
 * wrote and nobody edited.
 */
import { readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { applyFiles, type StagedFile } from '../generate/apply.js';
import { Formatter } from '../generate/format.js';
import { readConfig, schemaReference, serializeConfig, CONFIG_FILE, type AgentFileRecord, type HarnessTarget, type KitConfig } from '../config/config.js';
import { sha256 } from '../config/record.js';
import { posixRelative } from '../paths.js';
import { findProjectRoot } from '../project/root.js';
import { KIT_VERSION } from '../version.js';
import { installAction, installedStatus, planInstall, readIfExists, TARGETS, withPart, type InstallAction, type InstalledStatus, type PlannedAgentFile, type Scope } from './install.js';

/** Where a scope's files and record live. */
export interface ScopeRoots {
  /** Paths in the plan and the record are relative to this folder. */
  readonly root: string;
  /** The folder of the `concurrency-kit.json` that records the files. */
  readonly recordDir: string;
}

/** The project root (from `cwd`), or the home folder with the record under `~/.config/concurrency-kit/`. */
export function scopeRoots(scope: Scope, cwd: string, home: string = process.env['HOME'] ?? homedir()): ScopeRoots {
  if (scope === 'project') {
    const root = findProjectRoot(cwd);
    return { root, recordDir: root };
  }
  return { root: home, recordDir: join(home, '.config', 'concurrency-kit') };
}

/** One file of an install, with what happened to it. */
export interface InstallEntry {
  readonly path: string;
  readonly part: PlannedAgentFile['part'];
  readonly action: InstallAction;
  readonly targets: readonly HarnessTarget[];
}

/** The outcome of an install (under dry-run, of the install that would run). */
export interface InstallResult {
  readonly scope: Scope;
  readonly root: string;
  readonly files: readonly InstallEntry[];
  /** The record's path and whether it was written (`unchanged` when nothing in it changed). */
  readonly record: { readonly path: string; readonly action: 'created' | 'updated' | 'unchanged' };
  readonly dryRun: boolean;
}

function sameRecords(a: readonly AgentFileRecord[], b: readonly AgentFileRecord[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The record entry for a file the kit now owns in the state `planned` describes. */
function recordOf(planned: PlannedAgentFile, previous: AgentFileRecord | undefined): AgentFileRecord {
  const hash = sha256(planned.contents);
  const targets = TARGETS.filter((t) => planned.targets.includes(t) || (previous?.targets.includes(t) ?? false));
  if (previous !== undefined && previous.sha256 === hash && previous.targets.length === targets.length) return previous;
  return { path: planned.path, ...(planned.part === 'file' ? {} : { part: planned.part }), sha256: hash, targets, kitVersion: KIT_VERSION };
}

async function recordFile(roots: ScopeRoots, scope: Scope, config: KitConfig, previous: string | null, cwd: string): Promise<StagedFile> {
  const path = join(roots.recordDir, CONFIG_FILE);
  let contents = serializeConfig(config);
  // In a project the record is one of its files, so its formatter has the last word, as for `add`.
  if (scope === 'project') contents = (await new Formatter(roots.root).formatAll([{ path, text: contents }])).texts[0] ?? contents;
  return {
    path,
    displayPath: posixRelative(cwd, path) || CONFIG_FILE,
    action: previous === null ? 'create' : 'overwrite',
    contents,
    ...(previous === null ? {} : { expectedSha256: sha256(previous) }),
  };
}

/**
 * Installs `targets`: creates what is missing, updates what the kit wrote and nobody edited, keeps what was edited
 * (or is not the kit's) unless `overwrite`, and records every file it owns. Writes nothing when nothing changes.
 */
export async function installAgents(input: {
  readonly targets: readonly HarnessTarget[];
  readonly scope: Scope;
  readonly cwd: string;
  readonly home?: string;
  readonly overwrite: boolean;
  readonly dryRun: boolean;
  readonly claudeMd: boolean;
  /** Also register the MCP server in each target's project MCP config. */
  readonly mcp?: boolean;
  readonly signal?: AbortSignal;
}): Promise<InstallResult> {
  const roots = scopeRoots(input.scope, input.cwd, input.home);
  const loaded = readConfig(roots.recordDir);
  const previous = loaded?.config.agents ?? [];
  const plan = planInstall(input.targets, input.scope, { claudeMd: input.claudeMd, mcp: input.mcp === true });
  const staged: StagedFile[] = [];
  const entries: InstallEntry[] = [];
  const records = new Map(previous.map((r) => [r.path, r]));
  for (const planned of plan) {
    const path = resolve(roots.root, planned.path);
    const disk = readIfExists(path);
    const recorded = records.get(planned.path);
    const action = installAction(planned, disk, recorded, input.overwrite);
    entries.push({ path: planned.path, part: planned.part, action, targets: planned.targets });
    if (action === 'kept') continue;
    records.set(planned.path, recordOf(planned, recorded));
    if (action === 'unchanged') continue;
    staged.push({
      path,
      displayPath: posixRelative(input.cwd, path),
      action: disk === null ? 'create' : 'overwrite',
      contents: withPart(disk, planned.part, planned.contents, planned.path),
      ...(disk === null ? {} : { expectedSha256: sha256(disk) }),
    });
  }
  const agents = [...records.values()].sort((a, b) => a.path.localeCompare(b.path));
  const recordPath = join(roots.recordDir, CONFIG_FILE);
  let recordAction: InstallResult['record']['action'] = 'unchanged';
  if (!sameRecords(agents, previous) || loaded === null) {
    const base: KitConfig = loaded?.config ?? { $schema: schemaReference(roots.recordDir) };
    staged.push(await recordFile(roots, input.scope, { ...base, agents }, loaded?.text ?? null, input.cwd));
    recordAction = loaded === null ? 'created' : 'updated';
  }
  if (staged.length > 0) await applyFiles(staged, { dryRun: input.dryRun, ...(input.signal ? { signal: input.signal } : {}) });
  return { scope: input.scope, root: roots.root, files: entries, record: { path: posixRelative(input.cwd, recordPath) || CONFIG_FILE, action: recordAction }, dryRun: input.dryRun };
}

/** One recorded file with its state. */
export interface InstalledEntry {
  readonly path: string;
  readonly targets: readonly HarnessTarget[];
  readonly status: InstalledStatus;
  readonly kitVersion: string;
}

/** What the record says is installed at `scope`, each file compared with the disk and with this kit version. */
export function listInstalled(scope: Scope, cwd: string, home?: string): { scope: Scope; root: string; targets: HarnessTarget[]; files: InstalledEntry[] } {
  const roots = scopeRoots(scope, cwd, home);
  const records = readConfig(roots.recordDir)?.config.agents ?? [];
  const targets = TARGETS.filter((t) => records.some((r) => r.targets.includes(t)));
  const plan = new Map(planInstall(targets, scope, { claudeMd: records.some((r) => r.part === 'import'), mcp: records.some((r) => r.part === 'mcp') }).map((p) => [p.path, p]));
  const files = records.map((r) => ({
    path: r.path,
    targets: r.targets,
    status: installedStatus(r, readIfExists(resolve(roots.root, r.path)), plan.get(r.path)),
    kitVersion: r.kitVersion,
  }));
  return { scope, root: roots.root, targets, files };
}

/** What `uninstall` did (or would do) with one recorded file. */
export interface UninstallEntry {
  readonly path: string;
  /** `removed`; `kept` (edited, or still needed by another installed target); `forgotten` (already gone). */
  readonly action: 'removed' | 'kept' | 'forgotten';
  readonly reason?: string;
}

/** Removes empty folders from `dir` up to (not including) `root`. */
function pruneEmpty(dir: string, root: string): void {
  let current = dir;
  while (current.startsWith(`${root}/`) && readdirSync(current).length === 0) {
    rmdirSync(current);
    current = dirname(current);
  }
}

/**
 * Uninstalls `targets`: removes each recorded file that no other installed target needs and nobody edited (edited
 * ones only with `overwrite`), takes the kit's block or line out of shared files, prunes the folders it emptied,
 * and updates the record.
 */
export async function uninstallAgents(input: {
  readonly targets: readonly HarnessTarget[];
  readonly scope: Scope;
  readonly cwd: string;
  readonly home?: string;
  readonly overwrite: boolean;
  readonly dryRun: boolean;
}): Promise<{ scope: Scope; root: string; files: UninstallEntry[]; dryRun: boolean }> {
  const roots = scopeRoots(input.scope, input.cwd, input.home);
  const loaded = readConfig(roots.recordDir);
  const records = loaded?.config.agents ?? [];
  const kept: AgentFileRecord[] = [];
  const entries: UninstallEntry[] = [];
  const removals: (() => void)[] = [];
  for (const record of records) {
    const remaining = record.targets.filter((t) => !input.targets.includes(t));
    if (remaining.length === record.targets.length) {
      kept.push(record);
      continue;
    }
    if (remaining.length > 0) {
      kept.push({ ...record, targets: remaining });
      entries.push({ path: record.path, action: 'kept', reason: `still needed by ${remaining.join(', ')}` });
      continue;
    }
    const path = resolve(roots.root, record.path);
    const disk = readIfExists(path);
    const status = installedStatus(record, disk, undefined);
    if (status === 'missing' || disk === null) {
      entries.push({ path: record.path, action: 'forgotten', reason: 'already gone' });
      continue;
    }
    if (status === 'edited' && !input.overwrite) {
      entries.push({ path: record.path, action: 'kept', reason: 'edited since the kit wrote it (--overwrite removes it)' });
      continue;
    }
    const part = record.part ?? 'file';
    const reasons = { block: "the kit's block; the rest of the file stays", import: 'the @AGENTS.md line; the rest of the file stays', mcp: 'the concurrency-kit server entry; the rest of the file stays' } as const;
    entries.push({ path: record.path, action: 'removed', ...(part === 'file' ? {} : { reason: reasons[part] }) });
    removals.push(() => {
      const rest = part === 'file' ? '' : withPart(disk, part, null, record.path);
      if (rest.trim() === '') rmSync(path, { force: true });
      else writeFileSync(path, rest);
      pruneEmpty(dirname(path), roots.root);
    });
  }
  const changed = JSON.stringify(kept) !== JSON.stringify(records);
  if (!input.dryRun && (changed || removals.length > 0)) {
    for (const remove of removals) remove();
    if (loaded !== null) {
      const { agents: _dropped, ...rest } = loaded.config;
      const config: KitConfig = kept.length > 0 ? { ...rest, agents: kept } : rest;
      await applyFiles([await recordFile(roots, input.scope, config, loaded.text, input.cwd)], { dryRun: false });
    }
  }
  return { scope: input.scope, root: roots.root, files: entries, dryRun: input.dryRun };
}
