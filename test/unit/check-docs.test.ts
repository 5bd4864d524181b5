/** docs/check-rules.md is rendered from the rules, with one anchor per rule (the SARIF helpUri targets). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesMarkdown } from '../../src/check/docs.js';
import { ruleAnchor, ruleInfos } from '../../src/check/engine.js';
import { REPO } from '../helpers/temp-project.js';

describe('docs/check-rules.md', () => {
  it('is the rendered rule documentation (regenerate: node scripts/check-rules-doc.mjs > docs/check-rules.md)', () => {
    expect(readFileSync(join(REPO, 'docs', 'check-rules.md'), 'utf8')).toBe(rulesMarkdown(ruleInfos()));
  });

  it('is also the README\'s check-rules section, where the SARIF helpUri anchors point (node scripts/check-rules-doc.mjs --readme)', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const block = /<!-- check-rules:start[^>]*-->\n([\s\S]*?)\n<!-- check-rules:end -->/.exec(readme)?.[1];
    expect(`${block ?? ''}\n`).toBe(rulesMarkdown(ruleInfos()));
  });

  it('has the anchor every helpUri points at', () => {
    const text = rulesMarkdown(ruleInfos());
    for (const rule of ruleInfos()) {
      const anchor = rule.helpUri.split('#')[1] ?? '';
      expect(text, rule.id).toContain(`<a id="${anchor}"></a>`);
      if (!rule.id.startsWith('suppression.')) expect(anchor).toBe(ruleAnchor(rule.id));
    }
  });
});
