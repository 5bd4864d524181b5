/**
 * Fixture matrix, TypeScript 6.0 (issue 7): a biome-formatted and biome-linted library under `erasableSyntaxOnly` +
 * `isolatedDeclarations` with `./x.ts` imports and no `types` (so TypeScript 6 makes no @types package visible),
 * and a Vite react-ts-style app with a solution-style tsconfig, checked with `tsc -b`.
 */
import { describeFixture } from '../helpers/fixture-checks.js';
import { declared, must, TOOLBOX } from '../helpers/fixture-projects.js';

const box = TOOLBOX.ts6;

describeFixture({
  name: 'a biome library: erasableSyntaxOnly + isolatedDeclarations + allowImportingTsExtensions (./x.ts), no types (TypeScript 6.0)',
  install: { toolbox: box },
  share: 2,
  packageJson: {
    name: 'isomorphic-units',
    version: '1.0.0',
    private: true,
    type: 'module',
    scripts: { typecheck: 'tsc', lint: 'biome check', 'format:check': 'biome format', test: 'vitest run' },
  },
  devDependencies: declared(box, ['typescript', '@types/node', 'vitest', 'tsx', '@biomejs/biome']),
  files: {
    'tsconfig.json': {
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        verbatimModuleSyntax: true,
        erasableSyntaxOnly: true,
        isolatedDeclarations: true,
        declaration: true,
        allowImportingTsExtensions: true,
        noEmit: true,
        skipLibCheck: true,
      },
      include: ['src'],
    },
    'src/standard.ts': [
      '/** A quantity with its unit. */',
      'export interface Measure {',
      '  readonly value: number;',
      '  readonly unit: "m" | "km";',
      '}',
      '',
      '/** Converts every measure to metres. */',
      'export function standardize(measures: readonly Measure[]): Measure[] {',
      '  return measures.map((m) => (m.unit === "km" ? { value: m.value * 1000, unit: "m" } : m));',
      '}',
      '',
    ].join('\n'),
    'src/index.ts': 'export type { Measure } from "./standard.ts";\nexport { standardize } from "./standard.ts";\n',
    'src/standard.test.ts': [
      'import { describe, expect, it } from "vitest";',
      'import { standardize } from "./standard.ts";',
      '',
      'describe("standardize", () => {',
      '  it("converts kilometres to metres", () => {',
      '    expect(standardize([{ value: 2, unit: "km" }])).toEqual([{ value: 2000, unit: "m" }]);',
      '  });',
      '});',
      '',
    ].join('\n'),
  },
  // `biome init` writes the project's biome.json; the fixture's own files then start formatted as biome wants.
  prepare: async (fx) => {
    await must('biome init', fx.bin('biome', ['init']));
    await must('biome check --write', fx.bin('biome', ['check', '--write']));
  },
  scripts: { typecheck: 'typecheck', lint: 'lint', format: 'format:check' },
  expect: {
    outcome: 'added',
    profile: {
      packageManager: 'npm',
      compiler: { source: 'project', version: '6.0.3' },
      tsconfig: { path: 'tsconfig.json', moduleFormat: 'esm' },
      formatter: { name: 'biome', source: 'project' },
      linter: { name: 'biome' },
      testNaming: 'test',
      importStyle: 'ts',
      testRunner: { name: 'vitest', declared: true, source: 'project' },
    },
  },
});

/** Vite's react-ts template (tsconfig.app.json with lib ES2020 + DOM, and tsconfig.node.json for vite.config.ts). */
const viteCompilerOptions = {
  skipLibCheck: true,
  moduleResolution: 'bundler',
  allowImportingTsExtensions: true,
  verbatimModuleSyntax: true,
  moduleDetection: 'force',
  noEmit: true,
  strict: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  erasableSyntaxOnly: true,
  noFallthroughCasesInSwitch: true,
  noUncheckedSideEffectImports: true,
};

describeFixture({
  name: 'a Vite react-ts-style app: solution-style tsconfig (files: [], references), bundler, DOM lib, types: ["vite/client"], tsc -b (TypeScript 6.0)',
  install: { toolbox: box },
  share: 1,
  packageJson: {
    name: 'vite-app',
    private: true,
    version: '0.0.0',
    type: 'module',
    scripts: { dev: 'vite', build: 'tsc -b && vite build', typecheck: 'tsc -b', lint: 'eslint .', preview: 'vite preview' },
  },
  devDependencies: declared(box, ['typescript', '@types/node', 'vitest', 'tsx', 'vite', 'eslint', '@eslint/js', 'typescript-eslint']),
  files: {
    'tsconfig.json': { files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }] },
    'tsconfig.app.json': {
      compilerOptions: {
        tsBuildInfoFile: './node_modules/.tmp/tsconfig.app.tsbuildinfo',
        target: 'ES2020',
        useDefineForClassFields: true,
        lib: ['ES2020', 'DOM', 'DOM.Iterable'],
        module: 'ESNext',
        types: ['vite/client'],
        jsx: 'react-jsx',
        ...viteCompilerOptions,
      },
      include: ['src'],
    },
    'tsconfig.node.json': {
      compilerOptions: {
        tsBuildInfoFile: './node_modules/.tmp/tsconfig.node.tsbuildinfo',
        target: 'ES2023',
        lib: ['ES2023'],
        module: 'ESNext',
        types: ['node'],
        ...viteCompilerOptions,
      },
      include: ['vite.config.ts'],
    },
    'vite.config.ts': "import { defineConfig } from 'vite'\n\n// https://vite.dev/config/\nexport default defineConfig({\n  build: { target: 'es2020' },\n})\n",
    'eslint.config.js': [
      "import js from '@eslint/js'",
      "import tseslint from 'typescript-eslint'",
      "import { defineConfig, globalIgnores } from 'eslint/config'",
      '',
      'export default defineConfig([',
      "  globalIgnores(['dist']),",
      '  {',
      "    files: ['**/*.{ts,tsx}'],",
      '    extends: [js.configs.recommended, tseslint.configs.recommended],',
      '    languageOptions: { ecmaVersion: 2020 },',
      '  },',
      '])',
      '',
    ].join('\n'),
    'index.html':
      '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n    <title>vite-app</title>\n  </head>\n  <body>\n    <div id="app"></div>\n    <script type="module" src="/src/main.ts"></script>\n  </body>\n</html>\n',
    'src/main.ts': [
      "import { setupCounter } from './counter.ts'",
      '',
      "const app = document.querySelector<HTMLDivElement>('#app')",
      "if (app) app.innerHTML = `<button id=\"counter\" type=\"button\"></button>`",
      "const button = document.querySelector<HTMLButtonElement>('#counter')",
      'if (button) setupCounter(button)',
      '',
    ].join('\n'),
    'src/counter.ts': [
      'export function setupCounter(element: HTMLButtonElement) {',
      '  let counter = 0',
      '  const setCounter = (count: number) => {',
      '    counter = count',
      '    element.innerHTML = `count is ${counter}`',
      '  }',
      "  element.addEventListener('click', () => setCounter(counter + 1))",
      '  setCounter(0)',
      '}',
      '',
    ].join('\n'),
  },
  scripts: { typecheck: 'typecheck', lint: 'lint' },
  expect: {
    outcome: 'added',
    profile: {
      packageManager: 'npm',
      compiler: { source: 'project', version: '6.0.3' },
      tsconfig: { path: 'tsconfig.app.json', moduleFormat: 'esm' },
      formatter: { name: 'prettier', source: 'kit' },
      linter: { name: 'eslint' },
      testNaming: 'test',
      importStyle: 'ts',
      testRunner: { name: 'vitest', declared: true, source: 'project' },
    },
  },
});
