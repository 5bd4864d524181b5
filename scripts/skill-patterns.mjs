// Writes skills/concurrency-kit/references/patterns.md from the manifests (run `npm run build` first);
// test/unit/skill.test.ts fails while the file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listPatterns } from '../dist/patterns/registry.js';
import { patternReference } from '../dist/patterns/docs.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'skills', 'concurrency-kit', 'references', 'patterns.md');
writeFileSync(file, patternReference(listPatterns()));
console.log(`wrote ${file}`);
