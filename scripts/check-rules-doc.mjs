// Prints docs/check-rules.md from the rules (run `npm run build` first):
//   node scripts/check-rules-doc.mjs > docs/check-rules.md
// test/unit/check-docs.test.ts fails while the file differs.
import { ruleInfos } from '../dist/check/engine.js';
import { rulesMarkdown } from '../dist/check/docs.js';

process.stdout.write(rulesMarkdown(ruleInfos()));
