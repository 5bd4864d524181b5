/** The project root: where `concurrency-kit.json` lives and what default paths are relative to. */
import { dirname, resolve } from 'node:path';
import { execa } from 'execa';
import { posixRelative } from '../paths.js';
import { nearestPackageJson } from './package-json.js';

/**
 * The folder of the nearest `package.json` at or above `cwd`, or `cwd` itself when there is none. A command run
 * from `src/server` works on the same project, and writes to the same default folder, as one run from the root.
 */
export function findProjectRoot(cwd: string): string {
  const pkg = nearestPackageJson(resolve(cwd));
  return pkg ? dirname(pkg.path) : resolve(cwd);
}

/**
 * Where `root` lies inside its git repository, as a POSIX path without a trailing slash (`packages/worker`; `''` at
 * the top): what a reader that resolves paths from the repository root (GitHub code scanning, workflow annotations)
 * must put before a project-relative path. Asks git; outside a repository, the path from `GITHUB_WORKSPACE` when
 * `root` lies in it, else `''`.
 */
export async function folderInRepository(root: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string> {
  const result = await execa('git', ['rev-parse', '--show-prefix'], { cwd: root, reject: false });
  if (result.exitCode === 0) return String(result.stdout).trim().replace(/\/$/, '');
  const workspace = env['GITHUB_WORKSPACE'];
  if (workspace === undefined || workspace === '') return '';
  const inside = posixRelative(resolve(workspace), root);
  return inside.startsWith('..') ? '' : inside;
}
