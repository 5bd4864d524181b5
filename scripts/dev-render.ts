// Template authors' helper: renders one pattern with its defaults into a folder, without the CLI.
// Usage: npx tsx scripts/dev-render.ts <pattern> <outDir> [--cjs] [--no-dispose]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPattern, rolesFor, templateOf } from '../src/patterns/registry.js';
import { fileNameFor } from '../src/generate/plan.js';
import { renderTemplate } from '../src/generate/render.js';
import { defaultContext } from '../src/generate/context.js';

const [id, outDir] = process.argv.slice(2);
if (!id || !outDir) throw new Error('usage: tsx scripts/dev-render.ts <pattern> <outDir> [--cjs] [--no-dispose]');
const cjs = process.argv.includes('--cjs');
const pattern = loadPattern(id);
const context = defaultContext(pattern.manifest, { moduleFormat: cjs ? 'cjs' : 'esm', asyncDispose: !process.argv.includes('--no-dispose') }, '0.0.0-dev');
mkdirSync(outDir, { recursive: true });
for (const role of rolesFor(pattern.manifest, { test: true, bench: true })) {
  const name = fileNameFor(id, role);
  writeFileSync(join(outDir, name), renderTemplate(templateOf(pattern, role), context, `${id}/${role}.ts.hbs`));
  console.log(join(outDir, name));
}
