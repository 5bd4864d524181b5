/**
 * Fixture matrix, TypeScript 7.0, the native compiler (issue 7): an oxfmt + oxlint service with
 * `rewriteRelativeImportExtensions` (`./x.ts` imports) and modules in three folders, and a project whose settings
 * cannot be met (lib ES2022 without DOM, `types: []`): there `add` must refuse with the fix and change nothing.
 */
import { describeFixture } from '../helpers/fixture-checks.js';
import { declared, must, TOOLBOX } from '../helpers/fixture-projects.js';

const box = TOOLBOX.ts7;

describeFixture({
  name: 'an oxfmt + oxlint service: rewriteRelativeImportExtensions (./x.ts), types: ["node"], modules in three folders (TypeScript 7.0)',
  install: { toolbox: box },
  share: 0,
  packageJson: {
    name: 'oxc-service',
    version: '1.0.0',
    private: true,
    type: 'module',
    scripts: { build: 'tsc', typecheck: 'tsc --noEmit', lint: 'oxlint --deny-warnings', 'format:check': 'oxfmt --check', test: 'vitest run' },
  },
  devDependencies: declared(box, ['typescript', '@types/node', 'vitest', 'tsx', 'oxfmt', 'oxlint']),
  files: {
    'tsconfig.json': {
      compilerOptions: {
        target: 'es2023',
        lib: ['es2023'],
        module: 'nodenext',
        types: ['node'],
        strict: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        rewriteRelativeImportExtensions: true,
        declaration: true,
        rootDir: 'src',
        outDir: 'dist',
        skipLibCheck: true,
      },
      include: ['src'],
    },
    '.gitignore': 'dist\nnode_modules\n',
    '.oxfmtrc.json': { singleQuote: true, ignorePatterns: [] },
    '.oxlintrc.json': {
      plugins: ['typescript', 'unicorn', 'oxc'],
      categories: { correctness: 'error', suspicious: 'warn' },
      rules: {},
      env: { builtin: true },
    },
    'src/port.ts': [
      '/** Parses a TCP port, or returns the fallback when the value is missing or out of range. */',
      'export function parsePort(value: string | undefined, fallback: number): number {',
      '  const port = Number(value);',
      '  return Number.isInteger(port) && port > 0 && port < 65536 ? port : fallback;',
      '}',
      '',
    ].join('\n'),
    'src/main.ts': [
      "import { createServer } from 'node:http';",
      "import { parsePort } from './port.ts';",
      '',
      "const server = createServer((_request, response) => response.end('ok'));",
      "server.listen(parsePort(process.env['PORT'], 3000));",
      '',
    ].join('\n'),
    'src/port.test.ts': [
      "import { describe, expect, it } from 'vitest';",
      "import { parsePort } from './port.ts';",
      '',
      "describe('parsePort', () => {",
      "  it('falls back on a missing or invalid value', () => {",
      "    expect(parsePort('8080', 3000)).toBe(8080);",
      '    expect(parsePort(undefined, 3000)).toBe(3000);',
      "    expect(parsePort('70000', 3000)).toBe(3000);",
      '  });',
      '});',
      '',
    ].join('\n'),
  },
  prepare: async (fx) => {
    await must('oxfmt', fx.bin('oxfmt', []));
  },
  scripts: { typecheck: 'typecheck', lint: 'lint', format: 'format:check' },
  // Three folders: plain `verify` must find every recorded module, wherever it lives.
  targets: { 'rate-limiter': 'src/limits', 'sharded-cache': 'src/cache' },
  expect: {
    outcome: 'added',
    profile: {
      packageManager: 'npm',
      compiler: { source: 'project', version: '7.0.2' },
      tsconfig: { path: 'tsconfig.json', moduleFormat: 'esm' },
      formatter: { name: 'oxfmt', source: 'project' },
      linter: { name: 'oxlint' },
      testNaming: 'test',
      importStyle: 'ts',
      testRunner: { name: 'vitest', declared: true, source: 'project' },
    },
  },
});

describeFixture({
  name: 'settings that cannot be met: lib ES2022 without DOM, types: [] (TypeScript 7.0)',
  install: { toolbox: box },
  share: 0,
  packageJson: { name: 'es2022-only', version: '1.0.0', private: true, type: 'module', scripts: { typecheck: 'tsc' } },
  devDependencies: declared(box, ['typescript', '@types/node', 'vitest', 'tsx']),
  files: {
    'tsconfig.json': {
      compilerOptions: { target: 'es2022', lib: ['es2022'], types: [], module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true },
      include: ['src'],
    },
    'src/index.ts': 'export function clamp(value: number, low: number, high: number): number {\n  return Math.min(high, Math.max(low, value));\n}\n',
  },
  scripts: { typecheck: 'typecheck' },
  expect: {
    outcome: 'refused',
    fix: /"types": \["node"\]/,
    profile: {
      packageManager: 'npm',
      compiler: { source: 'project', version: '7.0.2' },
      tsconfig: { path: 'tsconfig.json', moduleFormat: 'esm' },
      formatter: { name: 'prettier', source: 'kit' },
      linter: null,
      testNaming: 'test',
      testRunner: { name: 'vitest', declared: true, source: 'project' },
    },
  },
});
