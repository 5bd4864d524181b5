/**
 * The fixture matrix's checks (issue 7). `describeFixture` registers one describe per fixture: the project is clean
 * before `add`; `add` writes its share of the patterns `list --json` knows (or refuses with the fix and changes nothing); then
 * the project's own type-check, linter and formatter check, `verify` and `info --json` must all agree with what the
 * project is. Each check is its own test, so a run's failures read as a to-do list, and each failure prints the
 * tool's own output with a tally of its diagnostics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadPattern, requiresNodeTypes } from '../../src/patterns/registry.js';
import { runCli } from './run-cli.js';
import { snapshotTree } from './temp-project.js';
import { createFixture, DEFAULT_DIR, parseJson, patternsFor, show, type AddRun, type Fixture, type FixtureSpec } from './fixture-projects.js';

/** The snapshot without what `add` may legitimately create: new files, and the provenance record. */
function preexisting(snapshot: Record<string, string>, before: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot).filter(([path]) => path in before && path !== 'concurrency-kit.json'));
}

/** Registers the fixture's checks. `more` registers fixture-specific tests that run after the shared ones. */
export function describeFixture(spec: FixtureSpec, more?: (state: () => FixtureState) => void): void {
  describe(spec.name, () => {
    let fx: (Fixture & { cleanup(): void }) | undefined;
    let ids: string[] = [];
    let before: Record<string, string> = {};
    const adds: AddRun[] = [];
    const state = (): FixtureState => {
      if (!fx) throw new Error('the fixture was not created (see the beforeAll error)');
      return { fx, ids, adds, before };
    };
    /** The adds that wrote their files: later checks judge those, and fail when there are none. */
    const written = (): AddRun[] => {
      const ok = adds.filter((a) => a.result.exitCode === 0 && a.files.length > 0);
      expect(ok.length, `add wrote no module, so there is nothing to check:\n${adds.map((a) => show(`add ${a.pattern}`, a.result)).join('\n')}`).toBeGreaterThan(0);
      return ok;
    };

    beforeAll(async () => {
      fx = await createFixture(spec);
      const listed = await runCli(['list', '--json'], fx.dir);
      ids = patternsFor(spec, parseJson<{ id: string }[]>('list --json', listed).map((p) => p.id));
      before = snapshotTree(fx.dir);
    }, 900_000);
    afterAll(() => fx?.cleanup());

    it('is clean before add: its own type-check, linter and formatter check pass', async () => {
      const { fx: f } = state();
      for (const script of [spec.scripts.typecheck, spec.scripts.lint, spec.scripts.format]) {
        if (script === undefined) continue;
        const r = await f.script(script);
        expect(r.exitCode, show(`(fixture bug) ${script} before add`, r)).toBe(0);
      }
    }, 300_000);

    if (spec.expect.outcome === 'refused') {
      const { fix } = spec.expect;
      it(`add <each pattern of its share> --yes exits 2 naming the fix (${fix.source}) and leaves the tree byte-for-byte unchanged`, async () => {
        const { fx: f } = state();
        const problems: string[] = [];
        for (const id of ids) {
          const snapshot = snapshotTree(f.dir);
          const r = await runCli(['add', id, '--yes'], f.dir);
          if (r.exitCode !== 2) problems.push(`${show(`add ${id}`, r)}\n=> expected exit 2`);
          else if (!fix.test(r.stderr)) problems.push(`${show(`add ${id}`, r)}\n=> stderr does not name the fix ${String(fix)}`);
          const changed = diffTrees(snapshot, snapshotTree(f.dir));
          if (changed.length > 0) problems.push(`add ${id} changed the tree: ${changed.join(', ')}`);
        }
        expect(ids.length).toBeGreaterThan(0);
        expect(problems.length, problems.join('\n\n')).toBe(0);
      }, 300_000);
    } else {
      it(`add <each pattern of its share of list --json> --yes writes each one`, async () => {
        const { fx: f } = state();
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) {
          const target = spec.targets?.[id];
          const snapshot = requiresNodeTypes(loadPattern(id)) ? snapshotTree(f.dir) : null;
          const r = await runCli(['add', id, ...(target === undefined ? [] : [target]), '--yes', '--json'], f.dir);
          // A Node-only module (thread-pool) in a project that sees no Node types (an isomorphic library): refused with
          // the one-line fix, nothing written. It is not an add the later checks judge.
          const refusal = snapshot !== null && r.exitCode === 2 ? parseJson<{ error: { code: string; message: string } }>(`add ${id} --json`, r).error : null;
          if (refusal?.code === 'ERR_UNMET_SETTING' && refusal.message.includes('"types": ["node"]') && snapshot !== null) {
            expect(diffTrees(snapshot, snapshotTree(f.dir)), `add ${id} was refused but changed the tree`).toEqual([]);
            continue;
          }
          let files: string[] = [];
          if (r.exitCode === 0) files = parseJson<{ files: { path: string }[] }>(`add ${id} --json`, r).files.map((x) => x.path);
          adds.push({ pattern: id, dir: target ?? DEFAULT_DIR, result: r, files });
        }
        const failed = adds.filter((a) => a.result.exitCode !== 0);
        expect(failed.map((a) => a.pattern), failed.map((a) => show(`add ${a.pattern} --yes`, a.result)).join('\n\n')).toEqual([]);
      }, 300_000);
    }

    if (spec.expect.outcome === 'added') {
      const profile = spec.expect.profile;

      const ext = profile.extension ?? '.ts';
      it(`add follows the project's conventions: *.${profile.testNaming}${ext}, ${profile.importStyle ?? 'any'} import specifiers, top-level import type`, () => {
        const { fx: f } = state();
        const problems: string[] = [];
        for (const a of written()) {
          const expected = [`${a.dir}/${a.pattern}${ext}`, `${a.dir}/${a.pattern}.${profile.testNaming}${ext}`];
          for (const path of expected) if (!a.files.includes(path)) problems.push(`add ${a.pattern}: expected ${path} among ${JSON.stringify(a.files)}`);
          for (const path of a.files) {
            if (!existsSync(join(f.dir, path))) {
              problems.push(`add ${a.pattern} reported ${path}, which is not on disk`);
              continue;
            }
            const text = f.read(path);
            const inline = text.split('\n').filter((l) => /^\s*import\s*\{[^}]*\btype\s/.test(l));
            if (inline.length > 0) problems.push(`${path}: inline type imports (the project wants top-level import type):\n  ${inline.join('\n  ')}`);
            const specifiers = [...text.matchAll(/from\s+['"](\.\.?\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
            const style = profile.importStyle;
            const wrong = specifiers.filter((s) => (style === 'js' ? !s.endsWith('.js') : style === 'ts' ? !s.endsWith('.ts') : style === 'none' ? /\.[cm]?[jt]s$/.test(s) : false));
            if (wrong.length > 0) problems.push(`${path}: relative imports ${JSON.stringify(wrong)} do not follow the project's style (${String(style)})`);
          }
        }
        expect(problems.length, problems.join('\n')).toBe(0);
      });

      it(`its own type-check passes after add (${spec.scripts.typecheck})`, async () => {
        written();
        const r = await state().fx.script(spec.scripts.typecheck);
        expect(r.exitCode, show(`run ${spec.scripts.typecheck}`, r)).toBe(0);
      }, 300_000);

      const { lint, format } = spec.scripts;
      if (lint !== undefined) {
        it(`its own linter passes after add (${lint})`, async () => {
          written();
          const r = await state().fx.script(lint);
          expect(r.exitCode, show(`run ${lint}`, r)).toBe(0);
        }, 300_000);
      }
      if (format !== undefined) {
        it(`its own formatter check passes after add (${format})`, async () => {
          written();
          const r = await state().fx.script(format);
          expect(r.exitCode, show(`run ${format}`, r)).toBe(0);
        }, 300_000);
      }

      it('verify (no paths) passes every added module and writes nothing into the project', async () => {
        const { fx: f } = state();
        const ok = written();
        const snapshot = snapshotTree(f.dir);
        const r = await runCli(['verify', '--json'], f.dir, { timeoutMs: 400_000 });
        const report = parseJson<{
          ok: boolean;
          runner: { vitest: string; source: string } | null;
          modules: { pattern: string; file: string; ok: boolean; tests: { failures: unknown[] } | null; leaks: unknown[]; checklist: { id: string; status: string; provedBy?: string }[] }[];
        }>('verify --json', r);
        // What failed, module by module: the JSON itself is cut long before the module that failed when it is not the first.
        const failing = report.modules
          .filter((m) => !m.ok)
          .map((m) => JSON.stringify({ pattern: m.pattern, failures: m.tests?.failures, leaks: m.leaks, failedItems: m.checklist.filter((c) => c.status === 'fail') }, null, 2));
        const found = report.modules.map((m) => m.pattern).sort();
        expect(found, `verify found ${JSON.stringify(report.modules.map((m) => m.file))}\n${show('verify', r)}`).toEqual(ok.map((a) => a.pattern).sort());
        expect({ exitCode: r.exitCode, ok: report.ok }, `${failing.join('\n')}\n${show('verify --json', r)}`).toEqual({ exitCode: 0, ok: true });
        expect(diffTrees(snapshot, snapshotTree(f.dir)), 'verify changed the project').toEqual([]);
        const runner = profile.testRunner?.source;
        if (runner !== undefined) expect(report.runner?.source, `verify says it ran ${JSON.stringify(report.runner)}`).toBe(runner);
      }, 450_000);

      it('add changed no file the project already had (concurrency-kit.json aside)', () => {
        const { fx: f } = state();
        written();
        expect(diffTrees(before, preexisting(snapshotTree(f.dir), before))).toEqual([]);
      });
    }

    it('info --json describes the project', async () => {
      const { fx: f } = state();
      const { extension = '.ts', ...profile } = spec.expect.profile;
      const r = await runCli(['info', '--json'], f.dir);
      const doc = parseJson<Record<string, unknown>>('info --json', r);
      const ok = spec.expect.outcome === 'added' ? written() : [];
      const expected = {
        root: f.dir,
        targetDir: DEFAULT_DIR,
        ...profile,
        compiler: { ...profile.compiler, ...(profile.compiler.version.startsWith('7.') ? { via: 'tsc' } : {}) },
        modules: ok.map((a) => ({ pattern: a.pattern, file: `${a.dir}/${a.pattern}${extension}`, status: 'current' })).sort((x, y) => x.pattern.localeCompare(y.pattern)),
      };
      const sorted = { ...doc, modules: Array.isArray(doc['modules']) ? [...(doc['modules'] as { pattern: string }[])].sort((x, y) => x.pattern.localeCompare(y.pattern)) : doc['modules'] };
      expect(sorted, `info --json printed:\n${JSON.stringify(doc, null, 2)}\n${r.stderr}`).toMatchObject(expected);
    }, 120_000);

    more?.(state);
  });
}

/** What the fixture-specific tests can read. */
export interface FixtureState {
  readonly fx: Fixture;
  /** The fixture's share of the pattern ids from `list --json`. */
  readonly ids: readonly string[];
  readonly adds: readonly AddRun[];
  /** The tree before any `add`. */
  readonly before: Readonly<Record<string, string>>;
}

/** Paths added, removed or changed between two snapshots. */
export function diffTrees(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [path, hash] of Object.entries(a)) if (b[path] !== hash) out.push(path in b ? `changed ${path}` : `removed ${path}`);
  for (const path of Object.keys(b)) if (!(path in a)) out.push(`added ${path}`);
  return out;
}
