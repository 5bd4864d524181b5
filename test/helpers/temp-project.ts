/**
 * Temp-directory harness: writes a file tree into a unique temp dir, links the kit's node_modules into it
 * (so typescript, vitest, prettier and @types/node resolve as in a real project), and removes it afterwards.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The kit's repository root. */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI entry. */
export const CLI = join(REPO, 'dist', 'cli', 'main.js');

/** A file tree: relative path -> contents (objects are written as JSON). */
export type Tree = Record<string, string | object>;

/** A temp project; call `cleanup` (or use `await using`-free afterEach) when done. */
export interface TempProject {
  readonly dir: string;
  cleanup(): void;
}

/** Writes `tree` into a fresh temp dir; `linkModules` links the kit's node_modules in. */
export function createTempProject(tree: Tree, options: { linkModules?: boolean } = {}): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'ck-test-'));
  for (const [path, contents] of Object.entries(tree)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof contents === 'string' ? contents : `${JSON.stringify(contents, null, 2)}\n`);
  }
  if (options.linkModules !== false) symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Hashes every file below `dir` (not following node_modules) so tests can assert "byte-for-byte unchanged". */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of readdirSync(current)) {
      const full = join(current, entry);
      const stat = lstatSync(full);
      const key = relative(dir, full).split(sep).join('/');
      if (entry === 'node_modules') {
        out[key] = 'link';
        continue;
      }
      if (stat.isDirectory()) {
        out[`${key}/`] = 'dir';
        walk(full);
      } else out[key] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Strict compiler flags a demanding user has. */
export const STRICT_FLAGS = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noPropertyAccessFromIndexSignature: true,
  noFallthroughCasesInSwitch: true,
  isolatedModules: true,
  skipLibCheck: true,
  noEmit: true,
};

/** The dev dependencies every sample project declares (the kit's node_modules, linked in, provides them). */
export const SAMPLE_DEV_DEPENDENCIES = { '@types/node': '^20.19.0', typescript: '~5.9.3', vitest: '~4.1.0', tsx: '^4.23.15' };

/** A strict ESM project: `module: NodeNext`, lib ES2022 only (no esnext.disposable), @types/node. */
export function esmProjectTree(): Tree {
  return {
    'package.json': { name: 'esm-sample', version: '1.0.0', private: true, type: 'module', devDependencies: SAMPLE_DEV_DEPENDENCIES },
    'tsconfig.json': {
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', verbatimModuleSyntax: true, types: ['node'], ...STRICT_FLAGS },
      include: ['src'],
    },
  };
}

/** A bundler-style project (Vite, Next): `moduleResolution: bundler`, lib ESNext, extensionless imports. */
export function bundlerProjectTree(): Tree {
  return {
    'package.json': { name: 'bundler-sample', version: '1.0.0', private: true, type: 'module', devDependencies: SAMPLE_DEV_DEPENDENCIES },
    'tsconfig.json': {
      compilerOptions: { target: 'ES2022', lib: ['ESNext'], module: 'ESNext', moduleResolution: 'Bundler', verbatimModuleSyntax: true, types: ['node'], ...STRICT_FLAGS },
      include: ['src'],
    },
  };
}

/** A CommonJS project: `module: commonjs`, node10 resolution, lib ES2022. */
export function cjsProjectTree(): Tree {
  return {
    'package.json': { name: 'cjs-sample', version: '1.0.0', private: true, devDependencies: SAMPLE_DEV_DEPENDENCIES },
    'tsconfig.json': {
      compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true, types: ['node'], ...STRICT_FLAGS },
      include: ['src'],
    },
  };
}
