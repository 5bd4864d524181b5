/**
 * What `check` reads: the governing tsconfig (found from the working directory up to the project root as `add`
 * finds it, or `--project`; at the root of a workspace that has none, each package's), its own file set without
 * declaration files, `node_modules` and the kit's generated modules, narrowed by `[paths...]` and `--changed-since`.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { execa } from 'execa';
import { ts } from 'ts-morph';
import { readConfig } from '../config/config.js';
import { recordedPath } from '../config/record.js';
import { ProjectError, UsageError } from '../errors.js';
import { posixRelative } from '../paths.js';
import { detectCompiler, typesMajor } from '../project/compiler.js';
import { ancestors, visibleTypePackages } from '../project/package-json.js';
import { workspacePackages } from '../project/workspace.js';
import { ANY_BANNER } from '../verify/find.js';

/** One program to build: a tsconfig and what it selects. */
export interface ProgramInput {
  /** Absolute path of the tsconfig. */
  readonly configPath: string;
  readonly options: ts.CompilerOptions;
  readonly rootNames: readonly string[];
  readonly projectReferences: readonly ts.ProjectReference[] | undefined;
}

/** Finds the tsconfig `check` uses: `--project` (a file or a folder), else the nearest at or above `cwd` up to the root. */
function findCheckTsconfig(cwd: string, root: string, project: string | undefined): string {
  if (project !== undefined) {
    let path = resolve(cwd, project);
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'tsconfig.json');
    if (!existsSync(path)) throw new UsageError(`--project ${project}: ${path} does not exist.`, 'ERR_NO_TSCONFIG');
    return path;
  }
  for (const dir of ancestors(cwd)) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dir === root || posixRelative(root, dir).startsWith('..')) break;
  }
  throw new ProjectError(`No tsconfig.json at or above ${cwd} (up to the project root ${root}); pass --project <tsconfig>.`, 'ERR_NO_TSCONFIG');
}

/**
 * The tsconfigs `check` starts from: `--project`, or the one governing `cwd` ({@link findCheckTsconfig}); at the root
 * of a workspace with no tsconfig of its own (a pnpm or npm monorepo whose packages each have one), every package's
 * `tsconfig.json`, as a solution-style config would list them.
 * @throws {@link UsageError} for a missing `--project`; {@link ProjectError} when there is no tsconfig to start from.
 */
function checkTsconfigs(cwd: string, root: string, project: string | undefined): string[] {
  try {
    return [findCheckTsconfig(cwd, root, project)];
  } catch (error) {
    if (!(error instanceof ProjectError) || project !== undefined) throw error;
    const packages = workspacePackages(root)
      .map((dir) => join(dir, 'tsconfig.json'))
      .filter((path) => existsSync(path));
    if (packages.length === 0) throw error;
    return packages;
  }
}

function parseConfig(path: string): ts.ParsedCommandLine {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new ProjectError(`Cannot read ${path}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`, 'ERR_TSCONFIG');
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(path, undefined, host);
  if (parsed === undefined) throw new ProjectError(`Cannot read ${path}.`, 'ERR_TSCONFIG');
  // "No inputs were found" (18003) only means the config selects nothing; anything else in the config is an error.
  const fatal = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
  if (fatal.length > 0) {
    throw new ProjectError(`${path}: ${fatal.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`, 'ERR_TSCONFIG');
  }
  return parsed;
}

/**
 * The options as the project's own compiler reads them. `check` parses with the TypeScript 6 inside ts-morph, whose
 * defaults changed: an unset `types` means `[]` and an unset `strict` means on. TypeScript 5 (and `add` for a project
 * with no TypeScript of its own) loads every visible `@types` package and checks loosely then, so `check` does too;
 * without the packages it would lose the globals the project's build sees (`setInterval`, `process`, Node's
 * `EventEmitter`) and the findings that need their types.
 */
function asTheProjectReads(options: ts.CompilerOptions, configPath: string): ts.CompilerOptions {
  if (typesMajor(detectCompiler(dirname(configPath))) >= 6) return options;
  return { ...options, types: options.types ?? visibleTypePackages(dirname(configPath)), strict: options.strict ?? false };
}

/**
 * The programs to build for a tsconfig: itself when it has files of its own, and the projects it references that lie
 * in the project `root` (a solution-style config's, or a package's own test project). A reference out of the root
 * (`../client` from one package of a monorepo) is a dependency: it is read through its declarations, as `tsc -p`
 * reads it, and its files are not checked. A solution-style config, which has no files of its own, follows every
 * reference.
 */
export function programInputs(configPath: string, root: string): ProgramInput[] {
  const out: ProgramInput[] = [];
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const parsed = parseConfig(path);
    if (parsed.fileNames.length > 0) out.push({ configPath: path, options: asTheProjectReads(parsed.options, path), rootNames: parsed.fileNames, projectReferences: parsed.projectReferences });
    for (const ref of parsed.projectReferences ?? []) {
      const target = existsSync(ref.path) && statSync(ref.path).isDirectory() ? join(ref.path, 'tsconfig.json') : ref.path;
      if (existsSync(target) && (parsed.fileNames.length === 0 || isUnder(resolve(target), [root]))) visit(target);
    }
  };
  visit(configPath);
  return out;
}

/**
 * Every program `check` builds, each tsconfig once: those of {@link checkTsconfigs} and the projects they reference
 * ({@link programInputs}).
 * @throws as {@link checkTsconfigs}.
 */
export function checkInputs(cwd: string, root: string, project: string | undefined): ProgramInput[] {
  const out = new Map<string, ProgramInput>();
  for (const config of checkTsconfigs(cwd, root, project)) for (const input of programInputs(config, root)) if (!out.has(input.configPath)) out.set(input.configPath, input);
  return [...out.values()];
}

/** The files the kit generated: recorded in concurrency-kit.json (absolute paths). */
export function recordedFiles(root: string): Set<string> {
  const config = readConfig(root)?.config ?? null;
  return new Set((config?.modules ?? []).flatMap((m) => m.files.map((f) => recordedPath(root, f))));
}

/** True when a file's text opens with the kit's banner. */
export function hasKitBanner(text: string): boolean {
  return ANY_BANNER.test(text.slice(0, 512));
}

/** True for files `check` never reads: declaration files and anything under node_modules. */
export function isExcludedPath(file: string): boolean {
  return /\.d\.[cm]?ts$/.test(file) || /\.d\.[^.]+\.ts$/.test(file) || file.split(/[\\/]/).includes('node_modules');
}

/**
 * Turns `[paths...]` into absolute paths.
 * @throws {@link UsageError} when a path does not exist.
 */
export function resolvePaths(paths: readonly string[], cwd: string): string[] {
  return paths.map((p) => {
    const full = resolve(cwd, p);
    if (!existsSync(full)) throw new UsageError(`Path ${p} does not exist (resolved to ${full}).`, 'ERR_NO_PATH');
    return full;
  });
}

/** True when `file` is one of `paths` or lies under one of them. */
export function isUnder(file: string, paths: readonly string[]): boolean {
  return paths.some((p) => file === p || file.startsWith(p.endsWith(sep) ? p : p + sep));
}

/**
 * The absolute paths of the files changed since `ref`, run in `root`: what a pull request's branch changed (the
 * commits since `ref`'s merge base with `HEAD`), with the edits not yet committed and new untracked files, so a run
 * before committing sees the work in progress. In CI, on a clean checkout, that is the branch's diff alone.
 * @throws {@link UsageError} when git fails (not a repository, unknown ref, no common history).
 */
export async function changedFiles(ref: string, root: string): Promise<Set<string>> {
  if (ref.startsWith('-')) throw new UsageError(`--changed-since ${ref}: not a git ref.`, 'ERR_GIT_REF');
  const git = async (args: readonly string[]): Promise<string> => {
    const result = await execa('git', args, { cwd: root, reject: false });
    if (result.exitCode !== 0) {
      const said = String(result.stderr).trim().split('\n')[0] ?? '';
      throw new UsageError(`--changed-since ${ref}: git ${args[0] ?? ''} failed${said ? `: ${said}` : ''}.`, 'ERR_GIT_REF');
    }
    return String(result.stdout);
  };
  const base = (await git(['merge-base', ref, 'HEAD'])).trim();
  // Both list paths relative to `root`: `diff --relative` and `ls-files`, which also keeps to `root`'s folder.
  const changed = await git(['diff', '--name-only', '--relative', '-z', base]);
  const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z']);
  return new Set(`${changed}\0${untracked}`.split('\0').filter((s) => s !== '').map((s) => resolve(root, s)));
}

