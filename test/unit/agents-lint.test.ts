/**
 * `agents lint`: each harness rule fires on the mistake it names and stays quiet on the correct form; the kit's own
 * agents/ and skills/ pass.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { kindOf, lintPaths, lintText, LINT_RULES } from '../../src/agents/lint.js';
import { createTempProject, REPO, type TempProject } from '../helpers/temp-project.js';
import { runCli } from '../helpers/run-cli.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const skill = (front: string, body = '# Skill\n'): string => `---\n${front}\n---\n${body}`;
const rules = (path: string, text: string): string[] => lintText(path, text).map((f) => `${String(f.line)} ${f.ruleId}`);

describe('kindOf', () => {
  it.each([
    ['skills/x/SKILL.md', 'skill'],
    ['.cursor/rules/concurrency-kit.mdc', 'cursor-rule'],
    ['.github/instructions/concurrency-kit.instructions.md', 'copilot-instructions'],
    ['.github/agents/concurrency-reviewer.agent.md', 'copilot-agent'],
    ['.claude/agents/concurrency-specialist.md', 'claude-agent'],
    ['agents/concurrency-specialist.md', 'claude-agent'],
    ['agents/README.md', 'markdown'],
    ['AGENTS.md', 'markdown'],
    ['skills/x/references/patterns.md', 'markdown'],
  ])('%s is a %s', (path, kind) => {
    expect(kindOf(path)).toBe(kind);
  });
});

describe('skills', () => {
  it('a correct skill passes', () => {
    expect(rules('/s/my-skill/SKILL.md', skill('name: my-skill\ndescription: Does one thing well.\nallowed-tools: Bash(npx concurrency-kit:*) Read'))).toEqual([]);
  });

  it('name must be kebab-case, at most 64 characters, and equal the folder', () => {
    expect(rules('/s/my-skill/SKILL.md', skill('name: My_Skill\ndescription: d'))).toEqual(['2 name/format', '2 name/folder']);
    expect(rules(`/s/${'a'.repeat(65)}/SKILL.md`, skill(`name: ${'a'.repeat(65)}\ndescription: d`))).toEqual(['2 name/format']);
    expect(rules('/s/other/SKILL.md', skill('name: my-skill\ndescription: d'))).toEqual(['2 name/folder']);
  });

  it('description is 1 to 1,024 characters without XML tags', () => {
    expect(rules('/s/a/SKILL.md', skill(`name: a\ndescription: "${'x'.repeat(1025)}"`))).toEqual(['3 description/length']);
    expect(rules('/s/a/SKILL.md', skill('name: a\ndescription: ""'))).toEqual(['3 description/length']);
    expect(rules('/s/a/SKILL.md', skill('name: a\ndescription: Use <example>this</example> here'))).toEqual(['3 description/xml']);
    expect(rules('/s/a/SKILL.md', skill('name: a\ndescription: "n < 5 and m > 2 are fine"'))).toEqual([]);
  });

  it('an unknown or misspelled key is an error, with the likely intended key', () => {
    const findings = lintText('/s/a/SKILL.md', skill('name: a\ndescription: d\nallowed_tools: Bash'));
    expect(findings.map((f) => [f.line, f.ruleId])).toEqual([[4, 'frontmatter/unknown-key']]);
    expect(findings[0]?.message).toContain('Did you mean "allowed-tools"?');
  });

  it('missing frontmatter, invalid YAML and missing required keys are errors', () => {
    expect(rules('/s/a/SKILL.md', '# no frontmatter\n')).toEqual(['1 frontmatter/missing']);
    expect(rules('/s/a/SKILL.md', skill('name: [a\ndescription: d'))).toEqual(['3 frontmatter/yaml']);
    expect(rules('/s/a/SKILL.md', skill('name: a'))).toEqual(['1 frontmatter/missing']);
  });

  it('a body of 500 lines or more is an error; 499 is fine', () => {
    expect(rules('/s/a/SKILL.md', skill('name: a\ndescription: d', 'x\n'.repeat(499)))).toEqual([]);
    expect(rules('/s/a/SKILL.md', skill('name: a\ndescription: d', 'x\n'.repeat(500)))).toEqual(['504 body/length']);
  });
});

describe('harness-specific frontmatter', () => {
  it("Cursor's alwaysApply must be a boolean, not a string", () => {
    const findings = lintText('/p/.cursor/rules/r.mdc', '---\ndescription: d\nglobs: "**/*.ts"\nalwaysApply: "true"\n---\nbody\n');
    expect(findings.map((f) => [f.line, f.ruleId])).toEqual([[4, 'frontmatter/type']]);
    expect(findings[0]?.message).toContain('not the boolean true');
    expect(rules('/p/.cursor/rules/r.mdc', '---\ndescription: d\nglobs: ["**/*.ts", "src/**"]\nalwaysApply: false\n---\nbody\n')).toEqual([]);
    expect(rules('/p/.cursor/rules/r.mdc', '---\ndescription: d\nalwayApply: true\n---\n')).toEqual(['3 frontmatter/unknown-key', '1 frontmatter/missing']);
  });

  it('Copilot instructions need applyTo; Copilot agents need a description', () => {
    expect(rules('/p/.github/instructions/x.instructions.md', '---\napplyTo: "**/*.ts"\n---\nbody\n')).toEqual([]);
    expect(rules('/p/.github/instructions/x.instructions.md', '---\napply-to: "**/*.ts"\n---\nbody\n')).toEqual(['2 frontmatter/unknown-key', '1 frontmatter/missing']);
    expect(rules('/p/.github/agents/x.agent.md', '---\nname: X\ntools: [read, search]\n---\nbody\n')).toEqual(['1 frontmatter/missing']);
  });

  it('Claude Code subagents: known keys with their types', () => {
    expect(rules('/p/.claude/agents/x.md', '---\nname: x\ndescription: d\ntools: Read, Grep\nmodel: inherit\nmaxTurns: 5\n---\nbody\n')).toEqual([]);
    expect(rules('/p/.claude/agents/x.md', '---\nname: x\ndescription: d\nmaxTurns: "5"\ntool: Read\n---\nbody\n')).toEqual(['4 frontmatter/type', '5 frontmatter/unknown-key']);
  });
});

describe('links', () => {
  it('relative links must resolve; URLs, anchors and links in code are not checked', () => {
    project = createTempProject({ 'skills/a/references/patterns.md': '# Patterns\n' });
    const file = `${project.dir}/skills/a/SKILL.md`;
    const text = skill(
      'name: a\ndescription: d',
      [
        'See [patterns](references/patterns.md#pipeline) and [home](https://example.com) and [top](#top).',
        'Broken: [gone](references/missing.md).',
        '`[not a link](nope.md)`',
        '```md',
        '[example](also-nope.md)',
        '```',
        '',
      ].join('\n'),
    );
    const findings = lintText(file, text);
    expect(findings.map((f) => [f.line, f.column, f.ruleId])).toEqual([[6, 16, 'links/relative']]);
    expect(findings[0]?.message).toContain('references/missing.md');
  });
});

describe('lintPaths and the CLI', () => {
  it("the kit's own agents/ and skills/ pass", () => {
    const result = lintPaths(['agents', 'skills'], REPO);
    expect(result.files.length).toBeGreaterThan(1);
    expect(result.findings).toEqual([]);
  });

  it('every rule id a finding can carry is documented', () => {
    project = createTempProject({ '.cursor/rules/r.mdc': '---\nalwaysApply: "yes"\nfoo: 1\n---\n[x](nope.md)\n', 'skills/b/SKILL.md': skill('name: B\ndescription: <b>x</b>') });
    const { findings } = lintPaths([], project.dir);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(Object.keys(LINT_RULES)).toContain(f.ruleId);
  });

  it('exits 1 with findings, 0 when clean, 2 for a missing path', async () => {
    project = createTempProject({ '.cursor/rules/r.mdc': '---\ndescription: d\nalwaysApply: "true"\n---\nbody\n' });
    const bad = await runCli(['agents', 'lint', '--json'], project.dir);
    expect(bad.exitCode).toBe(1);
    const doc = JSON.parse(bad.stdout) as { ok: boolean; findings: { file: string; ruleId: string; line: number }[] };
    expect(doc.ok).toBe(false);
    expect(doc.findings).toMatchObject([{ file: '.cursor/rules/r.mdc', ruleId: 'frontmatter/type', line: 3 }]);
    const good = await runCli(["agents", "lint", "nope"], project.dir);
    expect(good.exitCode).toBe(2);
    expect(good.stderr).toContain('nope does not exist');
    const clean = await runCli(['agents', 'lint', 'agents', 'skills'], REPO);
    expect(clean.exitCode, clean.stderr).toBe(0);
    const sarif = await runCli(['agents', 'lint', '--format', 'sarif'], project.dir);
    expect(sarif.exitCode).toBe(1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.results.map((r) => r.ruleId)).toEqual(['frontmatter/type']);
    const github = await runCli(['agents', 'lint', '--format', 'github'], project.dir);
    expect(github.stdout).toMatch(/^::error file=\.cursor\/rules\/r\.mdc,line=3,/m);
    const unknownFormat = await runCli(['agents', 'lint', '--format', 'xml'], project.dir);
    expect(unknownFormat.exitCode).toBe(2);
  });
});
