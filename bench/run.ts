/**
 * `npm run bench`: renders every pattern's module with its defaults into bench/.generated/, then runs each
 * pattern's peer comparison (bench/<pattern>.ts, exporting `scenarios()`), printing a table and a JSON document
 * (also written to bench/results/latest.json).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listPatterns } from '../src/patterns/registry.js';
import type { ScenarioResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const generated = join(here, '.generated');
const only = process.argv.slice(2);
// Every pattern in templates/ has its peer comparison in bench/<pattern>.ts; `npm run bench -- channel mutex` runs a subset.
const known = listPatterns().map((m) => m.id);
const unknown = only.filter((p) => !known.includes(p));
if (unknown.length > 0) throw new Error(`unknown pattern(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
const patterns = known.filter((p) => only.length === 0 || only.includes(p));

for (const id of patterns) {
  execFileSync(process.execPath, ['--import', 'tsx', join(here, '..', 'scripts', 'dev-render.ts'), id, generated], { stdio: 'ignore' });
}

const results: ScenarioResult[] = [];
for (const id of patterns) {
  const file = join(here, `${id}.ts`);
  if (!existsSync(file)) throw new Error(`missing ${file}`);
  const mod = (await import(pathToFileURL(file).href)) as { scenarios: () => Promise<ScenarioResult[]> };
  for (const result of await mod.scenarios()) {
    results.push(result);
    for (const r of result.ratios) {
      const target = r.target === null ? '' : ` (target >= ${r.target}x: ${r.met ? 'met' : 'MISSED'})`;
      process.stderr.write(`  ${result.pattern} ${result.scenario} vs ${r.peer}: ${r.ratio.toFixed(2)}x${target}\n`);
    }
  }
}

const rows = results.flatMap((res) =>
  res.ratios.map((r) => ({
    pattern: res.pattern,
    scenario: res.scenario,
    'ours ops/s': Math.round(res.opsPerSec[res.subject]!).toLocaleString('en-US'),
    peer: r.peer,
    'peer ops/s': Math.round(res.opsPerSec[r.peer]!).toLocaleString('en-US'),
    ratio: `${r.ratio.toFixed(2)}x`,
    target: r.target === null ? '-' : `>= ${r.target}x`,
    met: r.met === null ? '-' : r.met ? 'yes' : 'NO',
  })),
);
console.table(rows);
const json = { node: process.version, cpus: (await import('node:os')).cpus().length, results };
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
console.log(JSON.stringify(json, null, 2));
