/**
 * The tooling detectors on temp trees: package manager, formatter, linters, test runner, dependencies declared,
 * and the `info` aggregate. Installed tools are stand-in package folders (a package.json with a `bin`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { detectPackageManager, installDevCommand } from '../../src/project/package-manager.js';
import { commandLine } from '../../src/shell.js';
import { detectFormatter } from '../../src/project/formatter.js';
import { detectLinter, detectLinters } from '../../src/project/linter.js';
import { detectTestRunner, kitVitestVersion } from '../../src/project/test-runner.js';
import { declaredDependencies, installedPackage, parseJsonc, projectScopeDirs } from '../../src/project/project-files.js';
import { detectTooling } from '../../src/project/tools.js';
import { createTempProject, type TempProject, type Tree } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function tree(files: Tree): string {
  project = createTempProject(files, { linkModules: false });
  return project.dir;
}

/** A stand-in installed package: `node_modules/<name>/package.json` with a bin script. */
function installed(name: string, version: string, bin: string): Tree {
  return { [`node_modules/${name}/package.json`]: { name, version, bin: { [bin]: `bin/${bin}.js` } }, [`node_modules/${name}/bin/${bin}.js`]: '' };
}

describe('package manager', () => {
  it('reads the lockfile: pnpm, yarn, bun (both lockfile names), npm', () => {
    for (const [file, name] of [
      ['pnpm-lock.yaml', 'pnpm'],
      ['yarn.lock', 'yarn'],
      ['bun.lock', 'bun'],
      ['bun.lockb', 'bun'],
      ['package-lock.json', 'npm'],
    ] as const) {
      const dir = tree({ 'package.json': { name: 'p' }, [file]: '' });
      expect(detectPackageManager(dir)).toEqual({ name, from: 'lockfile', file: join(dir, file) });
      project?.cleanup();
    }
  });

  it("finds the workspace root's lockfile from a member package", () => {
    const dir = tree({ 'package.json': { name: 'root', private: true }, 'pnpm-workspace.yaml': 'packages: [packages/*]\n', 'pnpm-lock.yaml': '', 'packages/a/package.json': { name: 'a' } });
    expect(detectPackageManager(join(dir, 'packages', 'a')).name).toBe('pnpm');
  });

  it('without a lockfile, reads package.json "packageManager"; else npm', () => {
    expect(detectPackageManager(tree({ 'package.json': { name: 'p', packageManager: 'yarn@4.5.0+sha512.abc' } }))).toMatchObject({ name: 'yarn', from: 'packageManager' });
    project?.cleanup();
    expect(detectPackageManager(tree({ 'package.json': { name: 'p' } }))).toEqual({ name: 'npm', from: 'default', file: null });
  });

  it('breaks a tie between two lockfiles in one folder with "packageManager"', () => {
    const dir = tree({ 'package.json': { name: 'p', packageManager: 'pnpm@10.0.0' }, 'package-lock.json': '{}', 'pnpm-lock.yaml': '', 'yarn.lock': '' });
    expect(detectPackageManager(dir).name).toBe('pnpm');
  });

  it('gives the exact dev-dependency install command for each manager, shell-quoted', () => {
    expect(commandLine(installDevCommand('npm', ['vitest@^4.1', '@types/node@^20']))).toBe('npm install --save-dev vitest@^4.1 @types/node@^20');
    expect(commandLine(installDevCommand('pnpm', ['vitest@^4.1']))).toBe('pnpm add --save-dev vitest@^4.1');
    expect(commandLine(installDevCommand('yarn', ['vitest@^4.1']))).toBe('yarn add --dev vitest@^4.1');
    expect(commandLine(installDevCommand('bun', ['vitest@^4.1']))).toBe('bun add --dev vitest@^4.1');
    expect(commandLine(['npx', 'x', 'it is', "o'k"])).toBe(`npx x 'it is' 'o'\\''k'`);
  });
});

describe('declared dependencies', () => {
  it("reads every dependency field of the project's package.json, and of its workspace root", () => {
    const dir = tree({
      'package.json': { name: 'root', workspaces: ['packages/*'], devDependencies: { vitest: '^4.1.0' } },
      'packages/a/package.json': { name: 'a', dependencies: { x: '1' }, peerDependencies: { y: '2' }, optionalDependencies: { z: '3' }, devDependencies: { '@types/node': '^20' } },
    });
    const member = join(dir, 'packages', 'a');
    expect([...declaredDependencies(member).keys()].sort()).toEqual(['@types/node', 'vitest', 'x', 'y', 'z']);
    expect(projectScopeDirs(member)).toEqual([member, join(dir, 'packages'), dir]);
    expect(declaredDependencies(join(dir, 'packages', 'a')).get('vitest')).toBe('^4.1.0');
  });

  it('never looks into node_modules for what is declared, nor above the project for what is installed', () => {
    const dir = tree({ 'package.json': { name: 'outer' }, ...installed('vitest', '4.1.0', 'vitest'), 'app/package.json': { name: 'app' } });
    const app = join(dir, 'app');
    expect(declaredDependencies(app).has('vitest')).toBe(false);
    expect(installedPackage(app, 'vitest')).toBeNull();
    expect(installedPackage(dir, 'vitest')).toMatchObject({ version: '4.1.0', dir: join(dir, 'node_modules', 'vitest') });
  });

  it('parses JSON with comments and trailing commas, keeping // inside strings', () => {
    expect(parseJsonc('{ // c\n "a": "http://x", /* b */ "b": [1, 2,], }')).toEqual({ a: 'http://x', b: [1, 2] });
    expect(parseJsonc('{ "a": ')).toBeUndefined();
  });
});

describe('test runner: whose vitest', () => {
  it("is the project's when declared and installed inside the project", () => {
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { vitest: '^4.0.0' } }, ...installed('vitest', '4.0.7', 'vitest') });
    expect(detectTestRunner(dir)).toEqual({ name: 'vitest', version: '4.0.7', declared: true, source: 'project', packageDir: join(dir, 'node_modules', 'vitest') });
  });

  it("is the kit's when the project does not declare it, even if a copy sits in its node_modules", () => {
    const dir = tree({ 'package.json': { name: 'p' }, ...installed('vitest', '4.0.7', 'vitest') });
    expect(detectTestRunner(dir)).toMatchObject({ declared: false, source: 'kit', version: kitVitestVersion() });
    expect(kitVitestVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("is the kit's when declared but not installed (a fresh clone before install)", () => {
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { vitest: '^4.0.0' } } });
    expect(detectTestRunner(dir)).toMatchObject({ declared: true, source: 'kit' });
  });

  it("counts a node_modules that is a link (as pnpm and the test toolboxes make them) as the project's", () => {
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { vitest: '^4.0.0' } }, 'store/vitest/package.json': { name: 'vitest', version: '4.1.1' } });
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(dir, 'store', 'vitest'), join(dir, 'node_modules', 'vitest'), 'dir');
    expect(detectTestRunner(dir)).toMatchObject({ source: 'project', version: '4.1.1' });
  });
});

describe('formatter', () => {
  it("is the kit's prettier when the project has none", () => {
    expect(detectFormatter(tree({ 'package.json': { name: 'p' } }))).toMatchObject({ name: 'prettier', source: 'kit', configFile: null, missing: null });
  });

  it("is the project's prettier when configured and installed; the kit's prettier with the project's config when not installed", () => {
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { prettier: '^3' } }, '.prettierrc.json': {}, ...installed('prettier', '3.3.0', 'prettier') });
    expect(detectFormatter(dir)).toMatchObject({ name: 'prettier', source: 'project', configFile: join(dir, '.prettierrc.json'), bin: null });
    project?.cleanup();
    const bare = tree({ 'package.json': { name: 'p', prettier: { semi: false } } });
    expect(detectFormatter(bare)).toMatchObject({ name: 'prettier', source: 'kit', configFile: join(bare, 'package.json'), missing: null });
  });

  it('finds biome, dprint and oxfmt by config and dependency, with the bin to run', () => {
    const cases = [
      { name: 'biome', pkg: '@biomejs/biome', bin: 'biome', config: { 'biome.jsonc': '{ // comment\n "formatter": { "indentStyle": "space" } }' } },
      { name: 'dprint', pkg: 'dprint', bin: 'dprint', config: { 'dprint.json': { plugins: ['https://plugins.dprint.dev/typescript-0.95.0.wasm'] } } },
      { name: 'oxfmt', pkg: 'oxfmt', bin: 'oxfmt', config: { '.oxfmtrc.json': { singleQuote: true } } },
    ] as const;
    for (const c of cases) {
      const dir = tree({ 'package.json': { name: 'p', devDependencies: { [c.pkg]: '*' } }, ...c.config, ...installed(c.pkg, '1.0.0', c.bin) });
      expect(detectFormatter(dir)).toMatchObject({ name: c.name, source: 'project', bin: join(dir, 'node_modules', c.pkg, 'bin', `${c.bin}.js`), missing: null });
      project?.cleanup();
    }
  });

  it('does not take biome for the formatter when its config turns the formatter off; prettier then wins', () => {
    const dir = tree({
      'package.json': { name: 'p', devDependencies: { '@biomejs/biome': '*', prettier: '*' } },
      'biome.json': { formatter: { enabled: false } },
      '.prettierrc': '{}',
    });
    expect(detectFormatter(dir).name).toBe('prettier');
  });

  it('lets the format script decide between two configured formatters', () => {
    const base = { 'biome.json': {}, '.prettierrc': '{}', ...installed('@biomejs/biome', '2.0.0', 'biome'), ...installed('prettier', '3.0.0', 'prettier') };
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { '@biomejs/biome': '*', prettier: '*' }, scripts: { format: 'biome format --write .' } }, ...base });
    expect(detectFormatter(dir).name).toBe('biome');
    project?.cleanup();
    const other = tree({ 'package.json': { name: 'p', devDependencies: { '@biomejs/biome': '*', prettier: '*' }, scripts: { format: 'prettier --write .', lint: 'biome lint .' } }, ...base });
    expect(detectFormatter(other).name).toBe('prettier');
  });

  it('ignores a dprint config without a TypeScript plugin', () => {
    const dir = tree({ 'package.json': { name: 'p' }, 'dprint.json': { plugins: ['https://plugins.dprint.dev/json-0.19.0.wasm'] } });
    expect(detectFormatter(dir)).toMatchObject({ name: 'prettier', source: 'kit', missing: null });
  });

  it("falls back to the kit's prettier, saying so, when the project's formatter is not installed", () => {
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { oxfmt: '^0.79.0' } }, '.oxfmtrc.json': {} });
    expect(detectFormatter(dir)).toMatchObject({ name: 'prettier', source: 'kit', missing: { name: 'oxfmt', evidence: join(dir, '.oxfmtrc.json') } });
  });

  it('finds the configuration at the repository root from a package below it', () => {
    const dir = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'biome.json': {},
      'package.json': { name: 'root' },
      'pkg/package.json': { name: 'pkg', devDependencies: { '@biomejs/biome': '*' } },
      ...Object.fromEntries(Object.entries(installed('@biomejs/biome', '2.0.0', 'biome')).map(([k, v]) => [`pkg/${k}`, v])),
    });
    expect(detectFormatter(join(dir, 'pkg'))).toMatchObject({ name: 'biome', source: 'project', configFile: join(dir, 'biome.json') });
  });
});

describe('linters', () => {
  it('finds ESLint by its flat config, biome by config + dependency, oxlint by config or dependency', () => {
    const dir = tree({
      'package.json': { name: 'p', devDependencies: { eslint: '^9', '@biomejs/biome': '*', oxlint: '*' } },
      'eslint.config.mjs': 'export default [];\n',
      'biome.json': {},
      ...installed('eslint', '9.30.0', 'eslint'),
      ...installed('oxlint', '1.0.0', 'oxlint'),
    });
    expect(detectLinters(dir)).toEqual([
      { name: 'eslint', configFile: join(dir, 'eslint.config.mjs'), bin: join(dir, 'node_modules/eslint/bin/eslint.js'), version: '9.30.0' },
      { name: 'biome', configFile: join(dir, 'biome.json'), bin: null, version: null },
      { name: 'oxlint', configFile: null, bin: join(dir, 'node_modules/oxlint/bin/oxlint.js'), version: '1.0.0' },
    ]);
    expect(detectLinter(dir)).toEqual({ name: 'eslint' });
  });

  it('puts first the linter the lint script runs first', () => {
    const dir = tree({ 'package.json': { name: 'p', scripts: { lint: 'oxlint && eslint .' }, devDependencies: { oxlint: '*' } }, 'eslint.config.js': '' });
    expect(detectLinters(dir).map((l) => l.name)).toEqual(['oxlint', 'eslint']);
  });

  it('skips biome with its linter off, a legacy .eslintrc, and a project with no linter', () => {
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { '@biomejs/biome': '*', eslint: '^8' } }, 'biome.json': { linter: { enabled: false } }, '.eslintrc.json': {} });
    expect(detectLinters(dir)).toEqual([]);
    expect(detectLinter(dir)).toBeNull();
  });
});

describe('the tooling profile for info', () => {
  it("assembles the shared contract's fields", () => {
    const dir = tree({
      'package.json': { name: 'p', type: 'module', devDependencies: { vitest: '^4.1.0' } },
      'pnpm-lock.yaml': '',
      'eslint.config.js': '',
      'src/a.ts': "import { b } from './b.ts';\n",
      'src/b.spec.ts': "import { a } from './a.ts';\n",
      ...installed('vitest', '4.1.3', 'vitest'),
    });
    const profile = detectTooling(dir, { moduleResolution: 'bundler', moduleFormat: 'esm', allowImportingTsExtensions: true, rewriteRelativeImportExtensions: false });
    expect(profile).toEqual({
      packageManager: 'pnpm',
      formatter: { name: 'prettier', source: 'kit' },
      linter: { name: 'eslint' },
      testRunner: { name: 'vitest', version: '4.1.3', declared: true, source: 'project' },
      testNaming: 'spec',
      importStyle: 'ts',
    });
  });
});
