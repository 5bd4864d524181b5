/**
 * Which modules a plain `verify` (no paths) proves: every module `concurrency-kit.json` records, wherever it lives,
 * plus every module found by its banner anywhere in the project (node_modules, dist and hidden folders such as .git
 * are skipped), so a module added to `src/limits` or copied by hand is not silently left out.
 */
import { existsSync } from 'node:fs';
import type { KitConfig, ModuleRecord } from '../config/config.js';
import { moduleFileOf, recordedPath } from '../config/record.js';
import { findModules, type FoundModule } from './find.js';

/** What {@link discoverModules} found. */
export interface Discovery {
  /** Modules to verify, sorted by path. */
  readonly modules: readonly FoundModule[];
  /** Recorded modules whose module file no longer exists. */
  readonly missing: readonly ModuleRecord[];
}

/** A recorded module as {@link FoundModule}: its recorded siblings when they exist. */
function fromRecord(root: string, record: ModuleRecord): FoundModule {
  const sibling = (role: 'test' | 'bench'): string | null => {
    const file = record.files.find((f) => f.role === role);
    const path = file ? recordedPath(root, file) : null;
    return path !== null && existsSync(path) ? path : null;
  };
  return {
    pattern: record.pattern,
    version: record.kitVersion,
    file: recordedPath(root, moduleFileOf(record)),
    testFile: sibling('test'),
    benchFile: sibling('bench'),
  };
}

/**
 * Finds every module of the project at `root`: those recorded in `config` and those carrying the kit's banner.
 * A module found both ways is listed once; its banner names the pattern, its record fills in siblings the banner
 * search cannot see.
 */
export function discoverModules(root: string, config: KitConfig | null): Discovery {
  const byFile = new Map<string, FoundModule>();
  const missing: ModuleRecord[] = [];
  for (const record of config?.modules ?? []) {
    const found = fromRecord(root, record);
    if (existsSync(found.file)) byFile.set(found.file, found);
    else missing.push(record);
  }
  for (const found of findModules([root], root)) {
    const recorded = byFile.get(found.file);
    byFile.set(found.file, {
      ...found,
      testFile: found.testFile ?? recorded?.testFile ?? null,
      benchFile: found.benchFile ?? recorded?.benchFile ?? null,
    });
  }
  const modules = [...byFile.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { modules, missing };
}
