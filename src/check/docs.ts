/**
 * The documentation of `check`'s rules, rendered from the rules themselves (title from the checklist, rationale,
 * fix, default severity), so the docs cannot drift: `docs/check-rules.md` is this text, and a test fails while
 * they differ (`node scripts/check-rules-doc.mjs > docs/check-rules.md` after `npm run build` regenerates it).
 */
import type { RuleInfo } from '../report/finding.js';
import { ruleAnchor } from './engine.js';
import { SUPPRESSION_KEYWORD } from './suppressions.js';

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
    '| Rule | Default | Checklist item |',
    '| --- | --- | --- |',
    ...rules.map((r) => `| [\`${r.id}\`](#${ruleAnchor(r.id)}) | ${r.defaultSeverity} | ${r.title.replace(/\|/g, '\\|')} |`),
    '',
  ];
  for (const r of rules) {
    lines.push(`<a id="${ruleAnchor(r.id)}"></a>`, '', `### \`${r.id}\``, '', `**Checklist:** ${r.title}`, '', `**Why:** ${r.rationale}`, '', `**Fix:** ${r.fix}`, '', `Default severity: \`${r.defaultSeverity}\`${r.precision === undefined ? '' : ` (measured precision on four open-source code bases: ${r.precision}; see bench/check-precision.md)`}.`, '');
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
