/**
 * Small, synchronous look-ups in the target project's file tree (package.json, node_modules).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';

/** Directories from `start` up to the file-system root, nearest first. */
export function ancestors(start: string): string[] {
  const out: string[] = [];
  let dir = start;
  for (;;) {
    out.push(dir);
    const parent = dirname(dir);
    if (parent === dir || dir === parse(dir).root) return out;
    dir = parent;
  }
}

/** The nearest package.json at or above `start`, with its parsed `type`, or null when none exists. */
export function nearestPackageJson(start: string): { path: string; type: 'module' | 'commonjs' } | null {
  for (const dir of ancestors(start)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { type?: unknown };
      return { path: file, type: json.type === 'module' ? 'module' : 'commonjs' };
    } catch {
      return { path: file, type: 'commonjs' };
    }
  }
  return null;
}

/**
 * Resolves a package's `package.json` as the project at `fromDir` would see it, or null when it is not installed there.
 */
export function resolveProjectPackage(fromDir: string, name: string): string | null {
  try {
    const req = createRequire(join(fromDir, '__concurrency_kit_resolve__.js'));
    return req.resolve(`${name}/package.json`);
  } catch {
    // Packages whose exports hide package.json: walk node_modules by hand.
    for (const dir of ancestors(fromDir)) {
      const file = join(dir, 'node_modules', name, 'package.json');
      if (existsSync(file)) return file;
    }
    return null;
  }
}

/** Names of every `@types/*` package visible from `fromDir` (what TypeScript 5 includes when `types` is unset). */
export function visibleTypePackages(fromDir: string): string[] {
  const names = new Set<string>();
  for (const dir of ancestors(fromDir)) {
    const typesDir = join(dir, 'node_modules', '@types');
    if (!existsSync(typesDir)) continue;
    for (const entry of readdirSync(typesDir)) if (!entry.startsWith('.')) names.add(entry);
  }
  return [...names].sort();
}
