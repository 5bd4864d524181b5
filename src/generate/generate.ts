/**
 * The whole `add` pipeline for one pattern: manifest -> options -> plan -> render -> format -> type-check -> write.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_TARGET_DIR, readConfig, resolveTargetDir } from '../config/config.js';
import { recordFileFor } from '../config/record.js';
import { FileExistsError, InterruptedError, ProjectError } from '../errors.js';
import { normalizeSeparators } from '../paths.js';
import { inapplicableOptionWarnings } from '../patterns/manifest.js';
import { isTestSide, loadPattern, rolesFor, templateOf } from '../patterns/registry.js';
import { resolveOptions } from '../patterns/options.js';
import { findTestsInBuildOutput, type BuildOutputFinding } from '../project/build-output.js';
import type { ImportStyle, TestNaming } from '../project/conventions.js';
import { nearestPackageJson } from '../project/package-json.js';
import type { PackageManager } from '../project/package-manager.js';
import { findProjectRoot } from '../project/root.js';
import type { CompilerInfo } from '../project/compiler.js';
import { checkCandidates, resolveTypeScriptTarget, type TsconfigInfo } from '../project/typescript.js';
import { KIT_VERSION } from '../version.js';
import { applyFiles, type AppliedFile, type RenderedFile } from './apply.js';
import { Formatter } from './format.js';
import type { LintOutcome } from './lint.js';
import { assertNameFree, validateIdentifier } from './identifier.js';
import { fileNameFor, planAdd, planFiles, type Plan } from './plan.js';
import { renderTemplate } from './render.js';
import { importStyleFor, lintNewFiles, prepareTooling, type SkippedFile } from './tooling.js';
import { installDependencies } from './dependencies.js';
import { commandLine } from '../shell.js';

/** Inputs of {@link generate}. */
export interface GenerateOptions {
  /** Pattern id, e.g. `worker-pool`. */
  readonly pattern: string;
  /**
   * Output directory, relative to `cwd` (backslashes count as `/`).
   * @defaultValue `targetDir` of the project's `concurrency-kit.json`, else `src/concurrency`, relative to the
   * project root (the nearest folder with a package.json at or above `cwd`)
   */
  readonly dir?: string;
  /** Working directory (the target project). @defaultValue `process.cwd()` */
  readonly cwd?: string;
  /** Primary export identifier. @defaultValue the manifest's `defaultName` */
  readonly name?: string;
  /** Option values by name: strings from `--set` or typed prompt answers. */
  readonly options?: ReadonlyMap<string, string | number | boolean>;
  /** Generate the test file. @defaultValue true */
  readonly test?: boolean;
  /** Generate the bench file. @defaultValue true */
  readonly bench?: boolean;
  /**
   * Install what the generated files need and the project does not declare (vitest, @types/node) with its package
   * manager, before the type-check. Without it, a project that does not declare vitest gets the module only.
   * @defaultValue false
   */
  readonly install?: boolean;
  /**
   * Install the pattern's `testDependencies` (thread-pool: tsx) when the project declares vitest but not them, so the
   * test side is written and runs (`add --yes`). Without it they are treated like a missing vitest.
   * @defaultValue false
   */
  readonly installTestDependencies?: boolean;
  /** Test file naming (`<id>.test.ts` or `<id>.spec.ts`). @defaultValue detected from the project's files */
  readonly testNaming?: TestNaming;
  /** Replace existing files. @defaultValue false */
  readonly overwrite?: boolean;
  /** Plan, render and check, but write nothing. @defaultValue false */
  readonly dryRun?: boolean;
  /** Called with progress messages (for stderr). */
  readonly onProgress?: (message: string) => void;
  /** When aborted before the write stage, nothing is written and {@link InterruptedError} is thrown. */
  readonly signal?: AbortSignal;
}

/** The result of {@link generate}. */
export interface GenerateResult {
  readonly pattern: string;
  readonly name: string;
  readonly options: Readonly<Record<string, string | number | boolean>>;
  readonly files: readonly (AppliedFile & { readonly bytes: number; readonly lines: number })[];
  /**
   * What happened to the `concurrency-kit.json` that records the files (`created`, `overwritten`, or under dry-run
   * `would-...`); null when the files lie outside the project and were not recorded.
   */
  readonly record: AppliedFile | null;
  /** The project root (absolute): the nearest folder with a package.json at or above `cwd`, else `cwd`. */
  readonly root: string;
  /** Non-fatal problems, e.g. a file the formatter could not format, a dependency the project does not declare. */
  readonly warnings: readonly string[];
  /** Files asked for but not written because the project does not declare vitest (and `--install` was not given). */
  readonly skipped: readonly SkippedFile[];
  /** The install command for missing dependencies, and whether it ran; null when nothing is missing. */
  readonly install: { readonly command: string; readonly ran: boolean } | null;
  /** What the project's linters still report on the new files after their fixes (empty without a linter, or on a dry run). */
  readonly lint: readonly LintOutcome[];
  /** Set when the project's build would compile the new test or bench files into its output. */
  readonly buildOutput: BuildOutputFinding | null;
  /** The project's tooling the files were adapted to. */
  readonly tooling: {
    readonly formatter: { readonly name: string; readonly source: 'project' | 'kit' };
    readonly linters: readonly string[];
    readonly packageManager: PackageManager;
    readonly testNaming: TestNaming;
    readonly importStyle: ImportStyle;
  };
  readonly project: {
    /** Absolute path of the governing tsconfig, or null when the project has none. */
    readonly tsconfig: string | null;
    readonly moduleResolution: string;
    readonly moduleFormat: 'esm' | 'cjs';
    readonly asyncDispose: boolean;
    /** The compiler that judged the files. */
    readonly compiler: CompilerInfo;
    /** The governing tsconfig as `info` shows it. */
    readonly tsconfigInfo: TsconfigInfo;
  };
  /** Rendered contents by absolute path (not part of the JSON output). */
  readonly contents: ReadonlyMap<string, string>;
}

/** Default output directory, relative to the project root (when `concurrency-kit.json` sets no `targetDir`). */
export const DEFAULT_DIR = DEFAULT_TARGET_DIR;

/**
 * Generates one pattern into a project.
 * @throws {@link UnknownPatternError}, {@link InvalidOptionError}, {@link InvalidNameError}, {@link FileExistsError},
 * {@link ProjectError} or {@link TypeCheckError}; in every case nothing on disk has changed.
 */
export async function generate(input: GenerateOptions): Promise<GenerateResult> {
  const progress = input.onProgress ?? (() => undefined);
  const cwd = resolve(normalizeSeparators(input.cwd ?? process.cwd()));
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new ProjectError(`Working directory ${cwd} does not exist.`, 'ERR_NO_CWD');
  const root = findProjectRoot(cwd);
  const loaded = readConfig(root);
  const pattern = loadPattern(input.pattern);
  const manifest = pattern.manifest;
  const name = validateIdentifier(input.name ?? manifest.defaultName);
  const options = resolveOptions(manifest, input.options ?? new Map());
  const outDir = input.dir !== undefined ? resolve(cwd, normalizeSeparators(input.dir)) : resolveTargetDir(root, loaded?.config ?? null);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new ProjectError(`${outDir} exists and is not a directory.`, 'ERR_NOT_A_DIRECTORY');
  const pkg = nearestPackageJson(outDir);
  const projectRoot = pkg ? resolve(pkg.path, '..') : cwd;

  const requested = rolesFor(manifest, { test: input.test !== false, bench: input.bench !== false });
  const dryRun = input.dryRun ?? false;
  // Test naming and declared dependencies decide the roles and names; --install runs here, before the type-check.
  const tooling = await prepareTooling({
    projectRoot,
    cwd,
    outDir,
    templates: pattern.templates,
    requested,
    testSide: new Set(requested.filter((role) => isTestSide(manifest, role))),
    testDependencies: manifest.testDependencies,
    installTestDependencies: input.installTestDependencies ?? false,
    install: input.install ?? false,
    dryRun,
    testNaming: input.testNaming ?? loaded?.config.testNaming,
    formatter: loaded?.config.formatter,
    again: { pattern: manifest.id, dir: input.dir, name: input.name, options: input.options ?? new Map(), cwd: input.cwd },
    onProgress: progress,
    signal: input.signal,
  });
  const { roles, testNaming } = tooling;
  assertNameFree(pattern, name, options, roles);

  // The project's compiler and governing tsconfig, read without loading a compiler: they decide the file extension.
  progress('reading the project (compiler, tsconfig, module format)');
  const ts = resolveTypeScriptTarget(outDir, manifest.id, projectRoot);
  const extension = ts.facts.extension;

  // Refuse early, before the (slow) compiler loads, when files exist and --overwrite is off.
  const naming = { testNaming, extension };
  const existing = new Set(roles.map((role) => resolve(outDir, fileNameFor(manifest.id, role, naming))).filter((path) => existsSync(path)));
  const overwrite = input.overwrite ?? false;
  const { conflicts } = planFiles({ id: manifest.id, cwd, outDir, roles, existing, overwrite, ...naming });
  if (conflicts.length > 0) throw new FileExistsError(conflicts.map((f) => f.path), conflicts.map((f) => f.displayPath));

  const earlyWarnings: string[] = [...inapplicableOptionWarnings(manifest, input.options?.keys() ?? [], options), ...tooling.warnings];

  const moduleFormat = ts.facts.moduleFormat;
  // The project's habit, within what its compiler settings allow.
  const importStyle = importStyleFor(projectRoot, ts.facts, moduleFormat, tooling.projectFiles);
  const formatter = new Formatter(projectRoot, tooling.formatter);
  const planFor = (asyncDispose: boolean): Plan =>
    planAdd({
      manifest,
      options,
      name,
      cwd,
      outDir,
      importStyle,
      testNaming,
      extension,
      moduleFormat,
      asyncDispose,
      kitVersion: KIT_VERSION,
      roles,
      existing,
      overwrite,
    });
  const renderRaw = (plan: Plan): RenderedFile[] =>
    plan.files.map((file) => ({ ...file, contents: renderTemplate(templateOf(pattern, file.role), plan.context, `${manifest.id}/${file.role}.ts.hbs`) }));
  const formatAll = async (files: readonly RenderedFile[]): Promise<{ files: RenderedFile[]; warnings: string[] }> => {
    const formatted = await formatter.formatAll(files.map((f) => ({ path: f.path, text: f.contents })), input.signal);
    if (input.signal?.aborted) throw new InterruptedError();
    return { files: files.map((file, i) => ({ ...file, contents: formatted.texts[i] ?? file.contents })), warnings: [...formatted.warnings] };
  };

  // Two candidates: the dispose hook declared (for a lib with Symbol.asyncDispose: esnext.disposable, or
  // @types/node) and installed at run time (for any lib). Their files are checked as rendered by the project's own
  // compiler, all files of a candidate in one program; the first it accepts is formatted and written (formatting
  // changes no type).
  progress('rendering');
  const candidates = [renderRaw(planFor(true))];
  const installed = renderRaw(planFor(false));
  if (installed.some((f, i) => f.contents !== candidates[0]?.[i]?.contents)) candidates.push(installed);
  const judge = `${ts.compiler.source === 'project' ? "the project's" : "the kit's (the project has none)"} TypeScript ${ts.compiler.version}`;
  progress(`type-checking with ${judge} under ${ts.info.path ?? 'strict defaults (no tsconfig)'}`);
  const choice = await checkCandidates(ts, candidates, projectRoot, manifest.id, input.signal);
  // An in-process check runs to its end even when Ctrl-C arrives meanwhile: honour it before anything else.
  if (input.signal?.aborted) throw new InterruptedError();
  const asyncDispose = choice.index === 0;
  progress(`formatting with ${formatter.profile.name} (${formatter.profile.source === 'project' ? "the project's" : "the kit's"})`);
  const picked = await formatAll(candidates[choice.index] ?? installed);
  const rendered = picked.files;
  const warnings = [...earlyWarnings, ...ts.warnings, ...picked.warnings, ...choice.warnings];

  const buildOutput = await findTestsInBuildOutput({ projectRoot, targetDir: outDir, governingTsconfig: ts.tsconfig?.path ?? null, files: rendered });
  if (buildOutput !== null) warnings.push(buildOutput.message);

  // The stages above are synchronous: give a Ctrl-C that arrived meanwhile its chance to be seen before writing.
  await new Promise((resolve) => setImmediate(resolve));
  if (input.signal?.aborted) throw new InterruptedError();
  // The record goes to the concurrency-kit.json of the project that holds the files (usually the one at `root`).
  const recordRoot = pkg ? projectRoot : root;
  // The record is a file of the project like any other: its formatter has the last word on it too.
  const recordFor = async (files: readonly RenderedFile[]): Promise<ReturnType<typeof recordFileFor>> => {
    const record = recordFileFor({ root: recordRoot, loaded: readConfig(recordRoot), cwd, pattern: manifest.id, name, kitVersion: KIT_VERSION, options, files });
    if (record === null) return null;
    const formatted = await formatter.formatAll([{ path: record.path, text: record.contents }], input.signal);
    return { ...record, contents: formatted.texts[0] ?? record.contents };
  };
  const recordFile = await recordFor(rendered);
  if (recordFile === null) warnings.push(`the files lie outside the project at ${recordRoot}, so concurrency-kit.json does not record them.`);
  const signalOption = input.signal ? { signal: input.signal } : {};
  const applied = await applyFiles(recordFile ? [...rendered, recordFile] : rendered, { dryRun, ...signalOption });
  const linted = await lintNewFiles(projectRoot, rendered, { dryRun, formatter, onProgress: progress, signal: input.signal });
  warnings.push(...linted.warnings);
  // A linter fix changed some files after the write: record their hashes as they now stand.
  const final = rendered.map((f) => ({ ...f, contents: linted.contents.get(f.path) ?? f.contents }));
  if (recordFile !== null && final.some((f, i) => f.contents !== rendered[i]?.contents)) {
    const updated = await recordFor(final);
    if (updated !== null) await applyFiles([updated], { dryRun, ...signalOption });
  }
  // add --yes: what the test side needs to run (thread-pool: tsx), installed only now that the files are written.
  let install = tooling.install;
  if (tooling.testDependencyCommand !== null) {
    const command = commandLine(tooling.testDependencyCommand);
    progress(`installing what the ${manifest.id} tests need to run: ${command}`);
    try {
      await installDependencies(tooling.testDependencyCommand, projectRoot, input.signal);
      install = { command, ran: true };
      warnings.push(`ran \`${command}\` (because of --yes): the ${manifest.id} test and bench need it to run.`);
    } catch (error) {
      install = { command, ran: false };
      warnings.push(`the files are written, but \`${command}\` failed (${(error as Error).message}); run it yourself before the ${manifest.id} tests.`);
    }
  }
  return {
    pattern: manifest.id,
    name,
    options,
    files: applied.slice(0, rendered.length).map((a, i) => {
      const text = final[i]?.contents ?? '';
      return { ...a, bytes: Buffer.byteLength(text), lines: text.split('\n').length - 1 };
    }),
    record: recordFile ? (applied[rendered.length] ?? null) : null,
    root,
    warnings,
    skipped: tooling.skipped,
    install,
    lint: linted.outcomes,
    buildOutput,
    tooling: {
      formatter: { name: formatter.profile.name, source: formatter.profile.source },
      linters: linted.linters,
      packageManager: tooling.packageManager,
      testNaming,
      importStyle,
    },
    project: {
      tsconfig: ts.tsconfig?.path ?? null,
      moduleResolution: ts.facts.moduleResolution,
      moduleFormat,
      asyncDispose,
      compiler: { source: ts.compiler.source, version: ts.compiler.version, via: ts.compiler.via },
      tsconfigInfo: ts.info,
    },
    contents: linted.contents,
  };
}
