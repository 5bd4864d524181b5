/**
 * After the write: the project's own linters (see {@link detectLinters}) run in their fix mode on the new files
 * only, and whatever they still find is reported. A linter never fails the generation: its findings, a crash or a
 * missing binary become part of the result, which `add` prints as warnings.
 */
import { posixRelative } from '../paths.js';
import type { LinterName, LinterProfile } from '../project/linter.js';
import { commandLine } from '../shell.js';

/** One problem a linter still reports after fixing. */
export interface LintFinding {
  /** The file, relative to the project root (POSIX). */
  readonly file: string;
  /** 1-based line and column, 0 when the linter gives none. */
  readonly line: number;
  readonly column: number;
  /** The rule, e.g. `@typescript-eslint/no-unnecessary-condition`, or null. */
  readonly rule: string | null;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** What one linter did on the new files. */
export interface LintOutcome {
  readonly linter: LinterName;
  /** The command that ran (as a user would type it from the project root), or null when it could not run. */
  readonly command: string | null;
  /** Findings left after the fixes. */
  readonly findings: readonly LintFinding[];
  /** Set when the linter could not run or its output could not be read; findings are then unknown. */
  readonly error: string | null;
}

/** Options of {@link runLinters}. */
export interface LintOptions {
  /** The project root: the linters run there, and paths are shown relative to it. */
  readonly projectRoot: string;
  /** Whether biome is also the project's formatter (then `biome check --write` formats again after fixing). */
  readonly biomeFormats?: boolean;
  /** Aborting stops the running linter. */
  readonly signal?: AbortSignal;
}

/** How long one linter may run (ms): type-aware ESLint on a cold cache can take a while. */
const LINT_TIMEOUT_MS = 180_000;

/** The argv (after the bin) that fixes what it can in `files` and reports the rest in a parseable format. */
export function lintArgs(name: LinterName, files: readonly string[], biomeFormats: boolean): string[] {
  switch (name) {
    case 'eslint':
      return ['--fix', '--format', 'json', '--no-warn-ignored', ...files];
    case 'biome':
      return [biomeFormats ? 'check' : 'lint', '--write', '--reporter=github', '--no-errors-on-unmatched', ...files];
    case 'oxlint':
      return ['--fix', '--format=github', ...files];
  }
}

/** Parses ESLint's `--format json` output. */
export function parseEslintJson(stdout: string, projectRoot: string): LintFinding[] | null {
  let results: unknown;
  try {
    results = JSON.parse(stdout);
  } catch {
    return null;
  }
  if (!Array.isArray(results)) return null;
  const findings: LintFinding[] = [];
  for (const result of results as { filePath?: unknown; messages?: unknown }[]) {
    if (typeof result.filePath !== 'string' || !Array.isArray(result.messages)) continue;
    for (const m of result.messages as { ruleId?: unknown; severity?: unknown; message?: unknown; line?: unknown; column?: unknown }[]) {
      findings.push({
        file: posixRelative(projectRoot, result.filePath),
        line: typeof m.line === 'number' ? m.line : 0,
        column: typeof m.column === 'number' ? m.column : 0,
        rule: typeof m.ruleId === 'string' ? m.ruleId : null,
        severity: m.severity === 2 ? 'error' : 'warning',
        message: typeof m.message === 'string' ? m.message : String(m.message),
      });
    }
  }
  return findings;
}

/** Undoes the escapes of GitHub annotations (`%25`, `%0A`, `%0D`, `%3A`, `%2C`). */
function unescapeAnnotation(text: string): string {
  return text.replace(/%(25|0A|0D|3A|2C)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Parses GitHub Actions annotations (`::error file=...,line=...,title=...::message`), as biome and oxlint print them. */
export function parseGithubAnnotations(stdout: string, projectRoot: string): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)\s*([^:]*)::(.*)$/.exec(line.trim());
    if (!match) continue;
    const props = new Map<string, string>();
    for (const pair of (match[2] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) props.set(pair.slice(0, eq).trim(), unescapeAnnotation(pair.slice(eq + 1)));
    }
    const file = props.get('file') ?? '';
    const title = props.get('title') ?? null;
    // oxlint repeats "path:line:col: " before its message; drop it.
    const message = (match[3] ?? '').replace(/^\S+:\d+:\d+:\s*/, '');
    findings.push({
      file: file.startsWith('/') ? posixRelative(projectRoot, file) : file,
      line: Number(props.get('line') ?? 0),
      column: Number(props.get('col') ?? 0),
      rule: title !== null ? title.replace(/^eslint\((.*)\)$/, '$1') : null,
      severity: match[1] === 'error' ? 'error' : 'warning',
      message: unescapeAnnotation(message),
    });
  }
  return findings;
}

/** Orders findings by file, then line and column. */
function byPosition(a: LintFinding, b: LintFinding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}

/** Runs one linter on `files` (paths relative to the project root) in fix mode; never throws. Findings come sorted by position. */
export async function runLinter(linter: LinterProfile, files: readonly string[], options: LintOptions): Promise<LintOutcome> {
  const name = linter.name;
  if (linter.bin === null) {
    return { linter: name, command: null, findings: [], error: `${name} is configured${linter.configFile !== null ? ` (${posixRelative(options.projectRoot, linter.configFile)})` : ''} but not installed, so it did not run on the new files` };
  }
  const args = lintArgs(name, files, options.biomeFormats ?? false);
  const command = commandLine(['npx', name === 'biome' ? 'biome' : name, ...args]);
  try {
    const { execa } = await import('execa');
    const result = await execa(process.execPath, [linter.bin, ...args], {
      cwd: options.projectRoot,
      reject: false,
      timeout: LINT_TIMEOUT_MS,
      env: { NO_COLOR: '1', FORCE_COLOR: '0' },
      ...(options.signal ? { cancelSignal: options.signal } : {}),
    });
    const stdout = String(result.stdout);
    if (result.timedOut) return { linter: name, command, findings: [], error: `${name} did not finish within ${LINT_TIMEOUT_MS / 1000} s` };
    const findings = name === 'eslint' ? parseEslintJson(stdout, options.projectRoot) : parseGithubAnnotations(stdout, options.projectRoot);
    // ESLint exits 1 with findings, 2 when it crashed; biome and oxlint exit 1 with errors left.
    const crashed = findings === null || (name === 'eslint' ? result.exitCode === 2 : result.exitCode !== 0 && findings.length === 0);
    if (crashed) {
      const reason = (String(result.stderr).trim() || stdout.trim()).split('\n').slice(0, 6).join('\n');
      return { linter: name, command, findings: findings ?? [], error: `${name} failed (exit ${String(result.exitCode ?? result.signal)}): ${reason}` };
    }
    return { linter: name, command, findings: [...findings].sort(byPosition), error: null };
  } catch (error) {
    return { linter: name, command, findings: [], error: `${name} could not run: ${(error as Error).message.split('\n')[0] ?? ''}` };
  }
}

/** Runs every linter, one after the other (each may rewrite the files), on the new files; never throws. */
export async function runLinters(linters: readonly LinterProfile[], files: readonly string[], options: LintOptions): Promise<LintOutcome[]> {
  const outcomes: LintOutcome[] = [];
  for (const linter of linters) {
    if (options.signal?.aborted) break;
    outcomes.push(await runLinter(linter, files, options));
  }
  return outcomes;
}

/** Human lines for the outcomes: one per problem, prefixed by the linter, plus a line per linter that could not run. */
export function describeLintOutcomes(outcomes: readonly LintOutcome[]): string[] {
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.error !== null) lines.push(`${o.linter}: ${o.error}`);
    if (o.findings.length > 0) {
      lines.push(`${o.linter} still reports ${o.findings.length} problem(s) in the new files (${o.command ?? o.linter}):`);
      for (const f of o.findings) lines.push(`  ${f.file}:${f.line}:${f.column} ${f.severity} ${f.message}${f.rule !== null ? ` (${f.rule})` : ''}`);
    }
  }
  return lines;
}
