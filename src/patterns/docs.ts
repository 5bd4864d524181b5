/**
 * Documentation generated from the manifests, so the README's pattern table cannot drift from the code
 * (a unit test compares them; `node scripts/readme-table.mjs` prints the current table).
 */
import type { PatternManifest } from './manifest.js';
import { describeAccepted } from './options.js';

/** The markdown table of patterns and their options, as it appears in the README. */
export function patternTable(manifests: readonly PatternManifest[]): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = ['| pattern | what it generates | options (`--set key=value`) |', '| --- | --- | --- |'];
  for (const m of manifests) {
    const options = m.options.map((o) => `\`${o.name}\` (${escape(describeAccepted(o))}; default \`${String(o.default)}\`)`).join('<br>');
    lines.push(`| \`${m.id}\` | ${escape(m.description)} | ${options || '—'} |`);
  }
  return lines.join('\n');
}

/**
 * `skills/concurrency-kit/references/patterns.md`: one section per pattern, for an agent choosing and using one —
 * what it is, the command, its options, what `verify` proves about it and its budget. Generated from the manifests
 * (`node scripts/skill-patterns.mjs` writes it); a unit test fails while the file differs.
 */
export function patternReference(manifests: readonly PatternManifest[]): string {
  const out = [
    '# Patterns',
    '',
    '<!-- Generated from templates/*/manifest.json by `node scripts/skill-patterns.mjs`; edit the manifests, not this file. -->',
    '',
    'Each pattern is generated into the project as source it owns (no runtime dependency), with a vitest test and a',
    'benchmark. Add one with `npx concurrency-kit add <pattern> --yes --json`; prove it with',
    '`npx concurrency-kit verify --json` (add `--bench` for the budget).',
    '',
    ...manifests.map((m) => `- [\`${m.id}\`](#${m.id})`),
  ];
  for (const m of manifests) {
    out.push('', `## ${m.id}`, '', m.description, '', '```bash', `npx concurrency-kit add ${m.id} --yes --json`, '```', '');
    out.push(`Primary export: \`${m.defaultName}\` (rename with \`--name\`).`);
    for (const c of m.companions) out.push('', `Also writes \`${m.id}.${c.role}.ts\` (${c.with === 'module' ? 'always, with the module' : 'with the test and bench'}): ${c.description}`);
    if (m.testDependencies.length > 0) out.push('', `Its test and bench also need ${m.testDependencies.map((d) => `\`${d}\``).join(', ')} declared as a dev dependency (\`add --install\` installs it).`);
    if (m.options.length > 0) {
      out.push('', 'Options (`--set key=value`):', '');
      for (const o of m.options) out.push(`- \`${o.name}\`: ${o.description.replace(/\.?$/, '.')} Accepts ${describeAccepted(o)}; default \`${String(o.default)}\`.`);
    }
    const proofs = Object.entries(m.checklist.proofs);
    out.push('', `What \`verify\` proves (items of \`${m.checklist.agent}\`):`, '');
    for (const [id, p] of proofs) {
      const how = [...(p.tests.length > 0 ? [`tests ${p.tests.map((t) => `\`${t}\``).join(', ')}`] : []), ...(p.leaks ? ['the leak check'] : []), ...(p.bench ? ['the benchmark'] : [])];
      out.push(`- \`${id}\`: ${how.join('; ')}`);
    }
    const b = m.budget;
    out.push(
      '',
      `Budget (\`verify --bench\`): at least ${b.throughputOpsPerSec.toLocaleString('en-US')} ops/s; under an open load of ${b.ratePerSec.toLocaleString('en-US')} requests/s, under ${String(b.p99Ms)} ms added at p99 over a no-op baseline and p99 under ${String(b.p99CeilingMs)} ms; heap growth under ${b.heapGrowthBytes.toLocaleString('en-US')} bytes.`,
    );
  }
  return `${out.join('\n')}\n`;
}
