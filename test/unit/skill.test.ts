/**
 * The skill (`skills/concurrency-kit/`) stays true to the code: its pattern reference is generated from the
 * manifests, its decision table names every pattern, it passes agents lint, and its allowed tools are the kit's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../src/agents/lint.js';
import { patternReference } from '../../src/patterns/docs.js';
import { listPatterns } from '../../src/patterns/registry.js';
import { REPO } from '../helpers/temp-project.js';

const SKILL_DIR = join(REPO, 'skills', 'concurrency-kit');
const skill = readFileSync(join(SKILL_DIR, 'SKILL.md'), 'utf8');

describe('the concurrency-kit skill', () => {
  it('references/patterns.md is what the manifests generate (node scripts/skill-patterns.mjs)', () => {
    expect(readFileSync(join(SKILL_DIR, 'references', 'patterns.md'), 'utf8')).toBe(patternReference(listPatterns()));
  });

  it("its decision table names every pattern, and nothing that is not one", () => {
    const table = skill.slice(skill.indexOf('| the need | pattern |'), skill.indexOf('[references/patterns.md]'));
    const named = [...table.matchAll(/\| `([a-z0-9-]+)`/g)].map((m) => m[1]);
    expect([...new Set(named)].sort()).toEqual(listPatterns().map((p) => p.id).sort());
  });

  it('passes agents lint, workflows and references included', () => {
    const result = lintPaths(['skills'], REPO);
    expect(result.files.map((f) => f.file)).toEqual(
      expect.arrayContaining(['skills/concurrency-kit/SKILL.md', 'skills/concurrency-kit/references/patterns.md', 'skills/concurrency-kit/workflows/write-concurrent-code.md', 'skills/concurrency-kit/workflows/review-concurrent-code.md']),
    );
    expect(result.findings).toEqual([]);
  });

  it("limits allowed-tools to the kit's own commands", () => {
    expect(/^allowed-tools: (.+)$/m.exec(skill)?.[1]).toBe('Bash(npx concurrency-kit:*)');
  });
});
