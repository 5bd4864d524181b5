/** `concurrency-kit agents install | list | uninstall | lint`: the kit's agents and skill in each coding-agent harness. */
import { resolve } from 'node:path';
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors.js';
import type { HarnessTarget } from '../../config/config.js';
import { TARGETS, type InstallAction, type Scope } from '../../agents/install.js';
import { installAgents, listInstalled, uninstallAgents } from '../../agents/operations.js';
import { canPrompt } from '../prompts.js';
import { KIT_VERSION } from '../../version.js';
import { LINT_RULES, lintPaths } from '../../agents/lint.js';
import type { Output } from '../output.js';

/** Flags of `agents lint`. */
export interface AgentsLintFlags {
  readonly json: boolean;
  readonly cwd?: string;
}

/** Runs `agents lint`: exit 0 when every file passes, 1 when any finding remains, 2 on bad input. */
export function agentsLintCommand(paths: readonly string[], flags: AgentsLintFlags, out: Output): ExitCodeValue {
  const cwd = resolve(flags.cwd ?? process.cwd());
  const { files, findings } = lintPaths(paths, cwd);
  const ok = findings.length === 0;
  if (out.json) {
    out.printJson({ schemaVersion: 1, tool: 'concurrency-kit agents lint', version: KIT_VERSION, ok, summary: { files: files.length, findings: findings.length }, files, findings });
    return ok ? ExitCode.ok : ExitCode.verificationFailed;
  }
  let current = '';
  for (const f of findings) {
    if (f.file !== current) {
      current = f.file;
      out.print(out.style('bold', f.file));
    }
    out.print(`  ${String(f.line)}:${String(f.column)}  ${out.style('red', f.severity)}  ${f.message}  ${out.style('dim', f.ruleId)}`, 4);
  }
  const summary = `${String(files.length)} file${files.length === 1 ? '' : 's'} checked (${[...new Set(files.map((f) => f.kind))].join(', ')}): ${ok ? 'no problems' : `${String(findings.length)} problem${findings.length === 1 ? '' : 's'}`}`;
  out.print(ok ? summary : `\n${summary}. Rules: ${[...new Set(findings.map((f) => f.ruleId))].map((id) => `${id} (${LINT_RULES[id] ?? ''})`).join('; ')}`);
  return ok ? ExitCode.ok : ExitCode.verificationFailed;
}

/** Flags of `agents install` and `agents uninstall`. */
export interface AgentsInstallFlags {
  readonly target?: string;
  readonly scope: string;
  readonly dryRun: boolean;
  readonly overwrite: boolean;
  readonly claudeMd: boolean;
  readonly mcp: boolean;
  readonly yes: boolean;
  readonly json: boolean;
  readonly cwd?: string;
}

/** Parses `--target claude,codex` (or `all`). @throws {@link UsageError} naming the known targets */
export function parseTargets(value: string | undefined): HarnessTarget[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (names.includes('all')) return [...TARGETS];
  const unknown = names.filter((n) => !(TARGETS as readonly string[]).includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--target ${JSON.stringify(value)}: unknown target ${unknown.join(', ') || '(none given)'}; use a comma-separated list of ${TARGETS.join(', ')}, or all.`);
  }
  return TARGETS.filter((t) => names.includes(t));
}

function parseScope(value: string): Scope {
  if (value !== 'project' && value !== 'user') throw new UsageError(`--scope ${JSON.stringify(value)}: use project or user.`);
  return value;
}

const ACTION_WORDS: Readonly<Record<InstallAction, string>> = {
  create: 'created',
  update: 'updated',
  unchanged: 'unchanged',
  kept: 'kept (edited since the kit wrote it, or not the kit\'s; --overwrite replaces it)',
  overwrite: 'overwritten',
};

/** Runs `agents install`. */
export async function agentsInstallCommand(flags: AgentsInstallFlags, out: Output, signal: AbortSignal): Promise<ExitCodeValue> {
  const cwd = resolve(flags.cwd ?? process.cwd());
  const scope = parseScope(flags.scope);
  let targets = parseTargets(flags.target);
  let claudeMd = flags.claudeMd;
  if (targets === undefined) {
    if (canPrompt(flags)) {
      const { checkbox } = await import('@inquirer/prompts');
      targets = await checkbox<HarnessTarget>(
        { message: 'Install the concurrency-kit agents and skill for', choices: TARGETS.map((t) => ({ name: t, value: t, checked: true })), required: true },
        { output: process.stderr, clearPromptOnDone: false },
      );
    } else {
      targets = [...TARGETS];
    }
  }
  if (!claudeMd && targets.includes('codex') && scope === 'project' && canPrompt(flags)) {
    const { confirm } = await import('@inquirer/prompts');
    claudeMd = await confirm({ message: 'Also make CLAUDE.md import AGENTS.md (adds the line @AGENTS.md)?', default: false }, { output: process.stderr, clearPromptOnDone: false });
  }
  const result = await installAgents({ targets, scope, cwd, overwrite: flags.overwrite, dryRun: flags.dryRun, claudeMd, mcp: flags.mcp, signal });
  const kept = result.files.filter((f) => f.action === 'kept').map((f) => f.path);
  if (out.json) {
    out.printJson({ ...result, kept });
    return ExitCode.ok;
  }
  const verb = flags.dryRun ? 'would be ' : '';
  for (const f of result.files) out.print(`${f.path}  ${verb}${ACTION_WORDS[f.action]}  ${out.style('dim', f.targets.join(', '))}`, 4);
  out.print(`${result.record.path}  ${verb}${result.record.action}`);
  if (kept.length > 0) out.warn(`kept ${String(kept.length)} file${kept.length === 1 ? '' : 's'} as they are: ${kept.join(', ')}. Run with --overwrite to replace them.`);
  return ExitCode.ok;
}

/** Runs `agents list`. */
export function agentsListCommand(flags: { scope: string; json: boolean; cwd?: string }, out: Output): ExitCodeValue {
  const listed = listInstalled(parseScope(flags.scope), resolve(flags.cwd ?? process.cwd()));
  if (out.json) {
    out.printJson(listed);
    return ExitCode.ok;
  }
  if (listed.files.length === 0) {
    out.print(`nothing installed at ${listed.scope} scope (${listed.root}); run \`npx concurrency-kit agents install\`.`);
    return ExitCode.ok;
  }
  out.print(`installed for ${listed.targets.join(', ')} at ${listed.scope} scope (${listed.root}):`);
  out.print(out.table(['file', 'status', 'targets'], listed.files.map((f) => [f.path, f.status, f.targets.join(', ')]), 2));
  return ExitCode.ok;
}

/** Runs `agents uninstall`. */
export async function agentsUninstallCommand(flags: AgentsInstallFlags, out: Output): Promise<ExitCodeValue> {
  const cwd = resolve(flags.cwd ?? process.cwd());
  const result = await uninstallAgents({ targets: parseTargets(flags.target) ?? [...TARGETS], scope: parseScope(flags.scope), cwd, overwrite: flags.overwrite, dryRun: flags.dryRun });
  if (out.json) {
    out.printJson(result);
    return ExitCode.ok;
  }
  if (result.files.length === 0) out.print('nothing the kit installed for those targets is recorded.');
  for (const f of result.files) out.print(`${f.path}  ${flags.dryRun && f.action === 'removed' ? 'would be removed' : f.action}${f.reason === undefined ? '' : ` (${f.reason})`}`, 4);
  return ExitCode.ok;
}
