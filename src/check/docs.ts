/**
 * The documentation of `check`'s rules, rendered from the rules themselves (title from the checklist, rationale,
 * fix, default severity), so the docs cannot drift: `docs/check-rules.md` is this text, and a test fails while
 * they differ (`node scripts/check-rules-doc.mjs > docs/check-rules.md` after `npm run build` regenerates it).
 */
import type { RuleInfo } from '../report/finding.js';
import { ruleAnchor } from './engine.js';
import { SUPPRESSION_KEYWORD } from './suppressions.js';
import { DEFAULT_TEST_FILES } from './test-files.js';

function scopeCell(rule: RuleInfo): string {
  return rule.scope === 'non-test' ? 'skipped' : 'checked';
}

/** The markdown page of every rule, each under an `id="check-<id>"` anchor. */
export function rulesMarkdown(rules: readonly RuleInfo[]): string {
  const lines = [
    '<a id="check-rules"></a>',
    '',
    '## `concurrency-kit check` rules',
    '',
    "`npx concurrency-kit check [paths...]` reads the project's own TypeScript with its own tsconfig and reports every place",
    'that breaks an item of the specialist checklist (`agents/concurrency-specialist.md`). Each rule id is a checklist item id.',
    'Exit codes: 0 clean, 1 findings at or above `--fail-on` (default `error`), 2 usage or project error.',
    '',
    '| Rule | Default | Test files | Checklist item |',
    '| --- | --- | --- | --- |',
    ...rules.map((r) => `| [\`${r.id}\`](#${ruleAnchor(r.id)}) | ${r.defaultSeverity} | ${scopeCell(r)} | ${r.title.replace(/\|/g, '\\|')} |`),
    '',
    '<a id="check-test-files"></a>',
    '',
    '**Test files.** The rules about scale and load (marked "skipped") do not run on test files: a test maps over a',
    'fixture-sized input, simulates latency with a delay nobody aborts and serves a few chunks, so their findings there',
    'are noise. The correctness rules (leaks, unhandled rejections, locks, races) run on tests too: a leak or a race is a',
    `bug in a test as well. Test files are those matching \`check.testFiles\` in concurrency-kit.json (globs relative to`,
    `the project root), by default ${DEFAULT_TEST_FILES.map((g) => `\`${g}\``).join(', ')}. \`--include-tests\` runs every rule`,
    'on them.',
    '',
  ];
  for (const r of rules) {
    lines.push(`<a id="${ruleAnchor(r.id)}"></a>`, '', `### \`${r.id}\``, '', `**Checklist:** ${r.title}`, '', `**Why:** ${r.rationale}`, '', ...(r.notReported === undefined ? [] : [`**Not reported:** ${r.notReported}`, '']), `**Fix:** ${r.fix}`, '', `**Test files:** ${r.scope === 'non-test' ? 'skipped (a rule about scale and load; `--include-tests` runs it there)' : 'checked (a correctness rule)'}.`, '', `Default severity: \`${r.defaultSeverity}\`${r.precision === undefined ? '' : ` (measured precision on open-source code bases: ${r.precision}; see bench/check-precision.md)`}.`, '');
  }
  lines.push(
    '<a id="check-suppressions"></a>',
    '',
    '### Suppressions and baseline',
    '',
    `\`// ${SUPPRESSION_KEYWORD} <rule-id> -- <reason>\` on the line before a finding silences it. A suppression without a`,
    'reason is reported (`suppression.reason`), and so is one that silences nothing (`suppression.unused`).',
    '',
    '`--baseline <file> --update-baseline` records today\'s findings; later runs with `--baseline <file>` report only new ones.',
    'A finding is recognised by a fingerprint of its rule, file, enclosing function and normalised source text, so it',
    'survives code moving up or down the file.',
    '',
  );
  return lines.join('\n');
}
