/**
 * The baseline: today's findings recorded by fingerprint, so a team adopts `check` and fails only on new findings.
 * A fingerprint hashes the rule, the file, the name of the enclosing function, the node's source text with
 * whitespace normalised, and the occurrence index of that combination in the file: it survives moving code up or
 * down, and changes when the code itself changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Finding } from '../report/finding.js';

/** The parts a fingerprint is made of. */
export interface FingerprintParts {
  readonly ruleId: string;
  readonly file: string;
  readonly functionName: string;
  readonly text: string;
  readonly occurrence: number;
}

/** A 32-hex-digit fingerprint. */
export function fingerprint(parts: FingerprintParts): string {
  const text = parts.text.replace(/\s+/g, ' ').trim();
  return createHash('sha256').update([parts.ruleId, parts.file, parts.functionName, text, String(parts.occurrence)].join('\n')).digest('hex').slice(0, 32);
}

/** The baseline file's shape. */
export interface BaselineFile {
  readonly schemaVersion: 1;
  readonly tool: string;
  readonly findings: readonly { readonly ruleId: string; readonly file: string; readonly fingerprint: string }[];
}

/** The baseline of `findings`, as text. */
export function serializeBaseline(tool: string, findings: readonly Finding[]): string {
  const entries = findings
    .map((f) => ({ ruleId: f.ruleId, file: f.file, fingerprint: f.fingerprint }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  const doc: BaselineFile = { schemaVersion: 1, tool, findings: entries };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Reads the fingerprints of a baseline file.
 * @throws {@link UsageError} when the file is missing or is not a baseline.
 */
export function readBaseline(path: string, shown: string): Set<string> {
  if (!existsSync(path)) throw new UsageError(`Baseline ${shown} does not exist; create it with --update-baseline.`, 'ERR_BASELINE');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`Baseline ${shown} is not valid JSON: ${(error as Error).message}`, 'ERR_BASELINE');
  }
  const findings = typeof doc === 'object' && doc !== null ? (doc as { findings?: unknown }).findings : undefined;
  if ((doc as { schemaVersion?: unknown } | null)?.schemaVersion !== 1 || !Array.isArray(findings)) {
    throw new UsageError(`Baseline ${shown} is not a concurrency-kit baseline (expected { "schemaVersion": 1, "findings": [...] }).`, 'ERR_BASELINE');
  }
  const out = new Set<string>();
  for (const entry of findings) {
    const fp = typeof entry === 'object' && entry !== null ? (entry as { fingerprint?: unknown }).fingerprint : undefined;
    if (typeof fp !== 'string') throw new UsageError(`Baseline ${shown}: every finding needs a "fingerprint" string.`, 'ERR_BASELINE');
    out.add(fp);
  }
  return out;
}
