/**
 * End to end: `agents install | list | uninstall` with the built CLI in temp projects, for every target. Each
 * written file passes `agents lint`; a re-run is a byte-for-byte no-op; a hand edit survives a later run, which says
 * so; uninstall removes only what the kit wrote and nobody edited; the user's own text in AGENTS.md and CLAUDE.md
 * stays; bad input changes nothing.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/agents/lint.js';
import { createTempProject, snapshotTree, type TempProject } from '../helpers/temp-project.js';
import { runCli } from '../helpers/run-cli.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const fresh = (tree: Record<string, string | object> = {}): string => {
  project = createTempProject({ 'package.json': { name: 'app', private: true, type: 'module' }, ...tree }, { linkModules: false });
  return project.dir;
};

interface InstallJson {
  files: { path: string; action: string; targets: string[] }[];
  kept: string[];
  record: { path: string; action: string };
}

const install = async (dir: string, args: readonly string[] = ['--target', 'all']): Promise<InstallJson> => {
  const r = await runCli(['agents', 'install', ...args, '--yes', '--json'], dir);
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as InstallJson;
};

describe('agents install', () => {
  it('--target all writes every harness format, each passing agents lint', async () => {
    const dir = fresh();
    const doc = await install(dir);
    const paths = doc.files.map((f) => f.path);
    for (const expected of [
      '.claude/agents/concurrency-specialist.md',
      '.claude/skills/concurrency-kit/SKILL.md',
      '.agents/skills/concurrency-kit/SKILL.md',
      'AGENTS.md',
      '.cursor/rules/concurrency-kit.mdc',
      '.github/instructions/concurrency-kit.instructions.md',
      '.github/agents/concurrency-specialist.agent.md',
    ]) {
      expect(paths).toContain(expected);
    }
    expect(doc.files.every((f) => f.action === 'create')).toBe(true);
    expect(doc.record).toEqual({ path: 'concurrency-kit.json', action: 'created' });
    expect(lintPaths([], dir).findings).toEqual([]);
    expect(readFileSync(join(dir, '.cursor/rules/concurrency-kit.mdc'), 'utf8')).toMatch(/^---\ndescription: .+\nglobs: .+\nalwaysApply: false\n---\n/);
    expect(readFileSync(join(dir, '.github/instructions/concurrency-kit.instructions.md'), 'utf8')).toMatch(/^---\napplyTo: /);
    const lint = await runCli(['agents', 'lint'], dir);
    expect(lint.exitCode, lint.stdout + lint.stderr).toBe(0);
  });

  it('a second run changes nothing, byte for byte; after a hand edit a third run keeps it and says so', async () => {
    const dir = fresh();
    await install(dir);
    const before = snapshotTree(dir);
    const again = await install(dir);
    expect(again.files.every((f) => f.action === 'unchanged')).toBe(true);
    expect(again.record.action).toBe('unchanged');
    expect(snapshotTree(dir)).toEqual(before);

    const edited = join(dir, '.claude/agents/concurrency-specialist.md');
    writeFileSync(edited, `${readFileSync(edited, 'utf8')}\n## Our team's extra rule\n`);
    const third = await runCli(['agents', 'install', '--target', 'all', '--yes'], dir);
    expect(third.exitCode, third.stderr).toBe(0);
    expect(third.stderr.replace(/\n\s*/g, ' ')).toContain('kept 1 file as they are: .claude/agents/concurrency-specialist.md');
    expect(readFileSync(edited, 'utf8')).toContain("## Our team's extra rule");

    const list = await runCli(['agents', 'list', '--json'], dir);
    const listed = JSON.parse(list.stdout) as { targets: string[]; files: { path: string; status: string }[] };
    expect(listed.targets).toEqual(['claude', 'codex', 'cursor', 'copilot']);
    expect(listed.files.find((f) => f.path === '.claude/agents/concurrency-specialist.md')?.status).toBe('edited');
    expect(listed.files.filter((f) => f.status !== 'edited').every((f) => f.status === 'current')).toBe(true);

    const forced = await install(dir, ['--target', 'claude', '--overwrite']);
    expect(forced.files.find((f) => f.path === '.claude/agents/concurrency-specialist.md')?.action).toBe('overwrite');
    expect(readFileSync(edited, 'utf8')).not.toContain("## Our team's extra rule");
  });

  it("keeps the rest of AGENTS.md, and adds @AGENTS.md to CLAUDE.md only when asked", async () => {
    const dir = fresh({ 'AGENTS.md': '# House rules\n\nUse pnpm.\n', 'CLAUDE.md': '# Claude\n' });
    await install(dir, ['--target', 'codex']);
    const agentsMd = readFileSync(join(dir, 'AGENTS.md'), 'utf8');
    expect(agentsMd.startsWith('# House rules\n\nUse pnpm.\n\n<!-- concurrency-kit:start')).toBe(true);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe('# Claude\n');

    await install(dir, ['--target', 'codex', '--claude-md']);
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe('@AGENTS.md\n\n# Claude\n');
    const again = snapshotTree(dir);
    await install(dir, ['--target', 'codex', '--claude-md']);
    expect(snapshotTree(dir)).toEqual(again);

    const removed = await runCli(['agents', 'uninstall', '--target', 'codex', '--json'], dir);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8')).toBe('# House rules\n\nUse pnpm.\n');
    expect(readFileSync(join(dir, 'CLAUDE.md'), 'utf8')).toBe('# Claude\n');
  });

  it('never replaces a file it did not write, and uninstall removes only what it wrote and nobody edited', async () => {
    const dir = fresh({ '.cursor/rules/concurrency-kit.mdc': '---\ndescription: ours\nalwaysApply: true\n---\nOur own rule.\n' });
    const doc = await install(dir);
    expect(doc.kept).toEqual(['.cursor/rules/concurrency-kit.mdc']);
    expect(readFileSync(join(dir, '.cursor/rules/concurrency-kit.mdc'), 'utf8')).toContain('Our own rule.');

    const skill = join(dir, '.agents/skills/concurrency-kit/SKILL.md');
    writeFileSync(skill, `${readFileSync(skill, 'utf8')}\nlocal note\n`);
    mkdirSync(join(dir, '.claude/agents'), { recursive: true });
    writeFileSync(join(dir, '.claude/agents/our-reviewer.md'), '---\nname: our-reviewer\ndescription: ours\n---\nbody\n');

    const r = await runCli(['agents', 'uninstall', '--json'], dir);
    expect(r.exitCode, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string; action: string }[] }).files;
    expect(files.find((f) => f.path === '.agents/skills/concurrency-kit/SKILL.md')?.action).toBe('kept');
    expect(files.find((f) => f.path === '.claude/agents/concurrency-specialist.md')?.action).toBe('removed');
    const left = Object.keys(snapshotTree(dir)).sort();
    // The folders it emptied (.claude/skills, .github) are gone too; the ones still holding files stay.
    expect(left).toEqual([
      '.agents/',
      '.agents/skills/',
      '.agents/skills/concurrency-kit/',
      '.agents/skills/concurrency-kit/SKILL.md',
      '.claude/',
      '.claude/agents/',
      '.claude/agents/our-reviewer.md',
      '.cursor/',
      '.cursor/rules/',
      '.cursor/rules/concurrency-kit.mdc',
      'concurrency-kit.json',
      'package.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'concurrency-kit.json'), 'utf8'))).not.toHaveProperty('agents');
  });

  it('--mcp registers the server in each harness config, keeps other servers, and uninstall takes only its entry out', async () => {
    const dir = fresh({ '.mcp.json': { mcpServers: { other: { command: 'other-server' } } }, '.vscode/mcp.json': '{\n  // ours\n  "servers": {}\n}\n' });
    const doc = await install(dir, ['--target', 'all', '--mcp']);
    expect(doc.kept).toEqual(['.vscode/mcp.json']);
    const claude = JSON.parse(readFileSync(join(dir, '.mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
    expect(claude.mcpServers).toEqual({ other: { command: 'other-server' }, 'concurrency-kit': { command: 'npx', args: ['concurrency-kit', 'mcp'] } });
    expect(JSON.parse(readFileSync(join(dir, '.cursor/mcp.json'), 'utf8'))).toEqual({ mcpServers: { 'concurrency-kit': { command: 'npx', args: ['concurrency-kit', 'mcp'] } } });
    expect(readFileSync(join(dir, '.codex/config.toml'), 'utf8')).toContain('[mcp_servers.concurrency-kit]\ncommand = "npx"\nargs = ["concurrency-kit", "mcp"]');
    const before = snapshotTree(dir);
    await install(dir, ['--target', 'all', '--mcp']);
    expect(snapshotTree(dir)).toEqual(before);
    const r = await runCli(['agents', 'uninstall', '--yes'], dir);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, '.mcp.json'), 'utf8'))).toEqual({ mcpServers: { other: { command: 'other-server' } } });
    expect(Object.keys(snapshotTree(dir)).filter((p) => p.includes('.cursor') || p.includes('.codex'))).toEqual([]);
  });

  it('--scope user writes under the home folder and records there; Cursor has no user-scope files', async () => {
    const dir = fresh();
    const home = join(dir, 'home');
    mkdirSync(home);
    const r = await runCli(['agents', 'install', '--target', 'claude,codex', '--scope', 'user', '--yes', '--json'], dir, { env: { HOME: home } });
    expect(r.exitCode, r.stderr).toBe(0);
    const tree = Object.keys(snapshotTree(home)).sort();
    expect(tree).toContain('.claude/agents/concurrency-specialist.md');
    expect(tree).toContain('.agents/skills/concurrency-kit/SKILL.md');
    expect(tree).toContain('.codex/AGENTS.md');
    expect(tree).toContain('.config/concurrency-kit/concurrency-kit.json');
    expect(Object.keys(snapshotTree(dir)).filter((p) => !p.startsWith('home/'))).toEqual(['package.json']);
    const cursor = await runCli(['agents', 'install', '--target', 'cursor', '--scope', 'user', '--yes'], dir, { env: { HOME: home } });
    expect(cursor.exitCode).toBe(2);
    expect(cursor.stderr.replace(/\n\s*/g, ' ')).toContain('Cursor keeps user rules in its settings');
  });

  it('bad input and --dry-run change nothing on disk', async () => {
    const dir = fresh();
    const before = snapshotTree(dir);
    const bad = await runCli(['agents', 'install', '--target', 'claude,vim', '--yes'], dir);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.replace(/\n\s*/g, ' ')).toContain('unknown target vim; use a comma-separated list of claude, codex, cursor, copilot, or all');
    const scope = await runCli(['agents', 'install', '--scope', 'global', '--yes'], dir);
    expect(scope.exitCode).toBe(2);
    const dry = await runCli(['agents', 'install', '--target', 'all', '--dry-run', '--yes'], dir);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('.claude/agents/concurrency-specialist.md  would be created');
    expect(snapshotTree(dir)).toEqual(before);
  });
});
