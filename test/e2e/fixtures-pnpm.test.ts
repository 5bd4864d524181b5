/**
 * Fixture matrix, pnpm (issue 7): a strict NodeNext ESM library installed with a real `pnpm install` (pnpm from
 * npm), TypeScript 5.9 without `types` (every visible @types applies), typescript-eslint `strictTypeChecked` +
 * `stylisticTypeChecked`, `.js` import specifiers, no formatter of its own but an `.editorconfig` (4 spaces) that
 * the kit's prettier must honour.
 */
import { expect, it } from 'vitest';
import { describeFixture } from '../helpers/fixture-checks.js';
import { declared, TOOLBOX } from '../helpers/fixture-projects.js';

describeFixture(
  {
    name: 'a pnpm library: strict NodeNext ESM, no types, strictTypeChecked ESLint, .editorconfig, .js imports (TypeScript 5.9)',
    install: { pnpm: true },
    share: 2,
    packageJson: {
      name: '@acme/strict-lib',
      version: '0.1.0',
      private: true,
      type: 'module',
      exports: { '.': './dist/index.js' },
      scripts: { typecheck: 'tsc', lint: 'eslint src', test: 'vitest run' },
    },
    devDependencies: declared(TOOLBOX.ts5, ['typescript', '@types/node', 'vitest', 'tsx', 'eslint', '@eslint/js', 'typescript-eslint']),
    files: {
      'tsconfig.json': {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          verbatimModuleSyntax: true,
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          noImplicitOverride: true,
          noImplicitReturns: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          noPropertyAccessFromIndexSignature: true,
          noFallthroughCasesInSwitch: true,
          isolatedModules: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['src'],
      },
      // tsx (thread-pool's tests load TypeScript task files with it) depends on esbuild, whose install script pnpm
      // refuses to run unless allowed: a pnpm project using tsx carries this setting.
      'pnpm-workspace.yaml': 'allowBuilds:\n  esbuild: true\n',
      '.editorconfig': 'root = true\n\n[*]\nindent_style = space\nindent_size = 4\nend_of_line = lf\ninsert_final_newline = true\n',
      'eslint.config.js': [
        "import eslint from '@eslint/js';",
        "import tseslint from 'typescript-eslint';",
        '',
        'export default tseslint.config(',
        '    eslint.configs.recommended,',
        '    ...tseslint.configs.strictTypeChecked,',
        '    ...tseslint.configs.stylisticTypeChecked,',
        '    { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },',
        ');',
        '',
      ].join('\n'),
      'src/queue-name.ts': [
        '/** A queue name: lower-case words joined by dashes. */',
        'export function queueName(parts: readonly string[]): string {',
        '    return parts',
        '        .map((part) => part.trim().toLowerCase())',
        '        .filter((part) => part.length > 0)',
        "        .join('-');",
        '}',
        '',
      ].join('\n'),
      'src/index.ts': "export { queueName } from './queue-name.js';\n",
      'src/queue-name.test.ts': [
        "import { describe, expect, it } from 'vitest';",
        "import { queueName } from './queue-name.js';",
        '',
        "describe('queueName', () => {",
        "    it('joins trimmed lower-case parts', () => {",
        "        expect(queueName([' Mail ', '', 'OUT'])).toBe('mail-out');",
        '    });',
        '});',
        '',
      ].join('\n'),
    },
    scripts: { typecheck: 'typecheck', lint: 'lint' },
    expect: {
      outcome: 'added',
      profile: {
        packageManager: 'pnpm',
        compiler: { source: 'project', version: '5.9.3' },
        tsconfig: { path: 'tsconfig.json', moduleFormat: 'esm' },
        formatter: { name: 'prettier', source: 'kit' },
        linter: { name: 'eslint' },
        testNaming: 'test',
        importStyle: 'js',
        testRunner: { name: 'vitest', declared: true, source: 'project' },
      },
    },
  },
  (state) => {
    it(".editorconfig is honoured: the generated code is indented by 4 spaces (the kit's prettier, no formatter of the project's)", () => {
      const { fx, adds } = state();
      const files = adds.filter((a) => a.result.exitCode === 0).flatMap((a) => a.files);
      expect(files.length, 'add wrote no file').toBeGreaterThan(0);
      const wrong = files.flatMap((path) => {
        const indents = fx
          .read(path)
          .split('\n')
          .map((line) => /^( *)[^ *]/.exec(line)?.[1]?.length ?? 0)
          .filter((n) => n > 0);
        const smallest = Math.min(...indents);
        return smallest === 4 ? [] : [`${path}: smallest indentation ${String(smallest)} spaces`];
      });
      expect(wrong.length, wrong.join('\n')).toBe(0);
    });
  },
);
