/**
 * The project's package manager (npm, pnpm, yarn or bun) and the exact command that installs dev dependencies
 * with it. The lockfile decides; then package.json's `packageManager` field; else npm.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ancestors } from './package-json.js';
import { readPackageJson, workspaceRoot } from './project-files.js';

/** A package manager the kit knows how to drive. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Lockfiles by package manager, in the order ties are broken when one folder holds several. */
const LOCKFILES: readonly (readonly [file: string, manager: PackageManager])[] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/** The package manager of a project and what it was read from. */
export interface DetectedPackageManager {
  readonly name: PackageManager;
  /** `lockfile`, `packageManager` (package.json's field) or `default` (nothing said: npm). */
  readonly from: 'lockfile' | 'packageManager' | 'default';
  /** The lockfile or package.json the answer comes from, absolute; null for the default. */
  readonly file: string | null;
}

function managerField(dir: string): PackageManager | null {
  const field = readPackageJson(dir)?.json['packageManager'];
  if (typeof field !== 'string') return null;
  const name = field.split('@')[0];
  return name === 'npm' || name === 'pnpm' || name === 'yarn' || name === 'bun' ? name : null;
}

/**
 * Detects the package manager of the project at `projectRoot`: the nearest folder at or above it holding a
 * lockfile (up to the repository root or workspace root) decides; when one folder holds several, its
 * `packageManager` field breaks the tie. Without a lockfile, the `packageManager` field of the project or its
 * workspace root; else npm.
 */
export function detectPackageManager(projectRoot: string): DetectedPackageManager {
  const stop = workspaceRoot(projectRoot);
  for (const dir of ancestors(projectRoot)) {
    const found = LOCKFILES.filter(([file]) => existsSync(join(dir, file)));
    if (found.length > 0) {
      const preferred = managerField(dir);
      const [file, name] = found.find(([, manager]) => manager === preferred) ?? found[0] ?? ['package-lock.json', 'npm'];
      return { name, from: 'lockfile', file: join(dir, file) };
    }
    if (dir === stop || existsSync(join(dir, '.git'))) break;
  }
  for (const dir of [projectRoot, ...(stop !== null && stop !== projectRoot ? [stop] : [])]) {
    const name = managerField(dir);
    if (name !== null) return { name, from: 'packageManager', file: join(dir, 'package.json') };
  }
  return { name: 'npm', from: 'default', file: null };
}

/** The argv (command first) that adds `packages` as dev dependencies of the project with `manager`. */
export function installDevCommand(manager: PackageManager, packages: readonly string[]): readonly string[] {
  switch (manager) {
    case 'npm':
      return ['npm', 'install', '--save-dev', ...packages];
    case 'pnpm':
      return ['pnpm', 'add', '--save-dev', ...packages];
    case 'yarn':
      return ['yarn', 'add', '--dev', ...packages];
    case 'bun':
      return ['bun', 'add', '--dev', ...packages];
  }
}

