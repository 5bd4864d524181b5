/**
 * The project's tooling for `concurrency-kit info` (the shared contract's fields formatter, linter,
 * packageManager, testRunner, testNaming and importStyle), each from its own detector.
 */
import { detectImportStyle, detectTestNaming, scanProjectFiles, type ImportStyle, type ImportStyleConstraints, type TestNaming } from './conventions.js';
import { detectFormatter, type FormatterName } from './formatter.js';
import { detectLinter, type LinterName } from './linter.js';
import { detectPackageManager, type PackageManager } from './package-manager.js';
import { detectTestRunner } from './test-runner.js';

/** The tooling part of the `info --json` document. */
export interface ToolingProfile {
  readonly packageManager: PackageManager;
  readonly formatter: { readonly name: FormatterName; readonly source: 'project' | 'kit' };
  readonly linter: { readonly name: LinterName } | null;
  readonly testRunner: { readonly name: 'vitest'; readonly version: string | null; readonly declared: boolean; readonly source: 'project' | 'kit' };
  readonly testNaming: TestNaming;
  readonly importStyle: ImportStyle;
}

/**
 * Detects the tooling of the project at `projectRoot`.
 * @param constraints - the governing tsconfig's settings that decide which import styles compile
 * @param chosenFormatter - the formatter concurrency-kit.json names, which wins over detection
 */
export function detectTooling(projectRoot: string, constraints: ImportStyleConstraints, chosenFormatter?: FormatterName): ToolingProfile {
  const files = scanProjectFiles(projectRoot);
  const formatter = detectFormatter(projectRoot, chosenFormatter);
  const runner = detectTestRunner(projectRoot);
  return {
    packageManager: detectPackageManager(projectRoot).name,
    formatter: { name: formatter.name, source: formatter.source },
    linter: detectLinter(projectRoot),
    testRunner: { name: runner.name, version: runner.version, declared: runner.declared, source: runner.source },
    testNaming: detectTestNaming(projectRoot, files).naming,
    importStyle: detectImportStyle(projectRoot, constraints, files).style,
  };
}
