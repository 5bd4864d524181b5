/** The project root: where `concurrency-kit.json` lives and what default paths are relative to. */
import { dirname, resolve } from 'node:path';
import { nearestPackageJson } from './package-json.js';

/**
 * The folder of the nearest `package.json` at or above `cwd`, or `cwd` itself when there is none. A command run
 * from `src/server` works on the same project, and writes to the same default folder, as one run from the root.
 */
export function findProjectRoot(cwd: string): string {
  const pkg = nearestPackageJson(resolve(cwd));
  return pkg ? dirname(pkg.path) : resolve(cwd);
}
