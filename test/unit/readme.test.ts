import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPatterns } from '../../src/patterns/registry.js';
import { patternTable } from '../../src/patterns/docs.js';
import { REPO } from '../helpers/temp-project.js';

describe('README', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

  it('opens with the main-job and test commands', () => {
    const firstBlock = /```(?:bash|sh)?\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npm ci && npm run demo');
    expect(firstBlock).toContain('npm test');
  });

  it('has the pattern table generated from the manifests (node scripts/readme-table.mjs)', () => {
    const block = /<!-- patterns:start -->\n([\s\S]*?)\n<!-- patterns:end -->/.exec(readme)?.[1];
    expect(block).toBe(patternTable(listPatterns()));
  });
});
