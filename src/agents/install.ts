/**
 * `concurrency-kit agents install | list | uninstall`: writes the kit's specialist agents (`agents/*.md`) and its
 * skill (`skills/concurrency-kit/`) into each coding-agent harness's own format, from that one source:
 *
 * | target  | files |
 * | ------- | ----- |
 * | claude  | `.claude/agents/<name>.md`, `.claude/skills/concurrency-kit/` |
 * | codex   | `.agents/skills/concurrency-kit/` (also read by OpenCode and Copilot), a managed block in `AGENTS.md` |
 * | cursor  | `.cursor/rules/concurrency-kit.mdc` (links into `.agents/skills/concurrency-kit/`, installed with it) |
 * | copilot | `.github/instructions/concurrency-kit.instructions.md`, `.github/agents/<name>.agent.md`, `.agents/skills/concurrency-kit/` |
 *
 * Every file written is recorded with its SHA-256 in `concurrency-kit.json` (`agents`), next to the modules `add`
 * records. A file whose contents on disk differ from what was recorded was edited by its owner and is never
 * replaced or removed without `--overwrite`; a file the kit did not write is never touched at all without it.
 * Re-running with nothing changed writes nothing, byte for byte.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../patterns/registry.js';
import { sha256 } from '../config/record.js';
import type { AgentFileRecord, HarnessTarget } from '../config/config.js';
import { loadAgents } from '../checklist/agent.js';

/** The harnesses `agents install` writes for, in a fixed order. */
export const TARGETS: readonly HarnessTarget[] = ['claude', 'codex', 'cursor', 'copilot'];

/** Where the files go: the project (from its root) or the user's home folder. */
export type Scope = 'project' | 'user';

/** One file (or the managed block of a shared file) the install writes. */
export interface PlannedAgentFile {
  /** Relative to the scope's root, POSIX separators. */
  readonly path: string;
  /**
   * `file`: the whole file is the kit's. `block`: only the text between the markers is (AGENTS.md, Codex's
   * config.toml). `import`: one line (CLAUDE.md's `@AGENTS.md`). `mcp`: one server entry of a JSON MCP config.
   */
  readonly part: AgentFilePart;
  /** The kit's contents: the whole file, the block with its markers, or the line. */
  readonly contents: string;
  /** Targets that need this file (a shared skill copy serves several). */
  readonly targets: readonly HarnessTarget[];
}

/** Which part of a file the kit owns (see {@link PlannedAgentFile.part}). */
export type AgentFilePart = 'file' | 'block' | 'import' | 'mcp';

/** The managed block's markers in AGENTS.md. */
export const BLOCK_START = '<!-- concurrency-kit:start (managed by `npx concurrency-kit agents install`; edit outside these markers) -->';
export const BLOCK_END = '<!-- concurrency-kit:end -->';
/** The same markers in a TOML file (Codex's config.toml). */
const TOML_START = '# concurrency-kit:start (managed by `npx concurrency-kit agents install`; edit outside these markers)';
const TOML_END = '# concurrency-kit:end';
const IMPORT_LINE = '@AGENTS.md';
/** The server's name in MCP configs. */
const SERVER = 'concurrency-kit';
const SERVER_COMMAND = { command: 'npx', args: ['concurrency-kit', 'mcp'] } as const;

const markers = (path: string): readonly [string, string] => (path.endsWith('.toml') ? [TOML_START, TOML_END] : [BLOCK_START, BLOCK_END]);
/** The key MCP servers live under: VS Code's `servers`, everyone else's `mcpServers`. */
const serversKey = (path: string): string => (path.endsWith('.vscode/mcp.json') ? 'servers' : 'mcpServers');

/** A JSON object file's contents, or null when it is not plain JSON (comments, trailing commas) or not an object. */
function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const SKILL = 'concurrency-kit';
const GLOBS = '**/*.ts,**/*.mts,**/*.cts,**/*.tsx';
/** Claude Code tool names and the Copilot custom-agent tool sets that cover them. */
const COPILOT_TOOLS: Readonly<Record<string, string>> = { Read: 'read', Write: 'edit', Edit: 'edit', Glob: 'search', Grep: 'search', Bash: 'execute' };

/** A source file of the kit: its absolute path and text. */
interface Source {
  readonly path: string;
  readonly text: string;
}

/** The kit's sources: each agent definition and every file of the skill but its evals. */
export function kitSources(root: string = PACKAGE_ROOT): { agents: Source[]; skill: Source[]; skillDir: string } {
  const agentsDir = join(root, 'agents');
  // An installed agent stands alone in its harness: items it references from another agent get their text.
  const items = new Map(loadAgents(agentsDir).flatMap((a) => a.checklist.map((i) => [`${a.file}:${String(i.line)}`, i] as const)));
  const expand = (file: string, text: string): string =>
    text
      .split('\n')
      .map((line, i) => {
        const item = items.get(`${file}:${String(i + 1)}`);
        return item?.definedIn === undefined ? line : line.replace(/`\s+(?:→|->)\s+\S+\s*$/, `\` — ${item.text}`);
      })
      .join('\n');
  const agents = readdirSync(agentsDir)
    .filter((f) => f.endsWith('.md') && f !== 'README.md')
    .sort()
    .map((f) => ({ path: join(agentsDir, f), text: expand(join(agentsDir, f), readFileSync(join(agentsDir, f), 'utf8')) }));
  const skillDir = join(root, 'skills', SKILL);
  const skill: Source[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (!(dir === skillDir && e.name === 'evals')) walk(full);
      } else {
        skill.push({ path: full, text: readFileSync(full, 'utf8') });
      }
    }
  };
  walk(skillDir);
  return { agents, skill, skillDir };
}

/** Splits `---` frontmatter from the body. */
function splitFrontmatter(text: string): { data: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n?/.exec(text.replace(/\r\n?/g, '\n'));
  if (!match) return { data: {}, body: text };
  const data: unknown = parseDocument(match[1] ?? '').toJS();
  return { data: typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {}, body: text.slice(match[0].length) };
}

/** Frontmatter as YAML (strings quoted only where YAML needs it). */
function frontmatter(fields: Readonly<Record<string, unknown>>): string {
  const lines = Object.entries(fields).map(([k, v]) => `${k}: ${typeof v === 'string' && /^[\w .,()'/-]*$/.test(v) && !/^\d/.test(v) ? v : JSON.stringify(v)}`);
  return `---\n${lines.join('\n')}\n---\n`;
}

/**
 * Rewrites the relative links of a source file for its installed copy: a link to another installed file points at
 * that copy, relative to where this one lands.
 */
function relink(body: string, from: string, installedAt: string, copies: ReadonlyMap<string, string>): string {
  return body.replace(/(\]\()([^)\s#]+)(#[^)\s]*)?\)/g, (whole, open: string, target: string, anchor: string | undefined) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/')) return whole;
    const copy = copies.get(resolve(dirname(from), target));
    if (copy === undefined) return whole;
    return `${open}${posix.relative(posix.dirname(installedAt), copy) || '.'}${anchor ?? ''})`;
  });
}

function posixPath(path: string): string {
  return path.split(sep).join('/');
}

/**
 * What installing `targets` at `scope` writes, in a stable order.
 * @param claudeMd - add the `@AGENTS.md` import to CLAUDE.md (when the codex target writes AGENTS.md)
 * @throws {@link UsageError} for a target that has no files at that scope (Cursor keeps user rules in its settings)
 */
export function planInstall(
  targets: readonly HarnessTarget[],
  scope: Scope,
  options: { claudeMd?: boolean; mcp?: boolean; sources?: ReturnType<typeof kitSources> } = {},
): PlannedAgentFile[] {
  const { agents, skill, skillDir } = options.sources ?? kitSources();
  if (scope === 'user' && targets.includes('cursor')) {
    throw new UsageError('agents install: Cursor keeps user rules in its settings, not in files; install the cursor target with --scope project.', 'ERR_SCOPE');
  }
  if (scope === 'user' && options.mcp === true) {
    throw new UsageError('agents install: --mcp writes project config files (.mcp.json, .cursor/mcp.json, .vscode/mcp.json, .codex/config.toml); for your user config, use your harness\'s own command (for example `claude mcp add concurrency-kit -- npx concurrency-kit mcp`).', 'ERR_SCOPE');
  }
  const mcpEntry = (path: string): Omit<PlannedAgentFile, 'targets'> => ({
    path,
    part: 'mcp',
    contents: JSON.stringify(path.endsWith('.vscode/mcp.json') ? { type: 'stdio', ...SERVER_COMMAND } : SERVER_COMMAND),
  });
  const planned = new Map<string, { file: Omit<PlannedAgentFile, 'targets'>; targets: HarnessTarget[] }>();
  const add = (target: HarnessTarget, file: Omit<PlannedAgentFile, 'targets'>): void => {
    const entry = planned.get(file.path) ?? { file, targets: [] };
    if (!entry.targets.includes(target)) entry.targets.push(target);
    planned.set(file.path, entry);
  };
  const skillCopy = (base: string): Map<string, string> => new Map(skill.map((s) => [s.path, `${base}/${posixPath(relative(skillDir, s.path))}`]));
  const copySkill = (target: HarnessTarget, copies: ReadonlyMap<string, string>): void => {
    for (const s of skill) {
      const at = copies.get(s.path) ?? '';
      add(target, { path: at, part: 'file', contents: relink(s.text, s.path, at, copies) });
    }
  };
  const sharedBase = scope === 'user' ? '.agents/skills' : '.agents/skills';
  const shared = skillCopy(`${sharedBase}/${SKILL}`);
  const skillMain = splitFrontmatter(skill.find((s) => s.path === join(skillDir, 'SKILL.md'))?.text ?? '');
  const skillDescription = String(skillMain.data['description'] ?? '');

  for (const target of targets) {
    if (target === 'claude') {
      const copies = skillCopy(`.claude/skills/${SKILL}`);
      copySkill(target, copies);
      for (const a of agents) {
        const at = `.claude/agents/${posix.basename(a.path)}`;
        add(target, { path: at, part: 'file', contents: relink(a.text, a.path, at, copies) });
      }
      if (options.mcp === true) add(target, mcpEntry('.mcp.json'));
    } else if (target === 'codex') {
      copySkill(target, shared);
      const at = scope === 'user' ? '.codex/AGENTS.md' : 'AGENTS.md';
      const skillLink = posix.relative(posix.dirname(at), `${sharedBase}/${SKILL}/SKILL.md`);
      const block = [
        BLOCK_START,
        '## Concurrent code: concurrency-kit',
        '',
        `${skillDescription}`,
        '',
        `Before you write or review code that runs work concurrently or waits (pools, limits, caches, queues, cancellation, shutdown), read the [concurrency-kit skill](${skillLink}) and follow its workflow: generate the pattern with \`npx concurrency-kit add <pattern> --yes --json\`, prove it with \`npx concurrency-kit verify --json\`, and review the rest against its checklist.`,
        BLOCK_END,
      ].join('\n');
      add(target, { path: at, part: 'block', contents: block });
      if (options.claudeMd === true && scope === 'project') add(target, { path: 'CLAUDE.md', part: 'import', contents: IMPORT_LINE });
      if (options.mcp === true) {
        const toml = [TOML_START, `[mcp_servers.${SERVER}]`, `command = "${SERVER_COMMAND.command}"`, `args = [${SERVER_COMMAND.args.map((a) => `"${a}"`).join(', ')}]`, TOML_END].join('\n');
        add(target, { path: '.codex/config.toml', part: 'block', contents: toml });
      }
    } else if (target === 'cursor') {
      copySkill(target, shared);
      const at = '.cursor/rules/concurrency-kit.mdc';
      add(target, { path: at, part: 'file', contents: `${frontmatter({ description: skillDescription, globs: GLOBS, alwaysApply: false })}${relink(skillMain.body, join(skillDir, 'SKILL.md'), at, shared)}` });
      if (options.mcp === true) add(target, mcpEntry('.cursor/mcp.json'));
    } else {
      const skillBase = scope === 'user' ? `.copilot/skills/${SKILL}` : `${sharedBase}/${SKILL}`;
      const copies = scope === 'user' ? skillCopy(skillBase) : shared;
      copySkill(target, copies);
      if (scope === 'project') {
        const at = '.github/instructions/concurrency-kit.instructions.md';
        add(target, { path: at, part: 'file', contents: `${frontmatter({ applyTo: GLOBS, description: skillDescription })}${relink(skillMain.body, join(skillDir, 'SKILL.md'), at, copies)}` });
      }
      for (const a of agents) {
        const { data, body } = splitFrontmatter(a.text);
        const name = posix.basename(a.path, '.md');
        const at = `${scope === 'user' ? '.copilot/agents' : '.github/agents'}/${name}.agent.md`;
        const tools = String(data['tools'] ?? '').split(',').map((t) => COPILOT_TOOLS[t.trim()]).filter((t): t is string => t !== undefined);
        add(target, { path: at, part: 'file', contents: `${frontmatter({ name, description: String(data['description'] ?? ''), tools: [...new Set(tools)] })}${relink(body, a.path, at, copies)}` });
      }
      if (options.mcp === true) add(target, mcpEntry('.vscode/mcp.json'));
    }
  }
  return [...planned.values()].map(({ file, targets: t }) => ({ ...file, targets: TARGETS.filter((x) => t.includes(x)) })).sort((a, b) => a.path.localeCompare(b.path));
}

/** What a planned file's install does: computed against the disk and the record. */
export type InstallAction = 'create' | 'update' | 'unchanged' | 'kept' | 'overwrite';

/**
 * The part of `text` (the file at `path`) the kit owns: the whole text, the block with its markers, the import line,
 * or the MCP server entry as canonical JSON; null when absent (or, for an MCP entry, when the file is not plain JSON).
 */
export function ownedPart(text: string, part: AgentFilePart, path: string): string | null {
  if (part === 'file') return text;
  if (part === 'import') return text.split(/\r?\n/).some((l) => l.trim() === IMPORT_LINE) ? IMPORT_LINE : null;
  if (part === 'mcp') {
    const servers = jsonObject(text)?.[serversKey(path)];
    const entry = typeof servers === 'object' && servers !== null ? (servers as Record<string, unknown>)[SERVER] : undefined;
    return entry === undefined ? null : JSON.stringify(entry);
  }
  const [open, close] = markers(path);
  const start = text.indexOf(open);
  const end = start < 0 ? -1 : text.indexOf(close, start);
  return start < 0 || end < 0 ? null : text.slice(start, end + close.length);
}

/** `text` with the kit's part set to `contents` (added when absent), or removed when `contents` is null. */
export function withPart(text: string | null, part: AgentFilePart, contents: string | null, path: string): string {
  if (part === 'file') return contents ?? '';
  const current = text ?? '';
  if (part === 'mcp') {
    const doc = current.trim() === '' ? {} : (jsonObject(current) ?? {});
    const key = serversKey(path);
    const existing = doc[key];
    const servers: Record<string, unknown> = { ...(typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : {}) };
    if (contents === null) delete servers[SERVER];
    else servers[SERVER] = JSON.parse(contents) as unknown;
    const next: Record<string, unknown> = { ...doc, [key]: servers };
    if (Object.keys(servers).length === 0) delete next[key];
    return Object.keys(next).length === 0 ? '' : `${JSON.stringify(next, null, 2)}\n`;
  }
  const owned = ownedPart(current, part, path);
  if (part === 'import') {
    if (contents === null) return current.split('\n').filter((l) => l.trim() !== IMPORT_LINE).join('\n').replace(/^\n+/, '');
    return owned !== null ? current : `${contents}\n${current === '' ? '' : `\n${current}`}`;
  }
  if (owned !== null) {
    if (contents !== null) return current.replace(owned, contents);
    return current.replace(owned, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n+$/, current.trim() === owned ? '' : '\n');
  }
  if (contents === null) return current;
  return current === '' ? `${contents}\n` : `${current.replace(/\n*$/, '\n')}\n${contents}\n`;
}

/** Decides what to do with one planned file, given what is on disk and what the record says was written. */
export function installAction(planned: PlannedAgentFile, disk: string | null, recorded: AgentFileRecord | undefined, overwrite: boolean): InstallAction {
  // An MCP config with comments or trailing commas cannot be rewritten without losing them: it is left to its owner.
  if (planned.part === 'mcp' && disk !== null && disk.trim() !== '' && jsonObject(disk) === null) return 'kept';
  const owned = disk === null ? null : ownedPart(disk, planned.part, planned.path);
  if (owned === null) return disk !== null && planned.part === 'file' ? (overwrite ? 'overwrite' : 'kept') : 'create';
  if (owned === planned.contents) return 'unchanged';
  if (recorded !== undefined && sha256(owned) === recorded.sha256) return 'update';
  return overwrite ? 'overwrite' : 'kept';
}

/** State of an installed file: `current`, `outdated` (unedited, but this kit version writes it differently), `edited` or `missing`. */
export type InstalledStatus = 'current' | 'outdated' | 'edited' | 'missing';

/** Compares a recorded file with the disk and with what this kit version would write. */
export function installedStatus(record: AgentFileRecord, disk: string | null, planned: PlannedAgentFile | undefined): InstalledStatus {
  const owned = disk === null ? null : ownedPart(disk, record.part ?? 'file', record.path);
  if (owned === null) return 'missing';
  if (sha256(owned) !== record.sha256) return 'edited';
  return planned !== undefined && planned.contents !== owned ? 'outdated' : 'current';
}

/** Reads a file, or null when it does not exist. */
export function readIfExists(path: string): string | null {
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}
