/**
 * `concurrency-kit agents lint`: checks agent definitions, skills and rule files against what each coding-agent
 * harness accepts. Harnesses ignore what they do not understand without a word (an unknown frontmatter key, an
 * `alwaysApply: "true"` string, a link to a file that moved), so every such mistake is an error here.
 *
 * The kind of a file follows from its path, as the harnesses find them:
 * - `SKILL.md`: an Agent Skills skill (agentskills.io; Claude Code, Codex, Copilot, OpenCode);
 * - `*.mdc`: a Cursor rule;
 * - `*.instructions.md`: GitHub Copilot path-specific instructions;
 * - `*.agent.md`: a GitHub Copilot custom agent;
 * - another `.md` in a folder named `agents`: a Claude Code subagent (the kit's own `agents/` use that format);
 * - any other `.md` (AGENTS.md, references, workflows): markdown whose relative links must resolve.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../errors.js';

/** What a file is, for the rules that apply to it. */
export type DefinitionKind = 'skill' | 'claude-agent' | 'cursor-rule' | 'copilot-instructions' | 'copilot-agent' | 'markdown';

/** One problem in one file (1-based line and column). */
export interface LintFinding {
  /** Stable rule id, e.g. `frontmatter/unknown-key`. */
  readonly ruleId: string;
  readonly severity: 'error' | 'warning';
  /** Path relative to the directory the lint ran from, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** The result of linting a set of files. */
export interface LintResult {
  /** Every file linted, relative, in order. */
  readonly files: readonly { readonly file: string; readonly kind: DefinitionKind }[];
  readonly findings: readonly LintFinding[];
}

/** The rules, with what each one checks (for `--help`, SARIF rule metadata and the README). */
export const LINT_RULES: Readonly<Record<string, string>> = {
  'frontmatter/missing': 'The file starts with YAML frontmatter between "---" lines, which its harness requires.',
  'frontmatter/yaml': 'The frontmatter is valid YAML and a mapping.',
  'frontmatter/unknown-key': 'Every frontmatter key is one the harness knows: it ignores the others silently.',
  'frontmatter/type': 'Every frontmatter value has the type the harness expects.',
  'name/format': 'name is 1-64 lower-case letters and digits in dash-separated words (^[a-z0-9]+(-[a-z0-9]+)*$).',
  'name/folder': "A skill's name equals its folder's name.",
  'description/length': 'description is 1 to 1,024 characters.',
  'description/xml': 'description contains no XML tags.',
  'body/length': 'The body (after the frontmatter) is under 500 lines, so it loads whole.',
  'links/relative': 'Every relative link resolves to a file that exists.',
};

type ValueType = 'string' | 'boolean' | 'integer' | 'string-or-list' | 'list' | 'mapping' | 'any';

/** The keys each harness documents, with their types. `required` keys must be present. */
const SCHEMAS: Readonly<Record<Exclude<DefinitionKind, 'markdown'>, { readonly keys: Readonly<Record<string, ValueType>>; readonly required: readonly string[] }>> = {
  // agentskills.io's fields, plus those Claude Code and Copilot add to skills.
  skill: {
    keys: {
      name: 'string', description: 'string', license: 'string', compatibility: 'string', metadata: 'mapping', 'allowed-tools': 'string-or-list',
      'argument-hint': 'string', 'disable-model-invocation': 'boolean', 'user-invocable': 'boolean', model: 'string', context: 'string', agent: 'string', hooks: 'mapping',
    },
    required: ['name', 'description'],
  },
  // Claude Code subagents (.claude/agents/<name>.md).
  'claude-agent': {
    keys: {
      name: 'string', description: 'string', tools: 'string-or-list', disallowedTools: 'string-or-list', model: 'string', permissionMode: 'string', maxTurns: 'integer',
      skills: 'string-or-list', mcpServers: 'any', hooks: 'mapping', memory: 'string', background: 'boolean', isolation: 'string', color: 'string',
    },
    required: ['name', 'description'],
  },
  // Cursor project rules (.cursor/rules/*.mdc).
  'cursor-rule': { keys: { description: 'string', globs: 'string-or-list', alwaysApply: 'boolean' }, required: ['alwaysApply'] },
  // GitHub Copilot path-specific instructions (.github/instructions/*.instructions.md).
  'copilot-instructions': { keys: { applyTo: 'string', description: 'string', excludeAgent: 'string', name: 'string' }, required: ['applyTo'] },
  // GitHub Copilot custom agents (.github/agents/*.agent.md).
  'copilot-agent': {
    keys: {
      name: 'string', description: 'string', target: 'string', tools: 'string-or-list', model: 'string', 'disable-model-invocation': 'boolean', 'user-invocable': 'boolean',
      infer: 'boolean', 'mcp-servers': 'mapping', handoffs: 'list', 'argument-hint': 'string', metadata: 'mapping',
    },
    required: ['description'],
  },
};

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const XML_TAG = /<\/?[A-Za-z][\w:-]*(\s[^<>]*)?\/?>/;
const MAX_BODY_LINES = 500;

/** The kind of `path` (see the module comment). */
export function kindOf(path: string): DefinitionKind {
  const base = basename(path);
  if (base === 'SKILL.md') return 'skill';
  if (base.endsWith('.mdc')) return 'cursor-rule';
  if (base.endsWith('.instructions.md')) return 'copilot-instructions';
  if (base.endsWith('.agent.md')) return 'copilot-agent';
  if (base.endsWith('.md') && basename(dirname(path)) === 'agents' && base !== 'README.md') return 'claude-agent';
  return 'markdown';
}

/** Levenshtein distance, for "did you mean" on a misspelled key. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

function typeOk(value: unknown, type: ValueType): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    case 'integer': return Number.isInteger(value);
    case 'list': return Array.isArray(value);
    case 'mapping': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'string-or-list': return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    case 'any': return true;
  }
}

const TYPE_NAMES: Readonly<Record<ValueType, string>> = {
  string: 'a string', boolean: 'a boolean (true or false, unquoted)', integer: 'an integer', list: 'a list', mapping: 'a mapping',
  'string-or-list': 'a string or a list of strings', any: 'anything',
};

/** Markdown links and images outside code: `[text](target)`; yields the target and its 0-based offset. */
function* links(body: string): Generator<{ target: string; index: number }> {
  // Blank out fenced blocks and inline code so links shown as examples are not checked.
  const visible = body.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (m) => m.replace(/[^\n]/g, ' ')).replace(/`[^`\n]*`/g, (m) => ' '.repeat(m.length));
  for (const match of visible.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1];
    if (target !== undefined) yield { target, index: match.index + match[0].indexOf(target) };
  }
}

/**
 * Lints one file's text.
 * @param path - the file's path (its kind, its folder and the base of relative links follow from it)
 * @param shown - the path to print in findings
 */
export function lintText(path: string, text: string, shown: string = path): LintFinding[] {
  const kind = kindOf(path);
  const findings: LintFinding[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const report = (ruleId: string, line: number, column: number, message: string): void => {
    findings.push({ ruleId, severity: 'error', file: shown, line, column, message });
  };
  const keyLine = (key: string, end: number): number => {
    const index = lines.slice(1, end).findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`"${key}":`) || l.startsWith(`'${key}':`));
    return index < 0 ? 1 : index + 2;
  };

  let bodyStart = 0;
  if (kind !== 'markdown') {
    const end = lines[0]?.trim() === '---' ? lines.findIndex((l, i) => i > 0 && l.trim() === '---') : -1;
    if (end < 0) {
      report('frontmatter/missing', 1, 1, `a ${kind} starts with YAML frontmatter between "---" lines`);
    } else {
      bodyStart = end + 1;
      const doc = parseDocument(lines.slice(1, end).join('\n'));
      const data: unknown = doc.errors.length === 0 ? doc.toJS() : undefined;
      if (doc.errors.length > 0 || typeof data !== 'object' || data === null || Array.isArray(data)) {
        const first = doc.errors[0];
        report('frontmatter/yaml', (first?.linePos?.[0].line ?? 1) + 1, 1, first ? `invalid YAML: ${first.message.split('\n')[0] ?? ''}` : 'the frontmatter must be a YAML mapping');
      } else {
        checkFrontmatter(kind, path, new Map(Object.entries(data)), (key) => keyLine(key, end), report);
      }
    }
    const bodyLines = lines.length - bodyStart - (lines.at(-1) === '' ? 1 : 0);
    if (bodyLines >= MAX_BODY_LINES) report('body/length', bodyStart + MAX_BODY_LINES, 1, `the body has ${bodyLines} lines; keep it under ${MAX_BODY_LINES} and move detail into referenced files`);
  }

  const body = lines.slice(bodyStart).join('\n');
  for (const { target, index } of links(body)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('/')) continue;
    const file = decodeURIComponent(target.split('#')[0] ?? '');
    if (file === '' || existsSync(resolve(dirname(path), file))) continue;
    const before = body.slice(0, index).split('\n');
    report('links/relative', bodyStart + before.length, (before.at(-1)?.length ?? 0) + 1, `the link ${target} does not resolve: no ${file} next to this file`);
  }
  return findings;
}

function checkFrontmatter(
  kind: Exclude<DefinitionKind, 'markdown'>,
  path: string,
  data: ReadonlyMap<string, unknown>,
  line: (key: string) => number,
  report: (ruleId: string, line: number, column: number, message: string) => void,
): void {
  const schema = SCHEMAS[kind];
  const known = Object.keys(schema.keys);
  for (const [key, value] of data) {
    const type = schema.keys[key];
    if (type === undefined) {
      const near = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
      const hint = near !== undefined && near.d <= Math.max(2, Math.floor(key.length / 3)) ? ` Did you mean "${near.k}"?` : ` Known keys: ${known.join(', ')}.`;
      report('frontmatter/unknown-key', line(key), 1, `"${key}" is not a ${kind} frontmatter key; the harness ignores it.${hint}`);
    } else if (!typeOk(value, type)) {
      const extra = type === 'boolean' && typeof value === 'string' ? ` (the string "${value}" is not the boolean ${value})` : '';
      report('frontmatter/type', line(key), 1, `"${key}" must be ${TYPE_NAMES[type]}, not ${JSON.stringify(value)}${extra}`);
    }
  }
  for (const key of schema.required) if (!data.has(key)) report('frontmatter/missing', 1, 1, `a ${kind} needs "${key}" in its frontmatter`);

  const name = data.get('name');
  if (typeof name === 'string' && (kind === 'skill' || kind === 'claude-agent')) {
    if (!NAME.test(name) || name.length > 64) report('name/format', line('name'), 1, `name "${name}" must be 1-64 characters of lower-case letters and digits in dash-separated words`);
    const folder = basename(dirname(path));
    if (kind === 'skill' && name !== folder) report('name/folder', line('name'), 1, `name "${name}" must equal the skill's folder name "${folder}"`);
  }
  const description = data.get('description');
  if (typeof description === 'string') {
    if (description.trim().length === 0 || description.length > 1024) {
      report('description/length', line('description'), 1, `description must be 1 to 1,024 characters (it has ${String(description.trim().length === 0 ? 0 : description.length)})`);
    }
    if (XML_TAG.test(description)) report('description/xml', line('description'), 1, 'description must not contain XML tags');
  }
}

const LINTABLE = /\.(md|mdc)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist']);

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name), out);
    } else if (LINTABLE.test(entry.name)) {
      out.push(join(dir, entry.name));
    }
  }
}

/** Where harnesses look in a project, and where the kit keeps its sources: what `agents lint` checks by default. */
export const DEFAULT_LOCATIONS = [
  'AGENTS.md', 'CLAUDE.md', 'agents', 'skills', '.claude/agents', '.claude/skills', '.agents/skills', '.cursor/rules', '.github/instructions', '.github/agents',
] as const;

/**
 * Lints files and folders (folders: every `.md` / `.mdc` inside, `node_modules` aside). With no paths, the
 * {@link DEFAULT_LOCATIONS} that exist under `cwd`.
 * @throws {@link UsageError} when a given path does not exist, or nothing lintable is found
 */
export function lintPaths(paths: readonly string[], cwd: string): LintResult {
  const roots = paths.length > 0 ? paths : DEFAULT_LOCATIONS.filter((p) => existsSync(join(cwd, p)));
  const files: string[] = [];
  for (const p of roots) {
    const absolute = resolve(cwd, p);
    if (!existsSync(absolute)) throw new UsageError(`agents lint: ${p} does not exist (relative to ${cwd}).`, 'ERR_NOT_FOUND');
    if (statSync(absolute).isDirectory()) walk(absolute, files);
    else files.push(absolute);
  }
  if (files.length === 0) {
    throw new UsageError(`agents lint: no .md or .mdc file found in ${paths.length > 0 ? paths.join(', ') : `any of ${DEFAULT_LOCATIONS.join(', ')}`} under ${cwd}.`, 'ERR_NOTHING_TO_LINT');
  }
  const unique = [...new Set(files)];
  const shown = (f: string): string => relative(cwd, f).split(sep).join('/') || basename(f);
  return {
    files: unique.map((f) => ({ file: shown(f), kind: kindOf(f) })),
    findings: unique.flatMap((f) => lintText(f, readFileSync(f, 'utf8'), shown(f))),
  };
}
