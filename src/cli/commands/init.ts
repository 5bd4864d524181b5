/**
 * `concurrency-kit init`: writes `concurrency-kit.json` at the project root (target folder, test naming, formatter,
 * and a `$schema` for editors), asking on a TTY for what no flag gave. An existing file is replaced only with
 * `--force`, and then keeps its record of generated modules.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CONFIG_FILE,
  DEFAULT_TARGET_DIR,
  parseConfig,
  schemaReference,
  serializeConfig,
  toTargetDir,
  type FormatterName,
  type KitConfig,
  type TestNaming,
} from '../../config/config.js';
import { sha256 } from '../../config/record.js';
import { ConfigError, ExitCode, ProjectError, UsageError, type ExitCodeValue } from '../../errors.js';
import { applyFiles } from '../../generate/apply.js';
import { normalizeSeparators, posixRelative } from '../../paths.js';
import { detectTestNaming, scanProjectFiles } from '../../project/conventions.js';
import { detectFormatter } from '../../project/formatter.js';
import { readPackageJson } from '../../project/project-files.js';
import { findProjectRoot, folderInRepository } from '../../project/root.js';
import { canPrompt, promptInit, type InitAnswers } from '../prompts.js';
import type { Output } from '../output.js';
import { shellQuote } from '../../shell.js';
import { githubWorkflow, workflowAction, workflowPath } from '../../ci/github.js';
import { detectPackageManager } from '../../project/package-manager.js';

/** Parsed flags of `init`. */
export interface InitFlags {
  /** Relative to the current directory. */
  readonly targetDir?: string;
  readonly testNaming?: TestNaming;
  readonly formatter?: FormatterName;
  readonly force: boolean;
  readonly yes: boolean;
  readonly json: boolean;
  readonly cwd?: string;
  /** Write a CI workflow instead of the config: `github`. */
  readonly ci?: string;
}

/** The existing config, when there is one: its parsed contents (null when it is not valid) and its text. */
function readExisting(path: string): { config: KitConfig | null; text: string; problem: string | null } | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  try {
    return { config: parseConfig(text, path), text, problem: null };
  } catch (error) {
    if (error instanceof ConfigError) return { config: null, text, problem: error.message };
    throw error;
  }
}

/** Runs `init`. */
export async function initCommand(flags: InitFlags, out: Output, signal?: AbortSignal): Promise<ExitCodeValue> {
  const cwd = resolve(normalizeSeparators(flags.cwd ?? process.cwd()));
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new ProjectError(`Working directory ${cwd} does not exist.`, 'ERR_NO_CWD');
  const root = findProjectRoot(cwd);
  if (flags.ci !== undefined) return initCi(flags.ci, root, cwd, flags, out, signal);
  const path = join(root, CONFIG_FILE);
  const shown = posixRelative(cwd, path) || CONFIG_FILE;
  const existing = readExisting(path);
  if (existing && !flags.force) {
    throw new UsageError(`${shown} exists already. Pass --force to replace its settings (its record of generated modules is kept); nothing was written.`, 'ERR_FILE_EXISTS');
  }
  const previous = existing?.config ?? null;
  const given: Partial<InitAnswers> = {
    ...(flags.targetDir !== undefined ? { targetDir: toTargetDir(flags.targetDir, cwd, root) } : {}),
    ...(flags.testNaming !== undefined ? { testNaming: flags.testNaming } : {}),
    ...(flags.formatter !== undefined ? { formatter: flags.formatter } : {}),
  };
  const suggested: InitAnswers = {
    targetDir: previous?.targetDir ?? DEFAULT_TARGET_DIR,
    testNaming: previous?.testNaming ?? detectTestNaming(root, scanProjectFiles(root)).naming,
    formatter: previous?.formatter ?? detectFormatter(root).name,
  };
  const answers = canPrompt({ yes: flags.yes, json: flags.json })
    ? await promptInit(suggested, given, (dir) => toTargetDir(dir, root, root))
    : { ...suggested, ...given };
  const config: KitConfig = {
    $schema: previous?.$schema ?? schemaReference(root),
    // Every answer is relative to the root by now (a --target-dir was converted above, the prompt asks so).
    targetDir: toTargetDir(answers.targetDir, root, root),
    testNaming: answers.testNaming,
    formatter: answers.formatter,
    ...(previous?.modules !== undefined ? { modules: previous.modules } : {}),
  };
  if (existing?.problem) out.warn(`the existing ${shown} was not valid, so it is replaced whole: ${existing.problem}`);
  const [applied] = await applyFiles(
    [
      {
        path,
        displayPath: shown,
        action: existing ? 'overwrite' : 'create',
        contents: serializeConfig(config),
        ...(existing ? { expectedSha256: sha256(existing.text) } : {}),
      },
    ],
    { dryRun: false, ...(signal ? { signal } : {}) },
  );
  const action = applied?.action === 'overwritten' ? 'updated' : 'created';
  if (out.json) {
    out.printJson({ path: shown, action, config });
    return ExitCode.ok;
  }
  out.print(`${action === 'created' ? 'Created' : 'Updated'} ${shown}:`);
  out.print(
    out
      .table(null, [
        ['targetDir', `${config.targetDir ?? DEFAULT_TARGET_DIR}  (add writes here when no [dir] is given)`],
        ['testNaming', `${config.testNaming ?? 'test'}  (<name>.${config.testNaming ?? 'test'}.ts)`],
        ['formatter', config.formatter ?? 'prettier'],
        ...(config.modules !== undefined ? [['modules', `${config.modules.length} recorded module(s), kept`]] : []),
      ], 2)
      .replace(/^/gm, '  '),
    0,
  );
  const cwdFlag = flags.cwd !== undefined ? ` --cwd ${shellQuote(flags.cwd)}` : '';
  out.command('Next:', `npx concurrency-kit add <pattern>${cwdFlag}`);
  return ExitCode.ok;
}

/**
 * `init --ci github`: writes the workflow (see src/ci/github.ts). A second run finds it identical and writes nothing;
 * a workflow that differs is kept, and named, unless `--force`.
 */
async function initCi(provider: string, root: string, cwd: string, flags: InitFlags, out: Output, signal: AbortSignal | undefined): Promise<ExitCodeValue> {
  if (provider !== 'github') throw new UsageError(`--ci ${JSON.stringify(provider)}: the kit writes a workflow for github; for another CI, run \`npx concurrency-kit check --format junit\` and \`npx concurrency-kit verify\` (see the README, "Use in CI").`);
  // GitHub reads workflows at the repository's root: one package of a monorepo gets its own workflow there.
  const folder = await folderInRepository(root, {});
  const repository = folder === '' ? root : resolve(root, ...folder.split('/').map(() => '..'));
  const manager = detectPackageManager(root);
  const placement =
    manager.file === null
      ? { project: folder, install: folder }
      : { project: folder, install: posixRelative(repository, dirname(manager.file)), lockfile: posixRelative(repository, manager.file) };
  const installAt = join(repository, placement.install);
  const pnpmField = readPackageJson(installAt)?.json['packageManager'];
  const contents = githubWorkflow(manager.name, {
    ...placement,
    ...(manager.name === 'pnpm' ? { pnpmFromPackageJson: typeof pnpmField === 'string' && pnpmField.startsWith('pnpm@') } : {}),
  });
  const path = join(repository, workflowPath(placement));
  const shown = posixRelative(cwd, path) || workflowPath(placement);
  let action: 'created' | 'unchanged' | 'kept' | 'replaced' = 'unchanged';
  const planned = workflowAction(path, contents);
  if (planned === 'create' || (planned === 'kept' && flags.force)) {
    const existing = planned === 'kept' ? readFileSync(path, 'utf8') : null;
    await applyFiles(
      [{ path, displayPath: shown, action: existing === null ? 'create' : 'overwrite', contents, ...(existing === null ? {} : { expectedSha256: sha256(existing) }) }],
      { dryRun: false, ...(signal ? { signal } : {}) },
    );
    action = existing === null ? 'created' : 'replaced';
  } else if (planned === 'kept') {
    action = 'kept';
  }
  if (out.json) {
    out.printJson({ path: shown, action });
    return ExitCode.ok;
  }
  if (action === 'kept') out.warn(`${shown} exists and differs from what the kit writes (edited?); kept it. Pass --force to replace it.`);
  else out.print(`${action === 'created' ? 'Created' : action === 'replaced' ? 'Replaced' : 'Unchanged:'} ${shown}: on pull requests it runs check (SARIF to code scanning) and verify.`);
  return ExitCode.ok;
}
