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
