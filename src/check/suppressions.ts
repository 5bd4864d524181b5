/**
 * `// concurrency-kit-ignore-next-line <rule-id>[,<rule-id>…] -- <reason>` silences those rules' findings on the
 * next line. A suppression without a reason, and one that silences nothing, are findings of their own.
 */

/** The comment's keyword. */
export const SUPPRESSION_KEYWORD = 'concurrency-kit-ignore-next-line';

/** Rule id of a suppression that gives no reason. */
export const SUPPRESSION_REASON_RULE = 'suppression.reason';
/** Rule id of a suppression that silences no finding. */
export const SUPPRESSION_UNUSED_RULE = 'suppression.unused';

/** One suppression comment. */
export interface Suppression {
  /** 1-based line of the comment. */
  readonly line: number;
  /** 1-based column where the comment starts. */
  readonly column: number;
  /** 1-based column where the comment ends (exclusive). */
  readonly endColumn: number;
  /** Rule ids named. */
  readonly ruleIds: readonly string[];
  /** The reason after `--`, or null when missing. */
  readonly reason: string | null;
  /** The comment text, for fingerprints. */
  readonly text: string;
}

const COMMENT = new RegExp(`^(\\s*)(//\\s*${SUPPRESSION_KEYWORD}\\b(.*))$`);

/** Finds the suppression comments of a file (each on a line of its own). */
export function parseSuppressions(text: string): Suppression[] {
  const out: Suppression[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = COMMENT.exec(lines[i] ?? '');
    if (!match) continue;
    const indent = match[1] ?? '';
    const comment = (match[2] ?? '').trimEnd();
    const rest = match[3] ?? '';
    const separator = rest.indexOf('--');
    const idsPart = separator === -1 ? rest : rest.slice(0, separator);
    const reason = separator === -1 ? '' : rest.slice(separator + 2).trim();
    const ruleIds = idsPart
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter((s) => s !== '');
    out.push({ line: i + 1, column: indent.length + 1, endColumn: indent.length + comment.length + 1, ruleIds, reason: reason === '' ? null : reason, text: comment });
  }
  return out;
}
