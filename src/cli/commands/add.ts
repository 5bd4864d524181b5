/** `concurrency-kit add <pattern> [dir] ...`: thin command over {@link generate}. */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readConfig, resolveTargetDir } from '../../config/config.js';
import { CancelledError, MissingInputError, ExitCode, ProjectError, type ExitCodeValue } from '../../errors.js';
import { generate } from '../../generate/generate.js';
import { assertNameFree, validateIdentifier } from '../../generate/identifier.js';
import { fileNameFor } from '../../generate/plan.js';
import { normalizeSeparators, posixRelative } from '../../paths.js';
import { listPatterns, loadPattern, rolesFor, type FileRole, type Pattern } from '../../patterns/registry.js';
import { parseSetEntries, resolveOptions } from '../../patterns/options.js';
import { findProjectRoot } from '../../project/root.js';
import { canPrompt, promptConflict, promptOptions, promptPattern, promptTargetDir } from '../prompts.js';
import type { Output } from '../output.js';
import { shellQuote } from '../../shell.js';
import type { AppliedAction } from '../../generate/apply.js';

/** Parsed flags of `add`. */
export interface AddFlags {
  readonly name?: string;
  readonly set: readonly string[];
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly overwrite: boolean;
  /** Install missing dev dependencies (vitest, @types/node) with the project's package manager. */
  readonly install?: boolean;
  readonly test: boolean;
  readonly bench: boolean;
  readonly json: boolean;
  readonly cwd?: string;
}

/** How the record's action reads: `concurrency-kit.json` is updated, never "overwritten". */
const RECORD_ACTION: Record<AppliedAction, string> = {
  created: 'created',
  overwritten: 'updated',
  'would-create': 'would-create',
  'would-overwrite': 'would-update',
};

/** The files of `roles` that exist in `dir` (absolute), shown relative to `cwd`. */
function existingFiles(pattern: Pattern, dir: string, roles: readonly FileRole[], cwd: string): string[] {
  return roles
    .map((role) => join(dir, fileNameFor(pattern.manifest.id, role)))
    .filter((path) => existsSync(path))
    .map((path) => posixRelative(cwd, path));
}

/**
 * On a TTY: asks for the folder (unless `[dir]` gave it), then, while files exist there and `--overwrite` is off,
 * whether to overwrite them, choose another folder or cancel.
 * @returns the folder (relative to `cwd`, as typed) and whether to overwrite
 * @throws {@link CancelledError} when the user cancels
 */
async function chooseFolder(pattern: Pattern, dirArg: string | undefined, flags: AddFlags, cwd: string, roles: readonly FileRole[]): Promise<{ dir: string; overwrite: boolean }> {
  const root = findProjectRoot(cwd);
  let dir = dirArg ?? (await promptTargetDir(posixRelative(cwd, resolveTargetDir(root, readConfig(root)?.config ?? null)) || '.'));
  for (;;) {
    const existing = existingFiles(pattern, resolve(cwd, normalizeSeparators(dir)), roles, cwd);
    if (existing.length === 0 || flags.overwrite) return { dir, overwrite: flags.overwrite };
    const choice = await promptConflict(existing);
    if (choice === 'overwrite') return { dir, overwrite: true };
    if (choice === 'cancel') throw new CancelledError();
    dir = await promptTargetDir(dir);
  }
}

/** Runs `add`. */
export async function addCommand(patternArg: string | undefined, dirArg: string | undefined, flags: AddFlags, out: Output, signal?: AbortSignal): Promise<ExitCodeValue> {
  const interactive = canPrompt({ yes: flags.yes, json: flags.json });
  let patternId = patternArg;
  if (patternId === undefined) {
    const ids = listPatterns().map((m) => m.id);
    if (!interactive) {
      throw new MissingInputError(`Missing <pattern> (and no prompt without a TTY or with --yes). Available patterns: ${ids.join(', ')}. Example: concurrency-kit add ${ids[0] ?? 'worker-pool'} --yes`);
    }
    patternId = await promptPattern(listPatterns());
  }
  const pattern = loadPattern(patternId);
  const manifest = pattern.manifest;
  const given = parseSetEntries(manifest, flags.set);
  const roles = rolesFor(manifest, { test: flags.test, bench: flags.bench });
  // Refused before any question: a bad --set or --name is reported at once, not after every option was asked.
  const resolvedGiven = resolveOptions(manifest, given);
  const checkName = (candidate: string): void => assertNameFree(pattern, candidate, resolvedGiven, roles);
  if (flags.name !== undefined) {
    validateIdentifier(flags.name);
    checkName(flags.name);
  }
  let name = flags.name;
  let options = new Map<string, string | number | boolean>(given);
  let dir = dirArg;
  let overwrite = flags.overwrite;
  if (interactive) {
    const cwd = resolve(normalizeSeparators(flags.cwd ?? process.cwd()));
    if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new ProjectError(`Working directory ${cwd} does not exist.`, 'ERR_NO_CWD');
    ({ dir, overwrite } = await chooseFolder(pattern, dirArg, flags, cwd, roles));
    ({ name, options } = await promptOptions(manifest, given, name, checkName));
  }

  const result = await generate({
    pattern: manifest.id,
    ...(dir !== undefined ? { dir } : {}),
    ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}),
    ...(name !== undefined ? { name } : {}),
    options,
    test: flags.test,
    bench: flags.bench,
    overwrite,
    install: flags.install === true,
    installTestDependencies: flags.yes === true,
    dryRun: flags.dryRun,
    onProgress: (m) => out.progress(m),
    ...(signal ? { signal } : {}),
  });
  for (const w of result.warnings) out.warn(w);

  const record = result.record ? { path: result.record.displayPath, action: RECORD_ACTION[result.record.action] } : null;
  if (out.json) {
    out.printJson({
      pattern: result.pattern,
      files: result.files.map((f) => ({ path: f.displayPath, action: f.action })),
      record,
      ...(result.skipped.length > 0 ? { skipped: result.skipped.map((f) => ({ path: f.displayPath, role: f.role, reason: f.reason })) } : {}),
      ...(result.install !== null ? { install: result.install } : {}),
      ...(result.lint.length > 0 ? { lint: result.lint } : {}),
    });
    return ExitCode.ok;
  }
  const verb = flags.dryRun ? 'Would write' : 'Wrote';
  const kind = result.project.moduleFormat === 'esm' ? 'an ES module' : 'a CommonJS';
  out.print(`${verb} ${result.pattern} (${result.name}) for ${kind} project, ${result.project.moduleResolution} resolution:`);
  const actionWidth = Math.max(...result.files.map((f) => f.action.length), record?.action.length ?? 0);
  for (const f of result.files) out.print(`  ${f.action.padEnd(actionWidth)}  ${f.displayPath}  (${f.lines} lines, ${f.bytes} bytes)`, 4 + actionWidth);
  for (const f of result.skipped) out.print(`  ${'skipped'.padEnd(actionWidth)}  ${f.displayPath}  (the project does not declare vitest)`, 4 + actionWidth);
  if (record) out.print(`  ${record.action.padEnd(actionWidth)}  ${record.path}  (records the files and their hashes)`, 4 + actionWidth);
  if (flags.dryRun) {
    for (const f of result.files) {
      const text = result.contents.get(f.path) ?? '';
      const exports = [...text.matchAll(/^export (?:declare )?(?:abstract )?(class|interface|type|function|const) ([\p{ID_Start}$_][\p{ID_Continue}$]*)/gmu)].map((m) => `${m[1]} ${m[2]}`);
      if (exports.length > 0) out.print(`  ${f.displayPath} exports: ${exports.join(', ')}`, 4);
    }
    out.print('Dry run: nothing was written.');
  } else {
    const moduleFile = result.files[0]?.displayPath ?? '';
    const cwdFlag = flags.cwd !== undefined ? ` --cwd ${shellQuote(flags.cwd)}` : '';
    out.command('Next:', `npx concurrency-kit verify ${shellQuote(moduleFile)}${cwdFlag}`);
  }
  return ExitCode.ok;
}
