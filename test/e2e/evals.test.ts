/**
 * The skill's evals: at least 12 tasks, the ones the issue names among them, each with a prompt, a fixture, a grader
 * and a reference; and `npm run evals:check` proves no grader is vacuous (each fails on its fixture and passes on its
 * reference).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { listPatterns } from '../../src/patterns/registry.js';
import { REPO } from '../helpers/temp-project.js';

interface EvalTask {
  readonly id: string;
  readonly prompt: string;
  readonly files: readonly string[];
  readonly fixture: string;
  readonly reference: string;
  readonly grader: string;
  readonly patterns: readonly string[];
}

const evalsDir = join(REPO, 'skills', 'concurrency-kit', 'evals');
const spec = JSON.parse(readFileSync(join(evalsDir, 'evals.json'), 'utf8')) as { tasks: EvalTask[] };

describe('skill evals', () => {
  it('has at least 12 well-formed tasks, the ones a user would give among them', () => {
    expect(spec.tasks.length).toBeGreaterThanOrEqual(12);
    expect(new Set(spec.tasks.map((t) => t.id)).size).toBe(spec.tasks.length);
    const ids = listPatterns().map((p) => p.id);
    for (const t of spec.tasks) {
      expect(t.prompt.length, t.id).toBeGreaterThan(80);
      for (const dir of [t.fixture, t.reference]) for (const f of t.files) expect(existsSync(join(evalsDir, dir, f)), `${t.id}: ${dir}/${f}`).toBe(true);
      expect(existsSync(join(evalsDir, t.grader)), t.grader).toBe(true);
      for (const p of t.patterns) expect(ids, `${t.id} suggests ${p}`).toContain(p);
    }
    const prompts = spec.tasks.map((t) => t.prompt).join('\n');
    for (const needle of [/10,000 URLs with Promise\.all/, /loads the same user several times/, /per-tenant rate limit/, /interval is never cleared/, /parse, enrich and write with backpressure/]) {
      expect(prompts).toMatch(needle);
    }
  });

  it('npm run evals:check: every grader fails on its fixture and passes on its reference', async () => {
    const r = await execa(process.execPath, [join(REPO, 'scripts', 'evals.mjs'), 'check'], { cwd: REPO, reject: false, timeout: 300_000 });
    expect(r.exitCode, `${String(r.stdout)}\n${String(r.stderr)}`).toBe(0);
    expect(String(r.stdout)).toContain(`evals: ${String(spec.tasks.length)} tasks, every grader fails on its fixture and passes on its reference`);
  }, 320_000);
});
