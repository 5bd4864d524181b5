/** `concurrency-kit agents install | list | uninstall | lint`: the kit's agents and skill in each coding-agent harness. */
import { resolve } from 'node:path';
import { ExitCode, UsageError, type ExitCodeValue } from '../../errors.js';
import type { HarnessTarget } from '../../config/config.js';
import { TARGETS, type InstallAction, type Scope } from '../../agents/install.js';
import { installAgents, listInstalled, uninstallAgents } from '../../agents/operations.js';
import { canPrompt } from '../prompts.js';
import { KIT_VERSION } from '../../version.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LINT_RULES, lintPaths, type LintFinding } from '../../agents/lint.js';
import { sha256 } from '../../config/record.js';
import { formatReport, jsonReport, REPORT_FORMATS, type Finding, type ReportFormat, type ReportInput, type RuleInfo } from '../../report/index.js';

/** Where the agent-file rules are documented (the README section). */
const HOME = 'https://www.npmjs.com/package/concurrency-kit';

/** `--format`, else `github` under GitHub Actions, else `pretty` (as `check` chooses). */
function chooseFormat(format: string | undefined, env: Readonly<Record<string, string | undefined>>): ReportFormat {
  if (format === undefined) return env['GITHUB_ACTIONS'] === 'true' ? 'github' : 'pretty';
  const known = REPORT_FORMATS.find((f) => f === format);
  if (known === undefined) throw new UsageError(`--format ${format}: expected one of ${REPORT_FORMATS.join(', ')}.`);
  return known;
}
import type { Output } from '../output.js';

/** Flags of `agents lint`. */
export interface AgentsLintFlags {
  /** `pretty`, `json`, `sarif`, `github` or `junit`, as `check` takes; `--json` is `--format json`. */
  readonly format?: string;
  readonly json: boolean;
  readonly outputFile?: string;
  readonly cwd?: string;
}

/** The lint findings as the shared CI writers take them (the same formats as `check`). */
function lintReport(files: readonly string[], findings: readonly LintFinding[]): ReportInput {
  const rules: RuleInfo[] = Object.entries(LINT_RULES).map(([id, text]) => ({
    id,
    title: text,
    rationale: 'Coding-agent harnesses ignore what they do not understand without a word, so the definition silently does not apply.',
    fix: text,
    helpUri: `${HOME}#use-with-ai-coding-agents`,
    defaultSeverity: 'error',
  }));
  return {
    tool: { name: 'concurrency-kit agents lint', version: KIT_VERSION, informationUri: HOME, rules },
    findings: findings.map(
      (f): Finding => ({
        ruleId: f.ruleId,
        severity: f.severity,
        file: f.file,
        line: f.line,
        column: f.column,
        endLine: f.line,
        endColumn: f.column + 1,
        message: f.message,
        fix: LINT_RULES[f.ruleId] ?? '',
        fingerprint: sha256(`${f.ruleId}\0${f.file}\0${f.message}`),
      }),
    ),
    files: [...files].sort(),
    suppressed: 0,
  };
}

/** Runs `agents lint`: exit 0 when every file passes, 1 when any finding remains, 2 on bad input. */
export function agentsLintCommand(paths: readonly string[], flags: AgentsLintFlags, out: Output, env: Readonly<Record<string, string | undefined>> = process.env): ExitCodeValue {
  const format = chooseFormat(flags.json ? 'json' : flags.format, env);
  const cwd = resolve(flags.cwd ?? process.cwd());
  const outputFile = flags.outputFile === undefined ? null : resolve(cwd, flags.outputFile);
  if (outputFile !== null && !existsSync(dirname(outputFile))) throw new UsageError(`--output-file ${flags.outputFile ?? ''}: folder ${dirname(outputFile)} does not exist.`, 'ERR_OUTPUT_FILE');
  const { files, findings } = lintPaths(paths, cwd);
  const input = lintReport(files.map((f) => f.file), findings);
  const ok = findings.length === 0;
  const exit = ok ? ExitCode.ok : ExitCode.verificationFailed;
  if (format === 'json' && outputFile === null) {
    out.printJson(jsonReport(input, 'error'));
    return exit;
  }
  const source = (file: string): string | undefined => (existsSync(join(cwd, file)) ? readFileSync(join(cwd, file), 'utf8') : undefined);
  const text = formatReport(format, input, { failOn: 'error', source, paint: (style, t) => (outputFile === null ? out.style(style, t) : t) });
  if (outputFile !== null) writeFileSync(outputFile, text);
  else if (format !== 'pretty' || !ok) process.stdout.write(text);
  if (format === 'pretty' || outputFile !== null) {
    const kinds = [...new Set(files.map((f) => f.kind))].join(', ');
    out.progress(`${String(files.length)} file${files.length === 1 ? '' : 's'} checked (${kinds}): ${ok ? 'no problems' : `${String(findings.length)} problem${findings.length === 1 ? '' : 's'}`}`);
  }
  return exit;
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
