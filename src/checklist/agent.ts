/**
 * Reads specialist agent definitions (`agents/<name>.md`: YAML frontmatter, then markdown) into typed checklists.
 * The `## Checklist` section is the source of truth for what `verify` proves; each item is one line:
 *
 * ```md
 * - [ ] `leak.timers` — No timer, interval or immediate outlives its owner.
 * ```
 *
 * with a stable dotted id (`<area>.<name>`, kebab-case parts) in backticks, an em dash (or ` - `), then the text, which
 * may continue on indented lines. An item several agents share is defined once and referenced elsewhere by its id
 * and the defining agent's name after an arrow:
 *
 * ```md
 * - [ ] `leak.timers` → concurrency-specialist
 * ```
 *
 * {@link loadAgents} resolves each reference to the defining item's text (the defining agent must exist and define
 * it itself), so every agent's checklist reads whole. `###` headings inside the section group items. Anything else that looks like a
 * list item there is an error naming the file and line, as are duplicate ids and a missing or empty section.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { AgentFormatError } from '../errors.js';

/** One checklist item. */
export interface ChecklistItem {
  /** Stable id, e.g. `leak.timers`: the first part is the area (`cancel`, `leak`, `bound`, `perf`, ...). */
  readonly id: string;
  /** The requirement in one sentence (markdown, continuation lines joined with spaces). */
  readonly text: string;
  /** The `###` heading the item sits under, or `''`. */
  readonly section: string;
  /** 1-based line of the item in its file. */
  readonly line: number;
  /** The agent that defines the item, when this one only references it (its `text` is then the definition's). */
  readonly definedIn?: string;
}

/** A parsed agent definition. */
export interface AgentDefinition {
  /** `name` from the frontmatter; equals the file's base name. */
  readonly name: string;
  readonly description: string;
  /** Tools the agent may use (`tools` from the frontmatter, a comma-separated string or a list). */
  readonly tools: readonly string[];
  /** Path of the file, as given. */
  readonly file: string;
  /** The checklist, in file order. */
  readonly checklist: readonly ChecklistItem[];
}

/** A checklist id: dotted, each part kebab-case, at least two parts. */
export const CHECKLIST_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$/;
const ITEM = /^[-*] \[[ xX]\] `([^`]*)`\s+(?:—|–|-)\s+(\S.*)$/;
const REFERENCE = /^[-*] \[[ xX]\] `([^`]*)`\s+(?:→|->)\s+([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\s*$/;
const LIST_ITEM = /^[-*+] /;

function frontmatter(file: string, lines: readonly string[]): { data: Record<string, unknown>; bodyStart: number } {
  if (lines[0]?.trim() !== '---') throw new AgentFormatError(file, 1, 'an agent definition starts with YAML frontmatter between "---" lines');
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) throw new AgentFormatError(file, 1, 'the frontmatter opened on line 1 is never closed with "---"');
  const doc = parseDocument(lines.slice(1, end).join('\n'));
  const error = doc.errors[0];
  if (error) {
    const line = (error.linePos?.[0].line ?? 1) + 1;
    throw new AgentFormatError(file, line, `invalid YAML in the frontmatter: ${error.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS();
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new AgentFormatError(file, 2, 'the frontmatter must be a YAML mapping (name, description, tools)');
  }
  return { data: data as Record<string, unknown>, bodyStart: end + 1 };
}

function field(lines: readonly string[], key: string): number {
  const index = lines.findIndex((l) => l.startsWith(`${key}:`));
  return index < 0 ? 1 : index + 1;
}

/**
 * Parses the text of one agent definition.
 * @param file - path used in messages (and whose base name must equal `name`)
 * @throws {@link AgentFormatError} naming the file and line of the first problem
 */
export function parseAgent(file: string, source: string): AgentDefinition {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const { data, bodyStart } = frontmatter(file, lines);
  const name = data['name'];
  if (typeof name !== 'string' || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    throw new AgentFormatError(file, field(lines, 'name'), 'frontmatter "name" must be a kebab-case string');
  }
  const stem = basename(file).replace(/\.md$/, '');
  if (name !== stem) throw new AgentFormatError(file, field(lines, 'name'), `frontmatter name "${name}" must equal the file name "${stem}"`);
  const description = data['description'];
  if (typeof description !== 'string' || description.trim() === '') {
    throw new AgentFormatError(file, field(lines, 'description'), 'frontmatter "description" must be a non-empty string');
  }
  const rawTools = data['tools'];
  const tools = typeof rawTools === 'string' ? rawTools.split(',').map((t) => t.trim()).filter(Boolean) : rawTools;
  if (!Array.isArray(tools) || tools.length === 0 || !tools.every((t) => typeof t === 'string' && t.trim() !== '')) {
    throw new AgentFormatError(file, field(lines, 'tools'), 'frontmatter "tools" must list at least one tool (a comma-separated string or a YAML list)');
  }

  const headings = lines.map((l, i) => ({ l, i })).filter(({ l, i }) => i >= bodyStart && /^## Checklist\s*$/.test(l));
  if (headings.length === 0) throw new AgentFormatError(file, lines.length, 'no "## Checklist" section');
  if (headings.length > 1) throw new AgentFormatError(file, headings[1]!.i + 1, 'a second "## Checklist" section');
  const items: { id: string; text: string; section: string; line: number; definedIn?: string }[] = [];
  const seen = new Map<string, number>();
  let section = '';
  let inFence = false;
  for (let i = headings[0]!.i + 1; i < lines.length; i++) {
    const text = lines[i]!;
    const line = i + 1;
    if (/^(```|~~~)/.test(text)) inFence = !inFence;
    if (inFence) continue;
    if (/^#{1,2} /.test(text)) break;
    const sub = /^### +(.+?)\s*$/.exec(text);
    if (sub) {
      section = sub[1]!;
      continue;
    }
    if (/^\s{2,}\S/.test(text) && items.length > 0 && lines[i - 1]!.trim() !== '') {
      const last = items[items.length - 1]!;
      last.text = `${last.text} ${text.trim()}`;
      continue;
    }
    if (!LIST_ITEM.test(text)) continue;
    const reference = REFERENCE.exec(text);
    const match = reference ?? ITEM.exec(text);
    if (!match) throw new AgentFormatError(file, line, 'a checklist item must read "- [ ] `area.name` — requirement" (or "- [ ] `area.name` → defining-agent")');
    const id = match[1]!;
    if (!CHECKLIST_ID.test(id)) {
      throw new AgentFormatError(file, line, `checklist id "${id}" must be dotted kebab-case with at least two parts, e.g. leak.timers`);
    }
    const first = seen.get(id);
    if (first !== undefined) throw new AgentFormatError(file, line, `checklist id "${id}" is already used on line ${first}`);
    seen.set(id, line);
    if (reference) {
      if (reference[2] === name) throw new AgentFormatError(file, line, `checklist item "${id}" references its own agent; define it here instead`);
      items.push({ id, text: '', section, line, definedIn: reference[2]! });
    } else {
      items.push({ id, text: match[2]!.trim(), section, line });
    }
  }
  if (items.length === 0) throw new AgentFormatError(file, headings[0]!.i + 1, 'the "## Checklist" section has no items');
  return { name, description: description.trim(), tools: tools.map((t: string) => t.trim()), file, checklist: items };
}

/** Reads and parses one agent file. @throws {@link AgentFormatError} */
export function loadAgent(file: string): AgentDefinition {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AgentFormatError(file, 1, `cannot read the file: ${(error as Error).message}`);
  }
  return parseAgent(file, source);
}

/**
 * Resolves every referenced item to its definition's text.
 * @throws {@link AgentFormatError} at the reference when the agent it names does not exist or does not define the id,
 * and at the second definition when two agents define the same id (shared items are defined once).
 */
export function resolveReferences(agents: readonly AgentDefinition[]): AgentDefinition[] {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const definedBy = new Map<string, AgentDefinition>();
  for (const agent of agents) {
    for (const item of agent.checklist) {
      if (item.definedIn !== undefined) continue;
      const other = definedBy.get(item.id);
      if (other) {
        throw new AgentFormatError(agent.file, item.line, `checklist item "${item.id}" is already defined in ${other.name}; reference it instead: - [ ] \`${item.id}\` → ${other.name}`);
      }
      definedBy.set(item.id, agent);
    }
  }
  return agents.map((agent) => ({
    ...agent,
    checklist: agent.checklist.map((item) => {
      if (item.definedIn === undefined) return item;
      const owner = byName.get(item.definedIn);
      const definition = owner?.checklist.find((i) => i.id === item.id && i.definedIn === undefined);
      if (!owner || !definition) {
        throw new AgentFormatError(agent.file, item.line, `checklist item "${item.id}" references ${item.definedIn}, which ${owner ? 'does not define it' : 'is not an agent here'}`);
      }
      return { ...item, text: definition.text };
    }),
  }));
}

/**
 * Parses every agent definition in `dir` (`*.md` but README.md), sorted by name, with references resolved.
 * @throws {@link AgentFormatError}
 */
export function loadAgents(dir: string): AgentDefinition[] {
  return resolveReferences(
    readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
      .sort()
      .map((f) => loadAgent(join(dir, f))),
  );
}
