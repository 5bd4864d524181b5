/**
 * Fixture matrix, TypeScript 5.9 (issue 7): a NestJS-style API (non-strict CommonJS, type-aware ESLint
 * `recommendedTypeChecked`, prettier, `*.spec.ts` with a `tsconfig.build.json` that excludes them, extensionless
 * imports), and exactly what `npm init -y` + `tsc --init` produce (CommonJS + `verbatimModuleSyntax`, `types: []`).
 */
import { expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeFixture } from '../helpers/fixture-checks.js';
import { declared, must, show, TOOLBOX } from '../helpers/fixture-projects.js';

const box = TOOLBOX.ts5;

describeFixture(
  {
    name: 'a NestJS-style API: non-strict CommonJS, type-aware ESLint (recommendedTypeChecked), prettier, *.spec.ts, tsconfig.build.json',
    install: { toolbox: box },
    share: 0,
    packageJson: {
      name: 'nest-style-api',
      version: '0.0.1',
      private: true,
      license: 'UNLICENSED',
      scripts: {
        build: 'tsc -p tsconfig.build.json',
        typecheck: 'tsc --noEmit',
        lint: 'eslint "src/**/*.ts"',
        'format:check': 'prettier --check "src/**/*.ts"',
        test: 'vitest run',
      },
    },
    devDependencies: declared(box, ['typescript', '@types/node', 'vitest', 'tsx', 'eslint', '@eslint/js', 'typescript-eslint', 'prettier']),
    files: {
      // NestJS's starter tsconfig (module commonjs, node10 resolution, strict checks off, every @types visible).
      'tsconfig.json': {
        compilerOptions: {
          module: 'commonjs',
          declaration: true,
          removeComments: true,
          emitDecoratorMetadata: true,
          experimentalDecorators: true,
          allowSyntheticDefaultImports: true,
          target: 'ES2023',
          sourceMap: true,
          outDir: './dist',
          baseUrl: './',
          incremental: true,
          skipLibCheck: true,
          strictNullChecks: false,
          noImplicitAny: false,
          strictBindCallApply: false,
          forceConsistentCasingInFileNames: true,
          noFallthroughCasesInSwitch: false,
        },
      },
      'tsconfig.build.json': { extends: './tsconfig.json', exclude: ['node_modules', 'test', 'dist', '**/*spec.ts'] },
      '.prettierrc': { singleQuote: true, trailingComma: 'all' },
      '.gitignore': '/dist\n/node_modules\n',
      'eslint.config.mjs': [
        '// @ts-check',
        "import eslint from '@eslint/js';",
        "import tseslint from 'typescript-eslint';",
        '',
        'export default tseslint.config(',
        "  { ignores: ['eslint.config.mjs', 'dist'] },",
        '  eslint.configs.recommended,',
        '  ...tseslint.configs.recommendedTypeChecked,',
        '  {',
        '    languageOptions: {',
        "      sourceType: 'commonjs',",
        '      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },',
        '    },',
        '  },',
        '  {',
        '    rules: {',
        "      '@typescript-eslint/no-explicit-any': 'off',",
        "      '@typescript-eslint/no-floating-promises': 'warn',",
        "      '@typescript-eslint/no-unsafe-argument': 'warn',",
        '    },',
        '  },',
        ');',
        '',
      ].join('\n'),
      'src/app.service.ts': [
        'export class AppService {',
        '  private readonly greetings = new Map<string, string>();',
        '',
        '  getHello(name?: string): string {',
        "    const key = name ?? 'world';",
        '    if (!this.greetings.has(key)) this.greetings.set(key, `Hello ${key}!`);',
        '    return this.greetings.get(key);',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/app.controller.ts': [
        "import { AppService } from './app.service';",
        '',
        'export class AppController {',
        '  constructor(private readonly appService: AppService) {}',
        '',
        '  getHello(): string {',
        '    return this.appService.getHello();',
        '  }',
        '}',
        '',
      ].join('\n'),
      'src/app.service.spec.ts': [
        "import { describe, expect, it } from 'vitest';",
        "import { AppService } from './app.service';",
        '',
        "describe('AppService', () => {",
        "  it('greets the world', () => {",
        "    expect(new AppService().getHello()).toBe('Hello world!');",
        '  });',
        '});',
        '',
      ].join('\n'),
      'src/main.ts': [
        "import { AppController } from './app.controller';",
        "import { AppService } from './app.service';",
        '',
        'const controller = new AppController(new AppService());',
        'console.log(controller.getHello());',
        '',
      ].join('\n'),
    },
    scripts: { typecheck: 'typecheck', lint: 'lint', format: 'format:check' },
    expect: {
      outcome: 'added',
      profile: {
        packageManager: 'npm',
        compiler: { source: 'project', version: '5.9.3' },
        tsconfig: { path: 'tsconfig.json', moduleFormat: 'cjs' },
        formatter: { name: 'prettier', source: 'project' },
        linter: { name: 'eslint' },
        testNaming: 'spec',
        importStyle: 'none',
        testRunner: { name: 'vitest', declared: true, source: 'project' },
      },
    },
  },
  (state) => {
    it('its build (tsc -p tsconfig.build.json) puts no spec or bench file in dist, or add named the exclude to add', async () => {
      const { fx, adds } = state();
      const r = await fx.script('build');
      expect(r.exitCode, show('npm run build', r)).toBe(0);
      const emitted = listFiles(join(fx.dir, 'dist')).map((f) => relative(fx.dir, f));
      const leaked = emitted.filter((f) => /\.(spec|test|bench)\.(js|d\.ts)$/.test(f));
      expect(adds.some((a) => a.result.exitCode === 0), 'add wrote no module').toBe(true);
      const warned = (file: string): boolean => {
        const add = adds.find((a) => file.includes(`/${a.pattern}.`));
        return add !== undefined && /tsconfig\.build\.json/.test(add.result.stderr) && /exclude/i.test(add.result.stderr);
      };
      const unwarned = leaked.filter((f) => !warned(f));
      const stderr = adds.map((a) => `add ${a.pattern} stderr:\n${a.result.stderr.trim()}`).join('\n');
      expect(unwarned.length, `compiled into dist, and add did not warn naming tsconfig.build.json's exclude:\n  ${unwarned.join('\n  ')}\n${stderr}`).toBe(0);
    }, 300_000);
  },
);

describeFixture({
  name: 'exactly what `npm init -y` + `tsc --init` produce: CommonJS, verbatimModuleSyntax, types: [] (TypeScript 5.9)',
  install: { toolbox: box },
  share: 1,
  devDependencies: declared(box, ['typescript', '@types/node', 'vitest', 'tsx']),
  files: { 'src/index.ts': "const greeting: string = 'Hello from a fresh project';\nconsole.log(greeting);\n" },
  prepare: async (fx) => {
    await must('npm init -y', fx.exec('npm', ['init', '-y']));
    await must('tsc --init', fx.bin('tsc', ['--init']));
    const file = join(fx.dir, 'package.json');
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { scripts: Record<string, string> };
    pkg.scripts['typecheck'] = 'tsc --noEmit';
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  },
  scripts: { typecheck: 'typecheck' },
  expect: {
    outcome: 'added',
    profile: {
      packageManager: 'npm',
      compiler: { source: 'project', version: '5.9.3' },
      // .ts would compile to CommonJS, where verbatimModuleSyntax forbids ES syntax: the files are ES modules (.mts).
      tsconfig: { path: 'tsconfig.json', moduleFormat: 'esm' },
      // `npm init -y` declares what it finds in node_modules, prettier included.
      formatter: { name: 'prettier', source: 'project' },
      linter: null,
      testNaming: 'test',
      extension: '.mts',
      testRunner: { name: 'vitest', declared: true, source: 'project' },
    },
  },
});

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}
