import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../src/shell.js';
import { Output, colourEnabled, table, terminalWidth, visibleLength, wrap, type OutputStream, type OutputTarget } from '../../src/cli/output.js';

/** A stream that records what is written. */
function sink(tty: boolean, columns?: number): OutputStream & { text: string } {
  const stream = {
    text: '',
    isTTY: tty,
    ...(columns !== undefined ? { columns } : {}),
    write(chunk: string): boolean {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

function target(options: { tty: boolean; columns?: number; env?: Record<string, string> }): OutputTarget & { stdout: { text: string }; stderr: { text: string } } {
  return { stdout: sink(options.tty, options.columns), stderr: sink(options.tty, options.columns), env: options.env ?? {} };
}

const longest = (text: string): number => Math.max(...text.split('\n').map(visibleLength));
const LONG = 'The kit scaffolds dependency-free concurrency modules into your own TypeScript project, each with its test and benchmark, and proves them on your machine.';

describe('wrapping', () => {
  it('breaks between words at the width, keeping the indentation plus the hang', () => {
    const wrapped = wrap(`  ${LONG}`, 40, 2);
    expect(longest(wrapped)).toBeLessThanOrEqual(40);
    const lines = wrapped.split('\n');
    expect(lines[0]).toMatch(/^ {2}The kit/);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {4}\S/);
    expect(wrapped.replace(/\s+/g, ' ').trim()).toBe(LONG);
  });

  it('leaves lines that fit as they are, and never breaks a word (a long path stays whole on its own line)', () => {
    expect(wrap('short line\n  indented', 80)).toBe('short line\n  indented');
    const path = `/tmp/${'x'.repeat(100)}/file.ts:12:3`;
    expect(wrap(`    at run (${path}) here`, 30)).toBe(`    at run\n    (${path})\n    here`);
  });

  it('does not count colour codes as columns', () => {
    const red = `\u001b[31m${'word '.repeat(3).trim()}\u001b[39m`;
    expect(visibleLength(red)).toBe(14);
    expect(wrap(red, 14)).toBe(red);
  });
});

describe('tables', () => {
  const rows = [
    ['concurrency', 'an integer from 1 to 1024', 'Handlers running at once (jobs).'],
    ['waitingCapacity', 'an integer from 0 to 1000000', LONG],
  ];

  it('align columns at their natural width when they fit', () => {
    expect(table(['option', 'accepts', 'description'], [['a', 'b', 'c'], ['long name', 'x', 'y']])).toBe(
      ['option     accepts  description', '---------  -------  -----------', 'a          b        c', 'long name  x        y'].join('\n'),
    );
  });

  it('fit the width by narrowing the widest column and wrapping its cells', () => {
    const text = table(['option', 'accepts', 'description'], rows, 80);
    expect(longest(text)).toBeLessThanOrEqual(80);
    expect(text.replace(/\s+/g, ' ')).toContain('dependency-free');
    // Continuation lines of a wrapped cell start at the column.
    const lines = text.split('\n');
    const column = lines[0]!.indexOf('description');
    const continuation = lines.slice(3).filter((l) => l.trimStart() !== l && !l.startsWith('waitingCapacity'));
    expect(continuation.length).toBeGreaterThan(0);
    for (const l of continuation) expect(l.length - l.trimStart().length).toBeGreaterThanOrEqual(column);
  });

  it('lay out multi-line cells, and rows without headers', () => {
    expect(table(null, [['a', 'one\ntwo'], ['bb', 'three']])).toBe('a   one\n    two\nbb  three');
  });
});

describe('Output', () => {
  it('wraps human text at 80 columns when stdout is not a terminal', () => {
    const t = target({ tty: false, columns: 200 });
    const out = new Output(false, t);
    expect(out.width).toBe(80);
    out.print(`${LONG} ${LONG}`);
    expect(longest(t.stdout.text)).toBeLessThanOrEqual(80);
    expect(t.stdout.text.split('\n').length).toBeGreaterThan(2);
  });

  it("wraps at the terminal's width on a TTY", () => {
    const t = target({ tty: true, columns: 50, env: { NO_COLOR: '1' } });
    const out = new Output(false, t);
    expect(out.width).toBe(50);
    out.warn(LONG);
    expect(longest(t.stderr.text)).toBeLessThanOrEqual(50);
    expect(t.stderr.text.startsWith('warning: ')).toBe(true);
  });

  it('colours only on a TTY, and never under NO_COLOR, CI, TERM=dumb or --json', () => {
    expect(colourEnabled({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: false, write: () => true }, {})).toBe(false);
    expect(colourEnabled({ isTTY: true, write: () => true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true, write: () => true }, { CI: 'true' })).toBe(false);
    expect(colourEnabled({ isTTY: true, write: () => true }, { TERM: 'dumb' })).toBe(false);
    const coloured = target({ tty: true, columns: 80 });
    new Output(false, coloured).error('boom');
    expect(coloured.stderr.text).toContain('\u001b[');
    const json = target({ tty: true, columns: 80 });
    const out = new Output(true, json);
    out.error('boom');
    out.progress('step');
    expect(out.style('red', 'x')).toBe('x');
    expect(json.stderr.text).toBe('error: boom\nstep\n');
  });

  it('prints a command whole: on its own line when it does not fit after the label', () => {
    const t = target({ tty: false });
    const out = new Output(false, t);
    out.command('Next:', 'npx concurrency-kit verify src/concurrency/worker-pool.ts');
    const long = `npx concurrency-kit verify src/concurrency/worker-pool.ts --cwd /tmp/${'d'.repeat(60)}`;
    out.command('Next:', long);
    expect(t.stdout.text).toBe(`Next: npx concurrency-kit verify src/concurrency/worker-pool.ts\nNext:\n  ${long}\n`);
  });

  it('under --json, prints exactly one document and no human text', () => {
    const t = target({ tty: false });
    const out = new Output(true, t);
    out.print('human');
    out.command('Next:', 'x');
    out.printJson({ ok: true });
    expect(() => out.printJson({})).toThrow(/second JSON document/);
    expect(JSON.parse(t.stdout.text)).toEqual({ ok: true });
  });

  it('is 80 columns wide without a terminal, whatever the stream claims', () => {
    expect(terminalWidth({ isTTY: false, columns: 300, write: () => true })).toBe(80);
    expect(terminalWidth({ isTTY: true, columns: 132, write: () => true })).toBe(132);
    expect(terminalWidth({ isTTY: true, write: () => true })).toBe(80);
  });
});

describe('shell quoting', () => {
  it('leaves plain arguments alone', () => {
    for (const arg of ['src/concurrency/worker-pool.ts', '--cwd', 'a=b', '/tmp/x-1.2', 'Ünïcode/dir']) expect(shellQuote(arg, 'linux')).toBe(arg);
  });

  it('single-quotes anything a POSIX shell would interpret', () => {
    expect(shellQuote('my dir/x.ts', 'linux')).toBe("'my dir/x.ts'");
    expect(shellQuote("it's", 'linux')).toBe("'it'\\''s'");
    expect(shellQuote('$HOME;rm -rf', 'linux')).toBe("'$HOME;rm -rf'");
    expect(shellQuote('', 'linux')).toBe("''");
  });

  it('double-quotes on Windows', () => {
    expect(shellQuote('C:\\my dir', 'win32')).toBe('"C:\\my dir"');
    expect(shellQuote('say "hi"', 'win32')).toBe('"say ""hi"""');
  });
});
