/**
 * Whose vitest runs the generated tests, and what the project declares: the project's own vitest only when its
 * package.json declares it and it is installed inside the project; otherwise the kit's copy.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { declaredDependencies, installedPackage, readPackageJson } from './project-files.js';

/** The test runner of a project, as `info` reports it. */
export interface TestRunnerProfile {
  readonly name: 'vitest';
  /** Version of the vitest that runs the tests (the project's or the kit's), or null when none can be found. */
  readonly version: string | null;
  /** Whether the project's package.json (or its workspace root's) declares vitest. */
  readonly declared: boolean;
  /** `project` only when it is declared and installed inside the project; else `kit`. */
  readonly source: 'project' | 'kit';
  /** Absolute folder of the vitest package that runs the tests, or null when none can be found. */
  readonly packageDir: string | null;
}

/** The folder of the kit's own vitest package, or null when it cannot be resolved. */
export function kitVitestDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
  } catch {
    return null;
  }
}

/** Detects which vitest runs tests for the project at `projectRoot` and whether the project declares it. */
export function detectTestRunner(projectRoot: string): TestRunnerProfile {
  const declared = declaredDependencies(projectRoot).has('vitest');
  const own = declared ? installedPackage(projectRoot, 'vitest') : null;
  if (own) return { name: 'vitest', version: own.version, declared, source: 'project', packageDir: own.dir };
  return { name: 'vitest', version: kitVitestVersion(), declared, source: 'kit', packageDir: kitVitestDir() };
}

/** Version of the kit's own vitest (what the templates are written and tested against), or null. */
export function kitVitestVersion(): string | null {
  const dir = kitVitestDir();
  const version = dir === null ? undefined : readPackageJson(dir)?.json['version'];
  return typeof version === 'string' ? version : null;
}
