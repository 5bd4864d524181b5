/**
 * The fixture matrix's harness (issue 7): a fixture is a real-looking project (its package.json, tsconfig graph,
 * sources, linter and formatter configs and CI scripts) described as data, installed from npm (a shared toolbox,
 * or a real `pnpm install`), and judged the way its own CI would judge it after `concurrency-kit add`.
 *
 * `describeFixture` registers one describe per fixture: the project is clean before `add`; `add` writes every
 * pattern `list --json` knows (or refuses with the fix and changes nothing); then the project's own type-check,
 * linter and formatter check, `verify` and `info --json` must all agree with what the project is. Each check is
 * its own test, so the run's failures read as a to-do list, and each failure prints the tool's own output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { runCli, type CliResult } from './run-cli.js';
import { snapshotTree, type Tree } from './temp-project.js';
import { installToolbox, linkToolboxEntries, type ToolSpec } from './toolbox.js';

/** The pnpm release fixtures install with (pnpm itself comes from npm, through a toolbox). */
export const PNPM_VERSION = '12.23.0';

/** What every fixture's tests and types need (vitest 5 needs Node 22; the machine and CI run Node 20). */
const BASE: ToolSpec = { '@types/node': '^20.19.0', vitest: '~4.1.12' };
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
  /** `add <pattern> <dir>` for these patterns; the others go to the default folder. */
  readonly targets?: Readonly<Record<string, string>>;
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

const DEFAULT_DIR = 'src/concurrency';
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

/** The snapshot without what `add` may legitimately create: new files, and the provenance record. */
function preexisting(snapshot: Record<string, string>, before: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot).filter(([path]) => path in before && path !== 'concurrency-kit.json'));
}

/** Registers the fixture's checks. `more` registers fixture-specific tests that run after the shared ones. */
export function describeFixture(spec: FixtureSpec, more?: (state: () => FixtureState) => void): void {
  describe(spec.name, () => {
    let fx: (Fixture & { cleanup(): void }) | undefined;
    let ids: string[] = [];
    let before: Record<string, string> = {};
    const adds: AddRun[] = [];
    const state = (): FixtureState => {
      if (!fx) throw new Error('the fixture was not created (see the beforeAll error)');
      return { fx, ids, adds, before };
    };
    /** The adds that wrote their files: later checks judge those, and fail when there are none. */
    const written = (): AddRun[] => {
      const ok = adds.filter((a) => a.result.exitCode === 0 && a.files.length > 0);
      expect(ok.length, `add wrote no module, so there is nothing to check:\n${adds.map((a) => show(`add ${a.pattern}`, a.result)).join('\n')}`).toBeGreaterThan(0);
      return ok;
    };

    beforeAll(async () => {
      fx = await createFixture(spec);
      const listed = await runCli(['list', '--json'], fx.dir);
      ids = parseJson<{ id: string }[]>('list --json', listed).map((p) => p.id);
      before = snapshotTree(fx.dir);
    }, 900_000);
    afterAll(() => fx?.cleanup());

    it('is clean before add: its own type-check, linter and formatter check pass', async () => {
      const { fx: f } = state();
      for (const script of [spec.scripts.typecheck, spec.scripts.lint, spec.scripts.format]) {
        if (script === undefined) continue;
        const r = await f.script(script);
        expect(r.exitCode, show(`(fixture bug) ${script} before add`, r)).toBe(0);
      }
    }, 300_000);

    if (spec.expect.outcome === 'refused') {
      const { fix } = spec.expect;
      it(`add <every pattern> --yes exits 2 naming the fix (${fix.source}) and leaves the tree byte-for-byte unchanged`, async () => {
        const { fx: f } = state();
        const problems: string[] = [];
        for (const id of ids) {
          const snapshot = snapshotTree(f.dir);
          const r = await runCli(['add', id, '--yes'], f.dir);
          if (r.exitCode !== 2) problems.push(`${show(`add ${id}`, r)}\n=> expected exit 2`);
          else if (!fix.test(r.stderr)) problems.push(`${show(`add ${id}`, r)}\n=> stderr does not name the fix ${String(fix)}`);
          const changed = diffTrees(snapshot, snapshotTree(f.dir));
          if (changed.length > 0) problems.push(`add ${id} changed the tree: ${changed.join(', ')}`);
        }
        expect(ids.length).toBeGreaterThan(0);
        expect(problems.length, problems.join('\n\n')).toBe(0);
      }, 300_000);
    } else {
      it('add <every pattern from list --json> --yes writes each one', async () => {
        const { fx: f } = state();
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) {
          const target = spec.targets?.[id];
          const r = await runCli(['add', id, ...(target === undefined ? [] : [target]), '--yes', '--json'], f.dir);
          let files: string[] = [];
          if (r.exitCode === 0) files = parseJson<{ files: { path: string }[] }>(`add ${id} --json`, r).files.map((x) => x.path);
          adds.push({ pattern: id, dir: target ?? DEFAULT_DIR, result: r, files });
        }
        const failed = adds.filter((a) => a.result.exitCode !== 0);
        expect(failed.map((a) => a.pattern), failed.map((a) => show(`add ${a.pattern} --yes`, a.result)).join('\n\n')).toEqual([]);
      }, 300_000);
    }

    if (spec.expect.outcome === 'added') {
      const profile = spec.expect.profile;

      it(`add follows the project's conventions: *.${profile.testNaming}.ts, ${profile.importStyle ?? 'any'} import specifiers, top-level import type`, () => {
        const { fx: f } = state();
        const problems: string[] = [];
        for (const a of written()) {
          const expected = [`${a.dir}/${a.pattern}.ts`, `${a.dir}/${a.pattern}.${profile.testNaming}.ts`];
          for (const path of expected) if (!a.files.includes(path)) problems.push(`add ${a.pattern}: expected ${path} among ${JSON.stringify(a.files)}`);
          for (const path of a.files) {
            if (!existsSync(join(f.dir, path))) {
              problems.push(`add ${a.pattern} reported ${path}, which is not on disk`);
              continue;
            }
            const text = f.read(path);
            const inline = text.split('\n').filter((l) => /^\s*import\s*\{[^}]*\btype\s/.test(l));
            if (inline.length > 0) problems.push(`${path}: inline type imports (the project wants top-level import type):\n  ${inline.join('\n  ')}`);
            const specifiers = [...text.matchAll(/from\s+['"](\.\.?\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
            const style = profile.importStyle;
            const wrong = specifiers.filter((s) => (style === 'js' ? !s.endsWith('.js') : style === 'ts' ? !s.endsWith('.ts') : style === 'none' ? /\.[cm]?[jt]s$/.test(s) : false));
            if (wrong.length > 0) problems.push(`${path}: relative imports ${JSON.stringify(wrong)} do not follow the project's style (${String(style)})`);
          }
        }
        expect(problems.length, problems.join('\n')).toBe(0);
      });

      it(`its own type-check passes after add (${spec.scripts.typecheck})`, async () => {
        written();
        const r = await state().fx.script(spec.scripts.typecheck);
        expect(r.exitCode, show(`run ${spec.scripts.typecheck}`, r)).toBe(0);
      }, 300_000);

      const { lint, format } = spec.scripts;
      if (lint !== undefined) {
        it(`its own linter passes after add (${lint})`, async () => {
          written();
          const r = await state().fx.script(lint);
          expect(r.exitCode, show(`run ${lint}`, r)).toBe(0);
        }, 300_000);
      }
      if (format !== undefined) {
        it(`its own formatter check passes after add (${format})`, async () => {
          written();
          const r = await state().fx.script(format);
          expect(r.exitCode, show(`run ${format}`, r)).toBe(0);
        }, 300_000);
      }

      it('verify (no paths) passes every added module and writes nothing into the project', async () => {
        const { fx: f } = state();
        const ok = written();
        const snapshot = snapshotTree(f.dir);
        const r = await runCli(['verify', '--json'], f.dir, { timeoutMs: 400_000 });
        const report = parseJson<{ ok: boolean; runner: { vitest: string; source: string } | null; modules: { pattern: string; file: string; ok: boolean }[] }>(
          'verify --json',
          r,
        );
        const found = report.modules.map((m) => m.pattern).sort();
        expect(found, `verify found ${JSON.stringify(report.modules.map((m) => m.file))}\n${show('verify', r)}`).toEqual(ok.map((a) => a.pattern).sort());
        expect({ exitCode: r.exitCode, ok: report.ok }, show('verify --json', r)).toEqual({ exitCode: 0, ok: true });
        expect(diffTrees(snapshot, snapshotTree(f.dir)), 'verify changed the project').toEqual([]);
        const runner = profile.testRunner?.source;
        if (runner !== undefined) expect(report.runner?.source, `verify says it ran ${JSON.stringify(report.runner)}`).toBe(runner);
      }, 450_000);

      it('add changed no file the project already had (concurrency-kit.json aside)', () => {
        const { fx: f } = state();
        written();
        expect(diffTrees(before, preexisting(snapshotTree(f.dir), before))).toEqual([]);
      });
    }

    it('info --json describes the project', async () => {
      const { fx: f } = state();
      const profile = spec.expect.profile;
      const r = await runCli(['info', '--json'], f.dir);
      const doc = parseJson<Record<string, unknown>>('info --json', r);
      const ok = spec.expect.outcome === 'added' ? written() : [];
      const expected = {
        root: f.dir,
        targetDir: DEFAULT_DIR,
        ...profile,
        compiler: { ...profile.compiler, ...(profile.compiler.version.startsWith('7.') ? { via: 'tsc' } : {}) },
        modules: ok.map((a) => ({ pattern: a.pattern, file: `${a.dir}/${a.pattern}.ts`, status: 'current' })).sort((x, y) => x.pattern.localeCompare(y.pattern)),
      };
      const sorted = { ...doc, modules: Array.isArray(doc['modules']) ? [...(doc['modules'] as { pattern: string }[])].sort((x, y) => x.pattern.localeCompare(y.pattern)) : doc['modules'] };
      expect(sorted, `info --json printed:\n${JSON.stringify(doc, null, 2)}\n${r.stderr}`).toMatchObject(expected);
    }, 120_000);

    more?.(state);
  });
}

/** What the fixture-specific tests can read. */
export interface FixtureState {
  readonly fx: Fixture;
  /** Pattern ids from `list --json`. */
  readonly ids: readonly string[];
  readonly adds: readonly AddRun[];
  /** The tree before any `add`. */
  readonly before: Readonly<Record<string, string>>;
}

/** Paths added, removed or changed between two snapshots. */
export function diffTrees(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  for (const [path, hash] of Object.entries(a)) if (b[path] !== hash) out.push(path in b ? `changed ${path}` : `removed ${path}`);
  for (const path of Object.keys(b)) if (!(path in a)) out.push(`added ${path}`);
  return out;
}
