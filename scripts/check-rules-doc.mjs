// Prints docs/check-rules.md from the rules (run `npm run build` first):
//   node scripts/check-rules-doc.mjs > docs/check-rules.md
// With --readme it instead rewrites the README's section between the check-rules markers (the SARIF helpUri
// anchors point there). test/unit/check-docs.test.ts fails while either differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ruleInfos } from '../dist/check/engine.js';
import { rulesMarkdown } from '../dist/check/docs.js';

const markdown = rulesMarkdown(ruleInfos());
if (process.argv.includes('--readme')) {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
  const readme = readFileSync(file, 'utf8');
  const block = /(<!-- check-rules:start[^>]*-->\n)[\s\S]*?(\n<!-- check-rules:end -->)/;
  if (!block.test(readme)) throw new Error('README.md has no check-rules markers');
  writeFileSync(file, readme.replace(block, (_m, open, close) => `${open}${markdown.replace(/\n$/, '')}${close}`));
} else {
  process.stdout.write(markdown);
}
