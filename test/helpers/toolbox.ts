/**
 * Tools installed from npm for end-to-end fixture projects (a given TypeScript, linters, formatters, vitest),
 * shared between tests and runs: one install per distinct set of dependencies, cached under the OS temp folder.
 *
 * A fixture project declares the same dependencies in its package.json and links its `node_modules` to the
 * toolbox's, so the kit sees exactly what a real project with those devDependencies would have installed.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Versions (or npm ranges / aliases such as `npm:typescript@5.9`) by package name. */
export type ToolSpec = Readonly<Record<string, string>>;

/**
 * Installs `deps` once (cached by their exact spec) and returns the folder holding `package.json` and
 * `node_modules`. Safe when several test files ask for the same toolbox at once: each installs into a private
 * folder and the first to finish publishes it by rename.
 */
export async function installToolbox(deps: ToolSpec): Promise<string> {
  const sorted = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const key = createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `concurrency-kit-toolbox-${key}`);
  if (existsSync(join(dir, 'node_modules', '.toolbox-complete'))) return dir;
  const staging = `${dir}.tmp-${String(process.pid)}-${String(Math.random()).slice(2, 8)}`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ name: 'toolbox', private: true, devDependencies: sorted }, null, 2)}\n`);
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, timeout: 300_000 });
    writeFileSync(join(staging, 'node_modules', '.toolbox-complete'), '');
    try {
      renameSync(staging, dir);
    } catch {
      // Another worker published the same toolbox first (or a stale incomplete one is in the way).
      if (!existsSync(join(dir, 'node_modules', '.toolbox-complete'))) {
        rmSync(dir, { recursive: true, force: true });
        renameSync(staging, dir);
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** Links `projectDir/node_modules` to the toolbox's, as if the project had installed the same dependencies. */
export function linkToolbox(projectDir: string, toolboxDir: string): void {
  symlinkSync(join(toolboxDir, 'node_modules'), join(projectDir, 'node_modules'), 'dir');
}

/**
 * Like {@link linkToolbox}, but `projectDir/node_modules` is a real folder holding one link per installed package
 * (and `.bin`). What tools write into `node_modules` (vitest's `.vite` cache, `tsc -b`'s
 * `node_modules/.tmp/*.tsbuildinfo` in Vite's templates) then stays in the project instead of the shared toolbox,
 * where it would leak between fixtures and runs.
 */
export function linkToolboxEntries(projectDir: string, toolboxDir: string): void {
  const source = join(toolboxDir, 'node_modules');
  const target = join(projectDir, 'node_modules');
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry.startsWith('.') && entry !== '.bin') continue;
    symlinkSync(join(source, entry), join(target, entry), 'dir');
  }
}
