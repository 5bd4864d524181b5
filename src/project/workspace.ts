/** The packages of a workspace (npm, yarn and bun `workspaces`, pnpm's `pnpm-workspace.yaml`), found from its globs. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { posixRelative } from '../paths.js';
import { readPackageJson } from './project-files.js';

/** Folders a workspace glob never reaches into. */
const SKIP = new Set(['node_modules', '.git']);
/** How deep below the root a package folder may be (`packages/scope/name` is 3). */
const MAX_DEPTH = 5;

/** The workspace globs declared at `root`: pnpm-workspace.yaml's `packages`, else package.json's `workspaces`. */
export function workspaceGlobs(root: string): string[] {
  const yamlFile = join(root, 'pnpm-workspace.yaml');
  let globs: unknown;
  if (existsSync(yamlFile)) {
    try {
      globs = (parse(readFileSync(yamlFile, 'utf8')) as { packages?: unknown } | null)?.packages;
    } catch {
      globs = undefined;
    }
  } else {
    const field = readPackageJson(root)?.json['workspaces'];
    // npm, yarn and bun take an array; yarn 1 also `{ packages: [...] }`.
    globs = Array.isArray(field) ? field : (field as { packages?: unknown } | undefined)?.packages;
  }
  return Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string').map((g) => g.replace(/^\.\//, '').replace(/\/+$/, '')) : [];
}

/**
 * The absolute folders of the workspace's packages: each folder below `root` that holds a package.json and matches a
 * workspace glob and no `!` glob, sorted. Empty when `root` declares no workspace.
 */
export function workspacePackages(root: string): string[] {
  const globs = workspaceGlobs(root);
  const include = globs.filter((g) => !g.startsWith('!'));
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  if (include.length === 0) return [];
  const matches = (rel: string, patterns: readonly string[]): boolean => patterns.some((p) => minimatch(rel, p, { dot: false }));
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      const rel = posixRelative(root, full);
      if (existsSync(join(full, 'package.json')) && matches(rel, include) && !matches(rel, exclude)) out.push(full);
      walk(full, depth + 1);
    }
  };
  walk(root, 1);
  return out.sort();
}
