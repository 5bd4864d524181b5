/**
 * The dependencies generated files need and the project must declare itself: `vitest` for the test and bench files
 * (they import it) and `@types/node` for files importing `node:*` modules. Read from the project's package.json,
 * never from node_modules, where the kit's own copies may sit hoisted today and be gone tomorrow.
 *
 * Policy: without a declared vitest and without `--install`, only the module is written; the test and bench files
 * are skipped with a warning giving the install command and the command that adds them afterwards. With
 * `--install`, the project's package manager installs what is missing before the type-check.
 */
import { ProjectError } from '../errors.js';
import { importsNodeModules, type FileRole } from '../patterns/registry.js';
import { installDevCommand, type PackageManager } from '../project/package-manager.js';
import { commandLine } from '../shell.js';

/** Inputs of {@link planDependencies}. */
export interface DependencyInput {
  /** The roles the user asked for (after `--no-test`/`--no-bench`), companions included. */
  readonly roles: readonly FileRole[];
  /** The roles among them that serve the tests (`test`, `bench`, `with: "tests"` companions): they need vitest. */
  readonly testSide: ReadonlySet<FileRole>;
  /** Packages the test-side files need besides vitest (the manifest's `testDependencies`). */
  readonly testDependencies: readonly string[];
  /** Packages the project declares (package.json and its workspace root's). */
  readonly declared: ReadonlySet<string>;
  /** The raw template text of each role, to see which ones import `node:*` modules. */
  readonly templates: Readonly<Record<FileRole, string | undefined>>;
  readonly packageManager: PackageManager;
  /** `--install`: install what is missing instead of skipping the files that need it. */
  readonly install: boolean;
  /**
   * Install the manifest's `testDependencies` the project lacks when it declares vitest (`add --yes`): the user has
   * a test setup and asked for the tests, and these are what they need to run. vitest itself is never installed
   * without `--install`.
   */
  readonly installTestDependencies?: boolean;
  /** Version of the kit's vitest (the tests are written for its major), or null. */
  readonly kitVitestVersion: string | null;
  /** Major version of the Node running the kit, for `@types/node`. */
  readonly nodeMajor: number;
}

/** What to generate and install, given what the project declares. */
export interface DependencyPlan {
  /** The roles to generate. */
  readonly roles: readonly FileRole[];
  /** Roles asked for but skipped because vitest (or a test dependency) is not declared and `--install` was not given. */
  readonly skipped: readonly FileRole[];
  /** Why {@link DependencyPlan.skipped} is not empty: vitest is not declared, or a test dependency is not; else null. */
  readonly skipReason: 'vitest-not-declared' | 'test-dependency-not-declared' | null;
  /** Packages the generated files need that the project does not declare, as install specs (e.g. `vitest@^4.1`). */
  readonly missing: readonly string[];
  /** The command that installs `missing` with the project's package manager, or null when nothing is missing. */
  readonly installCommand: readonly string[] | null;
  /** Whether `add` runs {@link DependencyPlan.installCommand} (`--install` and something is missing). */
  readonly install: boolean;
  /**
   * The command that installs the test dependencies `add --yes` installs by itself (see
   * {@link DependencyInput.installTestDependencies}), or null; they are not in {@link DependencyPlan.missing}.
   */
  readonly testDependencyCommand: readonly string[] | null;
}

/** Decides what to generate and install. Pure. */
export function planDependencies(input: DependencyInput): DependencyPlan {
  const needsTestTools = input.roles.some((r) => input.testSide.has(r));
  const vitestMissing = needsTestTools && !input.declared.has('vitest');
  const testToolsMissing = needsTestTools ? input.testDependencies.filter((d) => !input.declared.has(d)) : [];
  const autoInstalled = !input.install && input.installTestDependencies === true && !vitestMissing ? testToolsMissing : [];
  const toolsLeftOut = testToolsMissing.length > 0 && autoInstalled.length === 0;
  const skipped: FileRole[] = (vitestMissing || toolsLeftOut) && !input.install ? input.roles.filter((r) => input.testSide.has(r)) : [];
  const roles = input.roles.filter((r) => !skipped.includes(r));
  const nodeTypesMissing = !input.declared.has('@types/node') && (input.install ? input.roles : roles).some((r) => importsNodeModules(input.templates[r]));
  const vitestVersion = /^(\d+)\.(\d+)/.exec(input.kitVitestVersion ?? '');
  const missing = [
    ...(vitestMissing ? [vitestVersion ? `vitest@^${vitestVersion[1] ?? ''}.${vitestVersion[2] ?? ''}` : 'vitest'] : []),
    ...testToolsMissing.filter((d) => !autoInstalled.includes(d)),
    ...(nodeTypesMissing ? [`@types/node@^${String(input.nodeMajor)}`] : []),
  ];
  const installCommand = missing.length > 0 ? installDevCommand(input.packageManager, missing) : null;
  const testDependencyCommand = autoInstalled.length > 0 ? installDevCommand(input.packageManager, autoInstalled) : null;
  const skipReason = skipped.length === 0 ? null : vitestMissing ? 'vitest-not-declared' : 'test-dependency-not-declared';
  return { roles, skipped, skipReason, missing, installCommand, install: input.install && installCommand !== null, testDependencyCommand };
}

/** What the `add` that generates the skipped files afterwards needs to repeat. */
export interface AddAgain {
  readonly pattern: string;
  /** The `[dir]` argument as given, or undefined for the default. */
  readonly dir: string | undefined;
  /** `--name`, when given. */
  readonly name: string | undefined;
  /** Option values given with `--set` (or answered). */
  readonly options: ReadonlyMap<string, string | number | boolean>;
  /** `--cwd`, when given. */
  readonly cwd: string | undefined;
}

/** The command that generates the test and bench files once vitest is installed (it rewrites the module identically). */
export function addAgainCommand(a: AddAgain): readonly string[] {
  return [
    'npx',
    'concurrency-kit',
    'add',
    a.pattern,
    ...(a.dir !== undefined ? [a.dir] : []),
    ...(a.name !== undefined ? ['--name', a.name] : []),
    ...[...a.options].flatMap(([key, value]) => ['--set', `${key}=${String(value)}`]),
    ...(a.cwd !== undefined ? ['--cwd', a.cwd] : []),
    '--overwrite',
    '--yes',
  ];
}

/** Warnings for what the project does not declare (none when `--install` takes care of it). */
export function dependencyWarnings(plan: DependencyPlan, again: AddAgain): string[] {
  if (plan.installCommand === null || plan.install) return [];
  const install = commandLine(plan.installCommand);
  const names = plan.missing.map((m) => m.replace(/(.)@.*$/, '$1'));
  if (plan.skipped.length > 0) {
    return [
      `the project does not declare ${names.join(' or ')} in package.json, so only the module was written: its ${plan.skipped.join(' and ')} file${plan.skipped.length > 1 ? 's' : ''} ${plan.skipReason === 'vitest-not-declared' ? 'import vitest and would break `tsc` without it' : `need ${names.join(' and ')} to run`}. Install with \`${install}\`, then add them with \`${commandLine(addAgainCommand(again))}\` (or run add with --install).`,
    ];
  }
  return [`the project does not declare ${names.join(' or ')} in package.json, which the new files import: install with \`${install}\` (or run add with --install).`];
}

/**
 * Runs the install command in the project root, its output on stderr (stdout stays for results and `--json`).
 * @throws {@link ProjectError} (`ERR_INSTALL`) when it fails or is aborted; nothing has been generated yet.
 */
export async function installDependencies(command: readonly string[], projectRoot: string, signal?: AbortSignal): Promise<void> {
  const { execa } = await import('execa');
  const [file = 'npm', ...args] = command;
  const result = await execa(file, args, {
    cwd: projectRoot,
    stdin: 'ignore',
    // The file descriptor of our stderr: the package manager's output never reaches our stdout.
    stdout: 2,
    stderr: 'inherit',
    reject: false,
    ...(signal ? { cancelSignal: signal } : {}),
  }).catch((error: unknown) => ({ failed: true, exitCode: undefined, message: (error as Error).message }));
  if (result.failed) {
    throw new ProjectError(
      `\`${commandLine(command)}\` failed${result.exitCode !== undefined ? ` (exit ${String(result.exitCode)})` : ''}; nothing was generated. Install the packages yourself and run add again.`,
      'ERR_INSTALL',
    );
  }
}
