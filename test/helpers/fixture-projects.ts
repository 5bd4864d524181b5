/**
 * The fixture matrix's projects (issue 7): a fixture is a real-looking project (its package.json, tsconfig graph,
 * sources, linter and formatter configs and CI scripts) described as data, installed from npm (a shared toolbox,
 * or a real `pnpm install`) into a fresh temp dir. `describeFixture` (fixture-checks.ts) judges it.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import type { CliResult } from './run-cli.js';
import type { Tree } from './temp-project.js';
import { installToolbox, linkToolboxEntries, type ToolSpec } from './toolbox.js';

/** The pnpm release fixtures install with (pnpm itself comes from npm, through a toolbox). */
export const PNPM_VERSION = '12.23.0';

/** What every fixture's tests and types need (vitest 5 needs Node 22; the machine and CI run Node 20). */
const BASE: ToolSpec = { '@types/node': '^20.19.0', vitest: '~4.1.12', tsx: '^4.23.15' };
/** typescript-eslint's packages (it supports TypeScript < 6.1). */
export const ESLINT: ToolSpec = { eslint: '^10.15.0', '@eslint/js': '^10.0.1', 'typescript-eslint': '^8.74.0' };

/**
 * The few toolboxes the whole matrix shares (one npm install each, cached): fixtures declare the subset they use,
 * so a kit that looks in node_modules instead of package.json sees tools the project never declared, and fails.
 */
export const TOOLBOX = {
  /** TypeScript 5.9, ESLint with typescript-eslint, prettier. */
  ts5: { typescript: '5.9.3', ...BASE, ...ESLINT, prettier: '^3.10.1' },
  /** TypeScript 6.0, Vite, biome, ESLint with typescript-eslint. */
  ts6: { typescript: '6.0.3', ...BASE, ...ESLINT, vite: '^8.4.0', '@biomejs/biome': '2.6.8' },
  /** TypeScript 7.0 (the native compiler), oxfmt, oxlint. */
  ts7: { typescript: '7.0.2', ...BASE, oxfmt: '0.79.0', oxlint: '1.95.0' },
} as const satisfies Record<string, ToolSpec>;

/** How many shares the pattern list is split into (see {@link FixtureSpec.share}). */
export const SHARES = 3;

/** The patterns a fixture adds: its share of `ids` (all of them without a share), plus the ones it targets. */
export function patternsFor(spec: Pick<FixtureSpec, 'share' | 'targets'>, ids: readonly string[]): string[] {
  const { share, targets = {} } = spec;
  return ids.filter((id, i) => share === undefined || i % SHARES === share || id in targets);
}

/** Picks the named packages of a toolbox, for a fixture's devDependencies. */
export function declared(box: ToolSpec, names: readonly string[]): ToolSpec {
  return Object.fromEntries(names.map((n) => {
    const version = box[n];
    if (version === undefined) throw new Error(`${n} is not in the toolbox`);
    return [n, version];
  }));
}

/** The subset of `info --json` (the shared ProjectProfile contract) a fixture pins down. */
export interface ExpectedProfile {
  readonly packageManager: 'npm' | 'pnpm' | 'yarn' | 'bun';
  readonly compiler: { readonly source: 'project' | 'kit'; readonly version: string };
  readonly tsconfig: { readonly path: string | null; readonly moduleFormat: 'esm' | 'cjs' };
  readonly formatter: { readonly name: 'prettier' | 'biome' | 'dprint' | 'oxfmt'; readonly source: 'project' | 'kit' };
  readonly linter: { readonly name: 'eslint' | 'biome' | 'oxlint' } | null;
  readonly testNaming: 'test' | 'spec';
  /**
   * The extension of the generated files: `.mts` where `.ts` would compile to CommonJS under `verbatimModuleSyntax`
   * (ES syntax is an error there). @defaultValue `'.ts'`
   */
  readonly extension?: '.ts' | '.mts';
  /** Omitted when the project has no relative import to learn from. */
  readonly importStyle?: 'js' | 'ts' | 'none';
  readonly testRunner?: { readonly name: 'vitest'; readonly declared: boolean; readonly source?: 'project' | 'kit' };
}

/** A project kind from the issue, as data. */
export interface FixtureSpec {
  /** What real project this stands for; the describe title. */
  readonly name: string;
  /** Where node_modules comes from: a cached npm toolbox (a superset of what is declared), or a real pnpm install. */
  readonly install: { readonly toolbox: ToolSpec } | { readonly pnpm: true };
  /** package.json without devDependencies; omitted when `prepare` creates it (`npm init -y`). */
  readonly packageJson?: Readonly<Record<string, unknown>>;
  /** What the project declares (merged into package.json after `prepare`). */
  readonly devDependencies: ToolSpec;
  /** The project's own files (objects are written as JSON). */
  readonly files: Tree;
  /** Runs after install: `tsc --init`, the formatter's write mode so the fixture starts formatted, ... */
  readonly prepare?: (fx: Fixture) => Promise<void>;
  /** Names of the package.json scripts the project's CI runs. */
  readonly scripts: { readonly typecheck: string; readonly lint?: string; readonly format?: string };
  /** `add <pattern> <dir>` for these patterns; the others go to the default folder. These are always added. */
  readonly targets?: Readonly<Record<string, string>>;
  /**
   * Which third of `list --json` this fixture adds (ids at positions `i % SHARES === share`), plus its `targets`:
   * every pattern in every fixture would not fit CI's 20 minutes, and the shares are spread so each pattern meets
   * CommonJS and ESM, prettier and a non-prettier formatter, ESLint and another linter, across the matrix.
   * Omitted: every pattern.
   */
  readonly share?: number;
  readonly expect:
    | { readonly outcome: 'added'; readonly profile: ExpectedProfile }
    | { readonly outcome: 'refused'; readonly fix: RegExp; readonly profile: ExpectedProfile };
}

/** A fixture on disk. */
export interface Fixture {
  readonly dir: string;
  /** Runs a binary from the project's node_modules/.bin in the project. */
  bin(name: string, args: readonly string[]): Promise<CliResult>;
  /** Runs a command from PATH (npm, git) in the project. */
  exec(file: string, args: readonly string[]): Promise<CliResult>;
  /** Runs a package.json script through the project's package manager. */
  script(name: string): Promise<CliResult>;
  /** Reads a project file. */
  read(path: string): string;
}

/** One `add` of the matrix. */
export interface AddRun {
  readonly pattern: string;
  readonly dir: string;
  readonly result: CliResult;
  /** Paths from `add --json`, relative to the project root. */
  readonly files: readonly string[];
}

/** Where `add` writes without a folder argument, relative to the project root. */
export const DEFAULT_DIR = 'src/concurrency';
const MAX_SHOWN = 6000;

/**
 * Formats a command's outcome for an assertion message: a one-line tally of the diagnostics it printed (TypeScript
 * codes, lint rules), then the tool's own words, trimmed to a readable length.
 */
export function show(label: string, result: CliResult): string {
  const r = { ...result, stdout: stripAnsi(result.stdout), stderr: stripAnsi(result.stderr) };
  const cut = (s: string): string => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}\n… (${String(s.length - MAX_SHOWN)} more characters)` : s);
  const tally = tallyDiagnostics(`${r.stdout}\n${r.stderr}`);
  return [
    `${label}: exit ${String(r.exitCode)}${r.timedOut ? ' (timed out)' : ''}${tally === '' ? '' : `; ${tally}`}`,
    `--- stdout\n${cut(r.stdout.trim())}`,
    `--- stderr\n${cut(r.stderr.trim())}`,
  ].join('\n');
}

/** Removes terminal colour codes (some tools colour their output even under NO_COLOR). */
function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

/** Counts TypeScript error codes (`error TS2307`) and lint rules (eslint, oxlint, biome) in a tool's output. */
export function tallyDiagnostics(output: string): string {
  const counts = new Map<string, number>();
  const patterns = [
    /error (TS\d+)/g, // tsc
    /\s(?:error|warning)\s+.*?\s{2}(@?[\w-]+(?:\/[\w-]+)*)$/gm, // eslint stylish: "  12:3  error  message  rule"
    /[×x!⚠] ((?:eslint|typescript|unicorn|oxc|import|promise|node)\([\w-]+\))/g, // oxlint
    /(lint\/[\w/]+|format|assist\/[\w/]+)\s+(?:FIXABLE\s+)?━/g, // biome
  ];
  for (const re of patterns) for (const m of output.matchAll(re)) counts.set(m[1] ?? '', (counts.get(m[1] ?? '') ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${String(n)}`).join(', ');
}

/** Awaits a command and throws with its output when it failed (for fixture preparation). */
export async function must(label: string, run: Promise<CliResult>): Promise<CliResult> {
  const r = await run;
  if (r.exitCode !== 0) throw new Error(show(label, r));
  return r;
}

/** Parses one JSON document from a command's stdout, or fails showing what the command printed. */
export function parseJson<T>(label: string, r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`${label} did not print one JSON document on stdout.\n${show(label, r)}`);
  }
}

async function exec(file: string, args: readonly string[], cwd: string, timeout = 240_000): Promise<CliResult> {
  const r = await execa(file, args, { cwd, reject: false, timeout, env: { CI: 'true', NO_COLOR: '1' }, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), timedOut: r.timedOut };
}

function writeTree(dir: string, tree: Tree): void {
  for (const [path, contents] of Object.entries(tree)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, typeof contents === 'string' ? contents : `${JSON.stringify(contents, null, 2)}\n`);
  }
}

/** Writes, installs and prepares the fixture in a fresh temp dir. */
export async function createFixture(spec: FixtureSpec): Promise<Fixture & { cleanup(): void }> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ck-fixture-')));
  let pnpm: string | null = null;
  const fx = {
    dir,
    bin: (name: string, args: readonly string[]) => exec(join(dir, 'node_modules', '.bin', name), args, dir),
    exec: (file: string, args: readonly string[]) => exec(file, args, dir),
    script: (name: string) => (pnpm === null ? exec('npm', ['run', name], dir) : exec(pnpm, ['run', name], dir)),
    read: (path: string) => readFileSync(join(dir, path), 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  try {
    await populate(spec, fx, (path) => (pnpm = path));
  } catch (error) {
    fx.cleanup();
    throw error;
  }
  return fx;
}

async function populate(spec: FixtureSpec, fx: Fixture, usePnpm: (path: string) => void): Promise<void> {
  const { dir } = fx;
  writeTree(dir, spec.files);
  if (spec.packageJson) {
    writeTree(dir, { 'package.json': spec.packageJson });
    declare(dir, spec.devDependencies);
  }
  if ('toolbox' in spec.install) {
    linkToolboxEntries(dir, await installToolbox(spec.install.toolbox));
  } else {
    if (!spec.packageJson) throw new Error('a pnpm fixture gives its package.json');
    const pnpm = join(await installToolbox({ pnpm: PNPM_VERSION }), 'node_modules', '.bin', 'pnpm');
    usePnpm(pnpm);
    const store = join(tmpdir(), 'concurrency-kit-pnpm-store');
    await must('pnpm install', exec(pnpm, ['install', '--no-frozen-lockfile', '--store-dir', store, '--reporter=append-only'], dir, 400_000));
  }
  if (spec.prepare) await spec.prepare(fx);
  // A project made by `npm init -y` in prepare declares its tools afterwards, as `npm install -D` would.
  if (!spec.packageJson) declare(dir, spec.devDependencies);
}

/** Adds `deps` to the project's package.json devDependencies (sorted, as npm and pnpm write them). */
function declare(dir: string, deps: ToolSpec): void {
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { devDependencies?: Record<string, string> };
  const merged = { ...pkg.devDependencies, ...deps };
  pkg.devDependencies = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
