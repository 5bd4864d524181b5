/**
 * Human and machine output. Results go to stdout, diagnostics and progress to stderr; under `--json` stdout
 * receives exactly one JSON document (errors included). Human text wraps at the terminal's width (80 columns when
 * the stream is not a terminal). Colour only on a TTY, never under CI, NO_COLOR, TERM=dumb or `--json`.
 */
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Colours `text`; whether colour is wanted was decided by {@link colourEnabled} for the stream it goes to. */
function paint(format: Style, text: string): string {
  return styleText(format, text, { validateStream: false });
}

/** The part of a stream output needs: where to write, whether it is a terminal, how wide it is. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Where an {@link Output} writes, and the environment that decides colour (the process's by default). */
export interface OutputTarget {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Width human text wraps at when the stream is not a terminal (columns). */
export const DEFAULT_WIDTH = 80;
/** Narrowest width text is wrapped to, however narrow the terminal says it is (columns). */
const MIN_WIDTH = 20;

/** The width to wrap at on `stream`: its columns on a terminal, else {@link DEFAULT_WIDTH}. */
export function terminalWidth(stream: OutputStream): number {
  const columns = stream.isTTY === true ? stream.columns : undefined;
  return Math.max(MIN_WIDTH, columns !== undefined && columns > 0 ? columns : DEFAULT_WIDTH);
}

/** Whether colour may be used on `stream`: a TTY, and none of CI, NO_COLOR (non-empty) or TERM=dumb. */
export function colourEnabled(stream: OutputStream, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return stream.isTTY === true && !env['NO_COLOR'] && !env['CI'] && env['TERM'] !== 'dumb';
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Length of `text` as shown: ANSI colour codes take no columns. */
export function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/**
 * Wraps one line at `width` columns, between words. Continuation lines keep the line's own indentation plus
 * `hang` spaces (none when that would take more than half the width). A word is never broken: a path or URL longer
 * than a line stays whole (and copyable) on a line of its own.
 */
function wrapLine(line: string, width: number, hang: number): string[] {
  if (visibleLength(line) <= width) return [line];
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const continuation = indent.length + hang > width / 2 ? '' : indent + ' '.repeat(hang);
  const out: string[] = [];
  let current = indent;
  let hasWord = false;
  for (const word of line.slice(indent.length).split(/ +/)) {
    if (word === '') continue;
    if (hasWord && visibleLength(current) + 1 + visibleLength(word) > width) {
      out.push(current);
      current = continuation;
      hasWord = false;
    }
    current = hasWord ? `${current} ${word}` : current + word;
    hasWord = true;
  }
  out.push(current);
  return out;
}

/**
 * Wraps text at `width` columns: each line on its own (see {@link wrapLine}); lines that fit are left as they are.
 * @param hang - extra indentation of continuation lines (columns)
 */
export function wrap(text: string, width: number, hang = 0): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width, hang))
    .join('\n');
}

/**
 * Lays out rows as an aligned plain-text table of at most `width` columns; with `headers: null`, rows only
 * (aligned as a key-value block). A cell may hold several lines (`\n`). When the natural layout is too wide, the
 * widest columns are narrowed and their cells wrapped between words.
 */
export function table(headers: readonly string[] | null, rows: readonly (readonly string[])[], width = Number.POSITIVE_INFINITY): string {
  const all = headers === null ? rows : [headers, ...rows];
  const columns = Math.max(0, ...all.map((r) => r.length));
  if (columns === 0) return '';
  const cellLines = (cell: string): string[] => cell.split('\n');
  const natural = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.flatMap((r) => cellLines(r[i] ?? '').map(visibleLength))));
  const widths = [...natural];
  const gap = 2;
  const available = width - gap * (columns - 1);
  // The narrowest a column is made: its longest header word, and at most 12 columns (longer words are broken).
  const floor = natural.map((n, i) => Math.min(n, Math.max(headers === null ? 0 : visibleLength(headers[i] ?? ''), 12)));
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > available) {
    let widest = -1;
    for (let i = 0; i < columns; i++) if ((widths[i] ?? 0) > (floor[i] ?? 0) && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0))) widest = i;
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
    total--;
  }
  const renderRow = (cells: readonly string[]): string[] => {
    const wrapped = Array.from({ length: columns }, (_, i) => cellLines(cells[i] ?? '').flatMap((l) => wrapLine(l, widths[i] ?? 0, 0)));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, line) =>
      wrapped
        .map((w, i) => {
          const text = w[line] ?? '';
          return i === columns - 1 ? text : text + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleLength(text)));
        })
        .join(' '.repeat(gap))
        .trimEnd(),
    );
  };
  const lines = headers === null ? [] : [...renderRow(headers), renderRow(widths.map((w) => '-'.repeat(w)))[0] ?? ''];
  for (const row of rows) lines.push(...renderRow(row));
  return lines.join('\n');
}

/** Output channel of one command run. */
export class Output {
  /** True under `--json`. */
  readonly json: boolean;
  /** Columns human text on stdout wraps at. */
  readonly width: number;
  #jsonWritten = false;
  readonly #target: OutputTarget;
  readonly #colourOut: boolean;
  readonly #colourErr: boolean;
  readonly #errWidth: number;

  /**
   * @param json - `--json`: stdout gets exactly one JSON document and nothing is coloured
   * @param target - where to write (the process's stdout, stderr and environment by default)
   */
  constructor(json: boolean, target: OutputTarget = { stdout: process.stdout, stderr: process.stderr, env: process.env }) {
    this.json = json;
    this.#target = target;
    this.#colourOut = !json && colourEnabled(target.stdout, target.env);
    this.#colourErr = !json && colourEnabled(target.stderr, target.env);
    this.width = terminalWidth(target.stdout);
    this.#errWidth = terminalWidth(target.stderr);
  }

  /** Styles text for stdout when colour is enabled. */
  style(format: Style, text: string): string {
    return this.#colourOut ? paint(format, text) : text;
  }

  /** A progress or diagnostic line on stderr. */
  progress(message: string): void {
    this.#target.stderr.write(`${wrap(this.#colourErr ? paint('dim', message) : message, this.#errWidth, 2)}\n`);
  }

  /** A warning on stderr. */
  warn(message: string): void {
    this.#target.stderr.write(`${wrap(`${this.#colourErr ? paint('yellow', 'warning') : 'warning'}: ${message}`, this.#errWidth, 2)}\n`);
  }

  /** An error on stderr (human mode only; under --json the error is the JSON document). */
  error(message: string): void {
    this.#target.stderr.write(`${wrap(`${this.#colourErr ? paint('red', 'error') : 'error'}: ${message}`, this.#errWidth, 2)}\n`);
  }

  /**
   * Human result text on stdout, wrapped at {@link Output.width} (ignored under --json).
   * @param hang - extra indentation of a wrapped line's continuation (columns)
   */
  print(text: string, hang = 2): void {
    if (!this.json) this.#target.stdout.write(`${wrap(text, this.width, hang)}\n`);
  }

  /**
   * A shell command for the user to run, after `label` (e.g. `Next:`). Never wrapped, since a line break would split
   * the command when it is copied: when it does not fit after the label, it goes on its own line.
   */
  command(label: string, command: string): void {
    if (this.json) return;
    const line = `${label} ${command}`;
    this.#target.stdout.write(visibleLength(line) <= this.width ? `${line}\n` : `${label}\n  ${command}\n`);
  }

  /** A table (see {@link table}) that fits stdout, less `indent` columns the caller will prefix. */
  table(headers: readonly string[] | null, rows: readonly (readonly string[])[], indent = 0): string {
    return table(headers, rows, this.width - indent);
  }

  /** The one JSON document of this run (a second call is a bug and throws). */
  printJson(document: unknown): void {
    if (this.#jsonWritten) throw new Error('internal: a second JSON document was about to be printed');
    this.#jsonWritten = true;
    this.#target.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }

  /** Whether the JSON document has been printed. */
  get jsonWritten(): boolean {
    return this.#jsonWritten;
  }
}
