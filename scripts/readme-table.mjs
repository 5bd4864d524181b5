// Prints the README's pattern table from the manifests (run `npm run build` first). Paste it between the
// <!-- patterns:start --> and <!-- patterns:end --> markers; test/unit/readme.test.ts fails while they differ.
import { listPatterns } from '../dist/patterns/registry.js';
import { patternTable } from '../dist/patterns/docs.js';

console.log(patternTable(listPatterns()));
