/**
 * The fixture corpus of `check` (test/fixtures/check/<rule-id>/): every rule reports exactly the marked nodes of
 * its positives and nothing in its near-misses, with at least five of each. Files named like tests (`*.test.ts`,
 * `*.spec.ts`, under `test/`, `tests/`, `__tests__/`) show each rule's scope: a scale rule's test-file near-misses
 * are reported only with `includeTests`, a correctness rule's test-file positives always.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/check/engine.js';
import { RULES } from '../../src/check/rules/index.js';
import { posixRelative } from '../../src/paths.js';
import { testFileMatcher } from '../../src/check/test-files.js';
import { REPO } from '../helpers/temp-project.js';

const FIXTURES = join(REPO, 'test', 'fixtures', 'check');
const MARKER = '/*!*/';

interface Expected {
  readonly ruleId: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

function markers(ruleId: string, file: string): Expected[] {
  const text = readFileSync(file, 'utf8');
  const out: Expected[] = [];
  text.split('\n').forEach((line, i) => {
    let from = 0;
    for (;;) {
      const at = line.indexOf(MARKER, from);
      if (at === -1) break;
      out.push({ ruleId, file: posixRelative(FIXTURES, file), line: i + 1, column: at + MARKER.length + 1 });
      from = at + MARKER.length;
    }
  });
  return out;
}

/** The `.ts` files of a rule's folder, at any depth, whose name starts with `prefix`, sorted. */
function filesOf(ruleId: string, prefix: string): string[] {
  return readdirSync(join(FIXTURES, ruleId), { recursive: true, encoding: 'utf8' })
    .filter((f) => basename(f).startsWith(prefix) && f.endsWith('.ts'))
    .map((f) => join(FIXTURES, ruleId, f))
    .sort();
}

const nearMissCount = (file: string): number => readFileSync(file, 'utf8').match(/\/\/ near-miss:/g)?.length ?? 0;
const byPlace = (a: Expected, b: Expected): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column);

let result: CheckResult;
beforeAll(async () => {
  // test/fixtures/check has its own package.json, so it is the project root and its paths are root-relative.
  result = await check({ cwd: FIXTURES });
});

const folders = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('check fixtures', () => {
  it('every rule has a fixture folder, and every folder is a rule', () => {
    expect(folders).toEqual(RULES.map((r) => r.id).sort());
  });

  for (const ruleId of folders) {
    it(`${ruleId}: reports exactly the marked positives and none of the near-misses`, () => {
      const expected = filesOf(ruleId, 'positives').flatMap((file) => markers(ruleId, file)).sort(byPlace);
      expect(expected.length).toBeGreaterThanOrEqual(5);
      expect(filesOf(ruleId, 'near-misses').reduce((n, file) => n + nearMissCount(file), 0)).toBeGreaterThanOrEqual(5);
      const actual = result.findings
        .filter((f) => f.file.startsWith(`${ruleId}/`))
        .map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line, column: f.column }))
        .sort(byPlace);
      expect(actual).toEqual(expected);
    });
  }
});

describe('check fixtures: rule scope in test files', () => {
  const isTest = testFileMatcher();
  const testFiles = folders.flatMap((ruleId) => [...filesOf(ruleId, 'positives'), ...filesOf(ruleId, 'near-misses')].map((file) => ({ ruleId, file: posixRelative(FIXTURES, file) }))).filter((f) => isTest(f.file));

  it('a scale rule and a correctness rule each have test-file fixtures', () => {
    const scopeOf = new Map(RULES.map((r) => [r.id, r.scope]));
    expect(testFiles.filter((f) => scopeOf.get(f.ruleId) === 'non-test' && basename(f.file).startsWith('near-misses')).length).toBeGreaterThanOrEqual(5);
    expect(testFiles.filter((f) => scopeOf.get(f.ruleId) === 'all' && basename(f.file).startsWith('positives')).length).toBeGreaterThanOrEqual(2);
  });

  it("with includeTests, each scale rule's test-file near-misses are reported: one finding per case, of that rule", async () => {
    const nearMisses = testFiles.filter((f) => basename(f.file).startsWith('near-misses'));
    const all = await check({ cwd: FIXTURES, includeTests: true, paths: nearMisses.map((f) => f.file) });
    for (const { ruleId, file } of nearMisses) {
      const found = all.findings.filter((f) => f.file === file).map((f) => f.ruleId);
      expect(found, file).toEqual(Array.from({ length: nearMissCount(join(FIXTURES, file)) }, () => ruleId));
    }
  });
});
