/**
 * Human and machine output. Results go to stdout, diagnostics and progress to stderr; under `--json`
 * stdout receives exactly one JSON document (errors included). Colour only on a TTY, never under CI or NO_COLOR.
 */
import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Whether colour may be used on the given stream. */
export function colourEnabled(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env['NO_COLOR'] && !process.env['CI'] && process.env['TERM'] !== 'dumb';
}

/** Output channel of one command run. */
export class Output {
  /** True under `--json`. */
  readonly json: boolean;
  #jsonWritten = false;
  readonly #colourOut = colourEnabled(process.stdout);
  readonly #colourErr = colourEnabled(process.stderr);

  constructor(json: boolean) {
    this.json = json;
  }

  /** Styles text for stdout when colour is enabled. */
  style(format: Style, text: string): string {
    return this.#colourOut ? styleText(format, text) : text;
  }

  /** A progress or diagnostic line on stderr. */
  progress(message: string): void {
    process.stderr.write(`${this.#colourErr ? styleText('dim', message) : message}\n`);
  }

  /** A warning on stderr. */
  warn(message: string): void {
    process.stderr.write(`${this.#colourErr ? styleText('yellow', 'warning') : 'warning'}: ${message}\n`);
  }

  /** An error on stderr (human mode only; under --json the error is the JSON document). */
  error(message: string): void {
    process.stderr.write(`${this.#colourErr ? styleText('red', 'error') : 'error'}: ${message}\n`);
  }

  /** A human result line on stdout (ignored under --json). */
  print(text: string): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  /** The one JSON document of this run (a second call is a bug and throws). */
  printJson(document: unknown): void {
    if (this.#jsonWritten) throw new Error('internal: a second JSON document was about to be printed');
    this.#jsonWritten = true;
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }

  /** Whether the JSON document has been printed. */
  get jsonWritten(): boolean {
    return this.#jsonWritten;
  }
}

/** Lays out rows as an aligned plain-text table; with `headers: null`, rows only (aligned as a key-value block). */
export function table(headers: readonly string[] | null, rows: readonly (readonly string[])[]): string {
  if (headers === null) return table(rows[0]?.map(() => '') ?? [], rows).split('\n').slice(2).join('\n');
  // eslint-disable-next-line no-control-regex
  const visible = (s: string): number => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  const widths = headers.map((h, i) => Math.max(visible(h), ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visible(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
