/**
 * End to end: `add` fits projects formatted and linted with their own tools. In a prettier, a biome and an oxfmt +
 * oxlint project, every pattern is added, then the project's own format check passes on the new files, its linter
 * ran in fix mode on exactly the new files (a pre-existing file with problems stays byte-identical) and the
 * findings `add` reports are the ones the linter gives on those files afterwards. A NestJS-style `*.spec.ts` project
 * with a tsconfig.build.json gets spec-named tests and the exclude to add; a pnpm project without vitest gets the
 * module only until `add --install` installs vitest with pnpm.
 *
 * The formatters, linters and pnpm come from npm once per run (test/helpers/toolbox.ts); each fixture links exactly
 * the packages its package.json declares, the others from the kit's own install.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa } from 'execa';
import { listPatterns } from '../../src/patterns/registry.js';
import { patternsFor } from '../helpers/fixture-projects.js';
import { REPO, SAMPLE_DEV_DEPENDENCIES, STRICT_FLAGS, createTempProject, snapshotTree, type TempProject, type Tree } from '../helpers/temp-project.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { installToolbox } from '../helpers/toolbox.js';

const patterns = listPatterns().map((m) => m.id);
/**
 * Each formatter gets a third of the patterns (plus the one whose file a test reads): twelve patterns per formatter
 * do not fit CI's 20 minutes, and the fixture matrix formats the other thirds with biome and oxfmt too.
 */
const shareWith = (share: number, id: string): string[] => [...new Set([...patternsFor({ share }, patterns), id])];
const TOOLS = { prettier: '3.10.1', '@biomejs/biome': '2.6.8', oxfmt: '0.79.0', oxlint: '1.95.0' } as const;
type Tool = keyof typeof TOOLS;
const KIT_PACKAGES = ['typescript', 'vitest', '@types/node', 'eslint', '@eslint/js', 'typescript-eslint'] as const;

let toolbox: string;
beforeAll(async () => {
  toolbox = await installToolbox(TOOLS);
}, 600_000);

/** A project whose package.json declares `tools` (from the toolbox) and the kit's `kitPackages`, each linked into node_modules. */
function toolProject(tree: Tree, tools: readonly Tool[], kitPackages: readonly (typeof KIT_PACKAGES)[number][] = ['typescript', 'vitest', '@types/node']): TempProject {
  const declared = Object.fromEntries([
    ...tools.map((t) => [t, TOOLS[t]]),
    ...kitPackages.map((p) => [p, (SAMPLE_DEV_DEPENDENCIES as Record<string, string>)[p] ?? '*']),
  ]);
  const project = createTempProject({ 'package.json': { name: 'fixture', version: '1.0.0', private: true, type: 'module', devDependencies: declared }, ...tree }, { linkModules: false });
  const link = (name: string, source: string): void => {
    const target = join(project.dir, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(source, target, 'dir');
  };
  for (const t of tools) link(t, join(toolbox, 'node_modules', t));
  for (const p of kitPackages) link(p, join(REPO, 'node_modules', p));
  return project;
}

const strictNodeNext = { compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], ...STRICT_FLAGS }, include: ['src'] };

/** Runs a package's bin from the project's node_modules, in the project. */
async function tool(dir: string, pkg: string, bin: string, args: readonly string[]): Promise<CliResult> {
  const json = JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
  const script = typeof json.bin === 'string' ? json.bin : (json.bin[bin] ?? '');
  const result = await execa(process.execPath, [join(dir, 'node_modules', pkg, script), ...args], { cwd: dir, reject: false, timeout: 180_000, env: { NO_COLOR: '1', CI: 'true' } });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr), timedOut: result.timedOut };
}

interface AddDoc {
  files: { path: string; action: string }[];
  skipped?: { path: string; role: string; reason: string }[];
  install?: { command: string; ran: boolean };
  lint?: { linter: string; findings: { file: string; line: number; rule: string | null }[]; error: string | null }[];
}

async function add(dir: string, args: readonly string[], env?: Record<string, string>): Promise<AddDoc> {
  const result = await runCli(['add', ...args, '--yes', '--json'], dir, { timeoutMs: 240_000, ...(env ? { env } : {}) });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as AddDoc;
}

const findingKey = (f: { file: string; line: number; rule: string | null }): string => `${f.file}:${String(f.line)} ${f.rule ?? ''}`;

/** A source file with formatting and lint problems that `add` must not touch. */
const LEGACY = 'let   legacy = 1024\nexport const value = legacy\n';

describe('a prettier project', () => {
  let project: TempProject;
  beforeAll(() => {
    project = toolProject({ '.prettierrc.json': { semi: false, singleQuote: true, printWidth: 100 }, 'tsconfig.json': strictNodeNext, 'src/legacy.ts': LEGACY }, ['prettier']);
  });
  afterAll(() => project.cleanup());

  it("adds patterns formatted by the project's prettier: prettier --check passes on the new files", async () => {
    for (const id of shareWith(2, 'worker-pool')) await add(project.dir, [id]);
    const check = await tool(project.dir, 'prettier', 'prettier', ['--check', 'src/concurrency']);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    // The project's style (no semicolons, single quotes), not prettier's defaults.
    expect(readFileSync(join(project.dir, 'src', 'concurrency', 'worker-pool.test.ts'), 'utf8')).toMatch(/^import \{[^}]*\} from 'vitest'$/m);
    expect(readFileSync(join(project.dir, 'src', 'legacy.ts'), 'utf8')).toBe(LEGACY);
  });
});

describe('a biome project (formatter and linter)', () => {
  let project: TempProject;
  const biomeJson = {
    formatter: { indentStyle: 'tab', lineWidth: 100 },
    javascript: { formatter: { quoteStyle: 'single', semicolons: 'asNeeded' } },
    linter: { rules: { style: { noMagicNumbers: 'warn' } } },
  };
  beforeAll(() => {
    project = toolProject({ 'biome.json': biomeJson, 'tsconfig.json': strictNodeNext, 'src/legacy.ts': LEGACY }, ['@biomejs/biome']);
  });
  afterAll(() => project.cleanup());

  it("adds patterns: biome's own format check passes, biome linted exactly the new files and add reports what it still finds", async () => {
    const before = snapshotTree(project.dir);
    const reported: string[] = [];
    for (const id of shareWith(1, 'rate-limiter')) {
      const doc = await add(project.dir, [id]);
      expect(doc.lint?.map((o) => [o.linter, o.error])).toEqual([['biome', null]]);
      reported.push(...(doc.lint ?? []).flatMap((o) => o.findings.map(findingKey)));
    }
    const format = await tool(project.dir, '@biomejs/biome', 'biome', ['ci', '--linter-enabled=false', 'src/concurrency']);
    expect(format.exitCode, format.stdout + format.stderr).toBe(0);
    expect(readFileSync(join(project.dir, 'src', 'concurrency', 'rate-limiter.ts'), 'utf8')).toMatch(/^\t/m);
    // Only the new files changed: the legacy file keeps its `let` and its layout.
    expect(snapshotTree(project.dir)['src/legacy.ts']).toBe(before['src/legacy.ts']);
    const after = await tool(project.dir, '@biomejs/biome', 'biome', ['lint', '--reporter=github', 'src/concurrency']);
    const found = after.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(reported.length, 'the noMagicNumbers rule fires on the generated code').toBeGreaterThan(0);
    expect(reported.length).toBe(found.length);
    expect(reported.every((k) => k.startsWith('src/concurrency/'))).toBe(true);
  });
});

describe('an oxfmt + oxlint project', () => {
  let project: TempProject;
  beforeAll(() => {
    project = toolProject(
      {
        '.oxfmtrc.json': { singleQuote: true, semi: false, printWidth: 90 },
        '.oxlintrc.json': { rules: { 'max-lines': ['warn', { max: 50 }], 'no-debugger': 'error' } },
        'tsconfig.json': strictNodeNext,
        'src/legacy.ts': `${LEGACY}debugger\n`,
      },
      ['oxfmt', 'oxlint'],
    );
  });
  afterAll(() => project.cleanup());

  it('adds patterns: oxfmt --check passes, oxlint ran on exactly the new files and add reports its findings', async () => {
    const reported: string[] = [];
    for (const id of shareWith(0, 'worker-pool')) {
      const doc = await add(project.dir, [id]);
      const oxlint = doc.lint?.find((o) => o.linter === 'oxlint');
      expect(oxlint?.error).toBeNull();
      // max-lines (50) fires once on each new file, and on nothing else (the legacy file is short).
      expect(oxlint?.findings.filter((f) => f.rule === 'max-lines').map((f) => f.file)).toEqual(doc.files.map((f) => f.path).sort());
      expect(oxlint?.findings.filter((f) => !f.file.startsWith('src/concurrency/'))).toEqual([]);
      reported.push(...(oxlint?.findings ?? []).map(findingKey));
    }
    const check = await tool(project.dir, 'oxfmt', 'oxfmt', ['--check', 'src/concurrency']);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    expect(readFileSync(join(project.dir, 'src', 'legacy.ts'), 'utf8')).toBe(`${LEGACY}debugger\n`);
    const after = await tool(project.dir, 'oxlint', 'oxlint', ['--format=github', 'src/concurrency']);
    expect(after.stdout.split('\n').filter((l) => l.startsWith('::')).length).toBe(reported.length);
  });
});

describe('a *.spec.ts project with a tsconfig.build.json and type-aware ESLint', () => {
  let project: TempProject;
  const eslintConfig = [
    "import tseslint from 'typescript-eslint';",
    'export default tseslint.config({',
    "  files: ['**/*.ts'],",
    '  extends: [tseslint.configs.recommendedTypeChecked],',
    '  languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },',
    "  rules: { 'max-lines': ['warn', 50] },",
    '});',
    '',
  ].join('\n');
  beforeAll(() => {
    project = toolProject(
      {
        'tsconfig.json': { compilerOptions: { ...strictNodeNext.compilerOptions, noEmit: false, outDir: 'dist', declaration: true }, include: ['src'] },
        'tsconfig.build.json': { extends: './tsconfig.json', exclude: ['node_modules', 'dist', '**/*spec.ts'] },
        'eslint.config.mjs': eslintConfig,
        'src/app.service.ts': "export const greeting: string = 'hi';\nexport const again = greeting as string;\n",
        'src/app.service.spec.ts': "import { greeting } from './app.service.js';\nexport const seen = greeting;\n",
      },
      [],
      ['typescript', 'vitest', '@types/node', 'eslint', '@eslint/js', 'typescript-eslint'],
    );
  });
  afterAll(() => project.cleanup());

  it('writes *.spec.ts tests, warns with the exact exclude for the bench, and ESLint fixed and reported only the new files', async () => {
    const result = await runCli(['add', 'worker-pool', '--yes', '--json'], project.dir, { timeoutMs: 240_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as AddDoc;
    expect(doc.files.map((f) => f.path)).toEqual(['src/concurrency/worker-pool.ts', 'src/concurrency/worker-pool.spec.ts', 'src/concurrency/worker-pool.bench.ts']);
    // Human output wraps at 80 columns off a TTY: compare with the wrapping undone.
    expect(result.stderr.replace(/\n\s*/g, ' ')).toContain(
      'warning: tsconfig.build.json would compile src/concurrency/worker-pool.bench.ts into dist: add "**/*.bench.ts" to its "exclude" ("exclude": ["node_modules", "dist", "**/*spec.ts", "**/*.bench.ts"]).',
    );
    const eslint = doc.lint?.find((o) => o.linter === 'eslint');
    expect(eslint?.error).toBeNull();
    expect(eslint?.findings.filter((f) => f.rule === 'max-lines').map((f) => f.file)).toEqual(doc.files.map((f) => f.path).sort());
    // The unnecessary assertion in the project's own file is still there: ESLint --fix ran on the new files only.
    expect(readFileSync(join(project.dir, 'src', 'app.service.ts'), 'utf8')).toContain('greeting as string');
    const after = await tool(project.dir, 'eslint', 'eslint', ['--format', 'json', ...doc.files.map((f) => f.path)]);
    const remaining = (JSON.parse(after.stdout) as { messages: unknown[] }[]).reduce((n, r) => n + r.messages.length, 0);
    expect(remaining).toBe(eslint?.findings.length);

    // With the exclude the warning names, the build leaves tests and benches out of dist.
    const build = JSON.parse(readFileSync(join(project.dir, 'tsconfig.build.json'), 'utf8')) as { exclude: string[] };
    writeFileSync(join(project.dir, 'tsconfig.build.json'), JSON.stringify({ ...build, exclude: [...build.exclude, '**/*.bench.ts'] }));
    const tsc = await execa(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: project.dir, reject: false });
    expect(String(tsc.stdout)).toContain('src/concurrency/worker-pool.ts');
    expect(String(tsc.stdout)).not.toMatch(/worker-pool\.(spec|bench)\.ts/);
  });
});

describe('a pnpm project without vitest', () => {
  let project: TempProject;
  let env: Record<string, string>;
  beforeAll(async () => {
    const pnpmBox = await installToolbox({ pnpm: '10.34.9' });
    env = {
      PATH: `${join(pnpmBox, 'node_modules', '.bin')}${delimiter}${process.env['PATH'] ?? ''}`,
      npm_config_store_dir: join(tmpdir(), 'concurrency-kit-pnpm-store'),
      npm_config_prefer_offline: 'true',
    };
    project = createTempProject(
      {
        'package.json': { name: 'pnpm-app', version: '1.0.0', private: true, type: 'module', devDependencies: { typescript: '~5.9.3', '@types/node': '^20.19.0' } },
        'tsconfig.json': strictNodeNext,
      },
      { linkModules: false },
    );
    const installed = await execa('pnpm', ['install'], { cwd: project.dir, env, reject: false, timeout: 300_000 });
    expect(installed.exitCode, String(installed.stderr)).toBe(0);
  }, 600_000);
  afterAll(() => project.cleanup());

  const tsc = () => execa(process.execPath, [join(project.dir, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit'], { cwd: project.dir, reject: false });

  it('writes the module only, lists the skipped files with the pnpm install command, and tsc passes', async () => {
    const doc = await add(project.dir, ['worker-pool'], env);
    expect(doc).toMatchObject({
      files: [{ path: 'src/concurrency/worker-pool.ts', action: 'created' }],
      skipped: [
        { path: 'src/concurrency/worker-pool.test.ts', role: 'test', reason: 'vitest-not-declared' },
        { path: 'src/concurrency/worker-pool.bench.ts', role: 'bench', reason: 'vitest-not-declared' },
      ],
      install: { command: expect.stringMatching(/^pnpm add --save-dev vitest@\^\d+\.\d+$/) as unknown, ran: false },
    });
    const result = await tsc();
    expect(String(result.stdout)).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it("add --install installs vitest with pnpm (its output on stderr), writes the tests, tsc passes and verify runs the project's vitest", async () => {
    const doc = await add(project.dir, ['worker-pool', '--overwrite', '--install'], env);
    expect(doc.files.map((f) => f.path)).toEqual(['src/concurrency/worker-pool.ts', 'src/concurrency/worker-pool.test.ts', 'src/concurrency/worker-pool.bench.ts']);
    expect(doc.install).toMatchObject({ ran: true });
    const pkg = JSON.parse(readFileSync(join(project.dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(Object.keys(pkg.devDependencies)).toContain('vitest');
    const result = await tsc();
    expect(String(result.stdout)).toBe('');
    expect(result.exitCode).toBe(0);
    const verified = await runCli(['verify', '--json', '--no-leaks'], project.dir, { timeoutMs: 240_000, env });
    const report = JSON.parse(verified.stdout) as { ok: boolean; runner: { source: string } | null };
    expect(report.runner?.source).toBe('project');
    expect(report.ok, verified.stdout).toBe(true);
  }, 600_000);
});
