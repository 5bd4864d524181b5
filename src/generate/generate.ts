/**
 * The whole `add` pipeline for one pattern: manifest -> options -> plan -> render -> format -> type-check -> write.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FileExistsError, InterruptedError, ProjectError } from '../errors.js';
import { loadPattern, type FileRole } from '../patterns/registry.js';
import { resolveOptions } from '../patterns/options.js';
import { nearestPackageJson, resolveProjectPackage } from '../project/package-json.js';
import type { CompilerInfo } from '../project/compiler.js';
import { checkCandidates, resolveTypeScriptTarget, type TsconfigInfo } from '../project/typescript.js';
import { KIT_VERSION } from '../version.js';
import { applyFiles, type AppliedFile, type RenderedFile } from './apply.js';
import { Formatter } from './format.js';
import { validateIdentifier } from './identifier.js';
import { fileNameFor, planAdd, planFiles, type Plan } from './plan.js';
import { renderTemplate } from './render.js';

/** Inputs of {@link generate}. */
export interface GenerateOptions {
  /** Pattern id, e.g. `worker-pool`. */
  readonly pattern: string;
  /** Output directory, relative to `cwd`. @defaultValue `src/concurrency` */
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
  /** Non-fatal problems, e.g. a file prettier could not format. */
  readonly warnings: readonly string[];
  readonly project: {
    /** Absolute path of the governing tsconfig, or null when the project has none. */
    readonly tsconfig: string | null;
    readonly moduleResolution: string;
    readonly moduleFormat: 'esm' | 'cjs';
    readonly asyncDispose: boolean;
    /** The compiler that checked the files: the project's own, or the kit's when the project has none. */
    readonly compiler: CompilerInfo;
    /** The governing tsconfig as `info` shows it. */
    readonly tsconfigInfo: TsconfigInfo;
  };
  /** Rendered contents by absolute path (not part of the JSON output). */
  readonly contents: ReadonlyMap<string, string>;
}

/** Default output directory, relative to the working directory. */
export const DEFAULT_DIR = 'src/concurrency';

/**
 * Generates one pattern into a project.
 * @throws {@link UnknownPatternError}, {@link InvalidOptionError}, {@link InvalidNameError}, {@link FileExistsError},
 * {@link ProjectError}, {@link UnmetSettingError} (a project setting the code cannot meet, named with its fix) or
 * {@link TypeCheckError}; in every case nothing on disk has changed.
 */
export async function generate(input: GenerateOptions): Promise<GenerateResult> {
  const progress = input.onProgress ?? (() => undefined);
  const cwd = resolve(input.cwd ?? process.cwd());
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new ProjectError(`Working directory ${cwd} does not exist.`, 'ERR_NO_CWD');
  const pattern = loadPattern(input.pattern);
  const manifest = pattern.manifest;
  const name = validateIdentifier(input.name ?? manifest.defaultName);
  const options = resolveOptions(manifest, input.options ?? new Map());
  const outDir = resolve(cwd, input.dir ?? DEFAULT_DIR);
  if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw new ProjectError(`${outDir} exists and is not a directory.`, 'ERR_NOT_A_DIRECTORY');
  const pkg = nearestPackageJson(outDir);
  const projectRoot = pkg ? resolve(pkg.path, '..') : cwd;

  const roles: FileRole[] = ['module'];
  if (input.test !== false) roles.push('test');
  if (input.bench !== false) roles.push('bench');

  // The project's compiler and governing tsconfig, read without loading a compiler: they decide the file extension.
  progress('reading the project (compiler, tsconfig, module format)');
  const ts = resolveTypeScriptTarget(outDir, manifest.id, projectRoot);
  const extension = ts.facts.extension;

  // Refuse early, before the (slow) compiler loads, when files exist and --overwrite is off.
  const existing = new Set(roles.map((role) => resolve(outDir, fileNameFor(manifest.id, role, { extension }))).filter((path) => existsSync(path)));
  const overwrite = input.overwrite ?? false;
  const { conflicts } = planFiles({ id: manifest.id, cwd, outDir, roles, existing, overwrite, extension });
  if (conflicts.length > 0) throw new FileExistsError(conflicts.map((f) => f.path), conflicts.map((f) => f.displayPath));

  const earlyWarnings: string[] = [];
  if (input.test !== false && resolveProjectPackage(projectRoot, '@types/node') === null) {
    earlyWarnings.push('the project has no @types/node: the generated test imports node:events, so `tsc` will report it until you run `npm i -D @types/node`.');
  }
  if (input.test !== false && resolveProjectPackage(projectRoot, 'vitest') === null) {
    earlyWarnings.push('the project has no vitest: `concurrency-kit verify` runs the kit\'s own, but for `npx vitest` and type-checking the tests run `npm i -D vitest`.');
  }

  const moduleFormat = ts.facts.moduleFormat;
  const formatter = new Formatter(projectRoot);
  const planFor = (asyncDispose: boolean): Plan =>
    planAdd({
      manifest,
      options,
      name,
      cwd,
      outDir,
      importStyle: ts.facts.importStyle,
      extension,
      moduleFormat,
      asyncDispose,
      kitVersion: KIT_VERSION,
      roles,
      existing,
      overwrite,
    });
  const renderRaw = (plan: Plan): RenderedFile[] =>
    plan.files.map((file) => ({ ...file, contents: renderTemplate(pattern.templates[file.role], plan.context, `${manifest.id}/${file.role}.ts.hbs`) }));
  const formatAll = async (files: readonly RenderedFile[]): Promise<{ files: RenderedFile[]; warnings: string[] }> => {
    const results = await Promise.all(files.map((file) => formatter.format(file.path, file.contents)));
    return {
      files: files.map((file, i) => ({ ...file, contents: results[i]?.text ?? file.contents })),
      warnings: results.flatMap((r) => (r.warning ? [r.warning] : [])),
    };
  };

  // Two candidates: the dispose hook declared (for a lib with Symbol.asyncDispose: esnext.disposable, or
  // @types/node) and installed at run time (for any lib). Their files are checked as rendered by the project's own
  // compiler (see typeCheck); the first it accepts is formatted and written (formatting changes no type). The
  // preferred candidate is formatted meanwhile, so a `tsc` child process and prettier overlap.
  progress('rendering');
  const candidates = [renderRaw(planFor(true))];
  const installed = renderRaw(planFor(false));
  if (installed.some((f, i) => f.contents !== candidates[0]?.[i]?.contents)) candidates.push(installed);
  const preferredFormatted = formatAll(candidates[0] ?? installed);
  const judge = `${ts.compiler.source === 'project' ? "the project's" : "the kit's (the project has none)"} TypeScript ${ts.compiler.version}`;
  progress(`type-checking with ${judge} under ${ts.info.path ?? 'strict defaults (no tsconfig)'}`);
  // (Formatting never rejects, so a refusal may leave it unawaited.)
  const choice = await checkCandidates(ts, candidates, projectRoot, manifest.id, input.signal);
  // An in-process check runs to its end even when Ctrl-C arrives meanwhile: honour it before anything else.
  if (input.signal?.aborted) throw new InterruptedError();
  const asyncDispose = choice.index === 0;
  progress('formatting');
  const picked = asyncDispose ? await preferredFormatted : await formatAll(candidates[choice.index] ?? installed);
  const rendered = picked.files;
  const warnings = [...earlyWarnings, ...ts.warnings, ...picked.warnings, ...choice.warnings];

  // The stages above are synchronous: give a Ctrl-C that arrived meanwhile its chance to be seen before writing.
  await new Promise((resolve) => setImmediate(resolve));
  if (input.signal?.aborted) throw new InterruptedError();
  const applied = await applyFiles(rendered, { dryRun: input.dryRun ?? false, ...(input.signal ? { signal: input.signal } : {}) });
  return {
    pattern: manifest.id,
    name,
    options,
    files: applied.map((a, i) => ({
      ...a,
      bytes: Buffer.byteLength(rendered[i]!.contents),
      lines: rendered[i]!.contents.split('\n').length - 1,
    })),
    warnings,
    project: {
      tsconfig: ts.tsconfig?.path ?? null,
      moduleResolution: ts.facts.moduleResolution,
      moduleFormat,
      asyncDispose,
      compiler: { source: ts.compiler.source, version: ts.compiler.version, via: ts.compiler.via },
      tsconfigInfo: ts.info,
    },
    contents: new Map(rendered.map((f) => [f.path, f.contents])),
  };
}
