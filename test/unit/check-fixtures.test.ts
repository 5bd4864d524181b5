/**
 * The fixture corpus of `check` (test/fixtures/check/<rule-id>/): every rule reports exactly the marked nodes of
 * its positives and nothing in its near-misses, with at least five of each.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { check, type CheckResult } from '../../src/check/engine.js';
import { RULES } from '../../src/check/rules/index.js';
import { posixRelative } from '../../src/paths.js';
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
      out.push({ ruleId, file: posixRelative(REPO, file), line: i + 1, column: at + MARKER.length + 1 });
      from = at + MARKER.length;
    }
  });
  return out;
}

let result: CheckResult;
beforeAll(async () => {
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
      const positives = join(FIXTURES, ruleId, 'positives.ts');
      const nearMisses = join(FIXTURES, ruleId, 'near-misses.ts');
      const expected = markers(ruleId, positives);
      expect(expected.length).toBeGreaterThanOrEqual(5);
      expect(readFileSync(nearMisses, 'utf8').match(/\/\/ near-miss:/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
      const folder = posixRelative(REPO, join(FIXTURES, ruleId));
      const actual = result.findings
        .filter((f) => f.file.startsWith(`${folder}/`))
        .map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line, column: f.column }));
      expect(actual).toEqual(expected);
    });
  }
});
