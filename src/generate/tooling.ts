/**
 * The project's tooling around the `add` pipeline, in the order it runs:
 * 1. before planning: its test naming and declared dependencies decide which files are written under which names,
 *    and `--install` installs what is missing (see {@link prepareTooling});
 * 2. before rendering: its relative imports and compiler settings decide the import style ({@link importStyleFor});
 * 3. after the write: its linters fix and report on the new files ({@link lintNewFiles}).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { posixRelative } from '../paths.js';
import type { FileRole } from '../patterns/registry.js';
import { detectImportStyle, detectTestNaming, scanProjectFiles, type ImportStyle, type TestNaming } from '../project/conventions.js';
import { detectFormatter, type FormatterName, type FormatterProfile } from '../project/formatter.js';
import { detectLinters, type LinterName } from '../project/linter.js';
import { detectPackageManager, type PackageManager } from '../project/package-manager.js';
import { commandLine } from '../shell.js';
import { declaredDependencies } from '../project/project-files.js';
import { kitVitestVersion } from '../project/test-runner.js';
import { dependencyWarnings, installDependencies, planDependencies, type AddAgain } from './dependencies.js';
import { missingFormatterWarning, type Formatter } from './format.js';
import { describeLintOutcomes, runLinters, type LintOutcome } from './lint.js';
import { planFiles } from './plan.js';

/** A file asked for but not written. */
export interface SkippedFile {
  readonly role: FileRole;
  /** Absolute path. */
  readonly path: string;
  /** Relative to the working directory, POSIX. */
  readonly displayPath: string;
  /** Why: vitest is not declared, or vitest is but a package of the manifest's `testDependencies` is not. */
  readonly reason: 'vitest-not-declared' | 'test-dependency-not-declared';
}

/** Inputs of {@link prepareTooling}. */
export interface ToolingInput {
  readonly projectRoot: string;
  readonly cwd: string;
  readonly outDir: string;
  /** Raw template text by role (which ones import `node:*`). */
  readonly templates: Readonly<Record<FileRole, string | undefined>>;
  /** The roles asked for (after `--no-test`/`--no-bench`), companions included. */
  readonly requested: readonly FileRole[];
  /** The roles among them that serve the tests and need vitest (see `isTestSide`). */
  readonly testSide: ReadonlySet<FileRole>;
  /** Packages the test-side files need besides vitest (the manifest's `testDependencies`). */
  readonly testDependencies: readonly string[];
  /** `add --yes`: install missing `testDependencies` when the project declares vitest (see `planDependencies`). */
  readonly installTestDependencies?: boolean;
  /** `--install`. */
  readonly install: boolean;
  readonly dryRun: boolean;
  /** Test naming given by the caller (e.g. from concurrency-kit.json); detected when undefined. */
  /** The formatter concurrency-kit.json names, which wins over detection; undefined to detect. */
  readonly formatter?: FormatterName | undefined;
  readonly testNaming: TestNaming | undefined;
  /** The add command's inputs, repeated in the hint that adds skipped files later. */
  readonly again: AddAgain;
  readonly onProgress: (message: string) => void;
  readonly signal: AbortSignal | undefined;
}

/** What {@link prepareTooling} decided (and did). */
export interface PreparedTooling {
  readonly testNaming: TestNaming;
  readonly packageManager: PackageManager;
  /** The formatter that formats the new files. */
  readonly formatter: FormatterProfile;
  /** The project's code files, for the import-style sample. */
  readonly projectFiles: readonly string[];
  /** The roles to generate. */
  readonly roles: readonly FileRole[];
  readonly skipped: readonly SkippedFile[];
  readonly warnings: readonly string[];
  /** The install command for what is missing, and whether it ran; null when nothing is missing. */
  readonly install: { readonly command: string; readonly ran: boolean } | null;
  /**
   * The command installing the pattern's test dependencies under `add --yes`, to run once the files are written (so
   * a refused add changes nothing), or null.
   */
  readonly testDependencyCommand: readonly string[] | null;
}

/**
 * Reads the project's test naming, package manager, formatter and declared dependencies; decides the roles to
 * write; runs the install command under `--install` (not on a dry run).
 * @throws {@link ProjectError} (`ERR_INSTALL`) when the install fails; nothing has been written.
 */
export async function prepareTooling(input: ToolingInput): Promise<PreparedTooling> {
  const { projectRoot } = input;
  const projectFiles = scanProjectFiles(projectRoot);
  const testNaming = input.testNaming ?? detectTestNaming(projectRoot, projectFiles).naming;
  const packageManager = detectPackageManager(projectRoot).name;
  const deps = planDependencies({
    roles: input.requested,
    testSide: input.testSide,
    testDependencies: input.testDependencies,
    declared: new Set(declaredDependencies(projectRoot).keys()),
    templates: input.templates,
    packageManager,
    install: input.install && !input.dryRun,
    installTestDependencies: input.installTestDependencies === true,
    kitVitestVersion: kitVitestVersion(),
    nodeMajor: Number(process.versions.node.split('.')[0]),
  });
  const reason = deps.skipReason;
  const skipped =
    reason === null
      ? []
      : planFiles({ id: input.again.pattern, cwd: input.cwd, outDir: input.outDir, roles: deps.skipped, existing: new Set(), overwrite: true, testNaming }).files.map(
          ({ role, path, displayPath }): SkippedFile => ({ role, path, displayPath, reason }),
        );
  const formatter = detectFormatter(projectRoot, input.formatter);
  const warnings = dependencyWarnings(deps, input.again);
  if (input.dryRun && input.install && deps.installCommand !== null) warnings.push(`--install would run \`${commandLine(deps.installCommand)}\` (not on a dry run).`);
  const missingFormatter = missingFormatterWarning(formatter);
  if (missingFormatter !== null) warnings.push(missingFormatter);
  if (deps.install && deps.installCommand !== null) {
    input.onProgress(`installing what the new files need: ${commandLine(deps.installCommand)}`);
    await installDependencies(deps.installCommand, projectRoot, input.signal);
  }
  if (deps.testDependencyCommand !== null && input.dryRun) {
    warnings.push(`--yes would run \`${commandLine(deps.testDependencyCommand)}\` for the ${input.again.pattern} tests, after writing (not on a dry run).`);
  }
  return {
    testNaming,
    packageManager,
    formatter,
    projectFiles,
    roles: deps.roles,
    skipped,
    warnings,
    install: deps.installCommand !== null ? { command: commandLine(deps.installCommand), ran: deps.install } : null,
    testDependencyCommand: input.dryRun ? null : deps.testDependencyCommand,
  };
}

/** The compiler facts the import style depends on (a subset of the type-check session's target). */
export interface ImportTarget {
  readonly moduleResolution: string;
  readonly allowImportingTsExtensions: boolean;
  readonly rewriteRelativeImportExtensions: boolean;
  readonly extension: '.ts' | '.mts';
}

/** The import style of the generated files: the project's habit, within what its compiler settings allow. */
export function importStyleFor(projectRoot: string, target: ImportTarget, moduleFormat: 'esm' | 'cjs', projectFiles: readonly string[]): ImportStyle {
  const { moduleResolution, allowImportingTsExtensions, rewriteRelativeImportExtensions, extension } = target;
  return detectImportStyle(projectRoot, { moduleResolution, moduleFormat, allowImportingTsExtensions, rewriteRelativeImportExtensions, extension }, projectFiles).style;
}

/** What the lint stage did. */
export interface LintStage {
  readonly linters: readonly LinterName[];
  readonly outcomes: readonly LintOutcome[];
  /** One line per finding or failure, for the warnings. */
  readonly warnings: readonly string[];
  /** The files' contents after the linters' fixes, by absolute path. */
  readonly contents: ReadonlyMap<string, string>;
}

/**
 * Runs the project's linters in fix mode on the files just written (nothing on a dry run) and reports what they
 * still find; never throws. A file a linter changed goes through the formatter again, so the formatter has the
 * last word (a fix such as removing an assertion can leave a line the formatter would join).
 */
export async function lintNewFiles(
  projectRoot: string,
  files: readonly { readonly path: string; readonly contents: string }[],
  options: { readonly dryRun: boolean; readonly formatter: Formatter; readonly onProgress: (message: string) => void; readonly signal: AbortSignal | undefined },
): Promise<LintStage> {
  const contents = new Map(files.map((f) => [f.path, f.contents]));
  const linters = options.dryRun ? [] : detectLinters(projectRoot);
  if (linters.length === 0) return { linters: [], outcomes: [], warnings: [], contents };
  options.onProgress(`linting the new files with ${linters.map((l) => l.name).join(', ')}`);
  const outcomes = await runLinters(
    linters,
    files.map((f) => posixRelative(projectRoot, f.path)),
    { projectRoot, biomeFormats: options.formatter.profile.name === 'biome' && options.formatter.profile.source === 'project', ...(options.signal ? { signal: options.signal } : {}) },
  );
  const changed = files.map((f) => ({ path: f.path, text: readFileSync(f.path, 'utf8') })).filter((f) => f.text !== contents.get(f.path));
  const reformatted = await options.formatter.formatAll(changed, options.signal);
  changed.forEach((f, i) => {
    const text = reformatted.texts[i] ?? f.text;
    if (text !== f.text) writeFileSync(f.path, text);
    contents.set(f.path, text);
  });
  return { linters: linters.map((l) => l.name), outcomes, warnings: [...describeLintOutcomes(outcomes), ...reformatted.warnings], contents };
}
