/** The project's conventions read from its files: test naming, import style (and what the compiler allows). */
import { afterEach, describe, expect, it } from 'vitest';
import {
  allowedImportStyles,
  detectImportStyle,
  detectTestNaming,
  relativeSpecifiers,
  scanProjectFiles,
  specifierStyle,
  type ImportStyleConstraints,
} from '../../src/project/conventions.js';
import { createTempProject, type TempProject, type Tree } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function tree(files: Tree): string {
  project = createTempProject(files, { linkModules: false });
  return project.dir;
}

const bundler: ImportStyleConstraints = { moduleResolution: 'bundler', moduleFormat: 'esm', allowImportingTsExtensions: false, rewriteRelativeImportExtensions: false };
const nodenext: ImportStyleConstraints = { ...bundler, moduleResolution: 'nodenext' };

describe('test naming', () => {
  it('follows the majority of the test files, skipping node_modules and build output', () => {
    const dir = tree({
      'src/a.spec.ts': '',
      'src/b.spec.ts': '',
      'test/c.test.ts': '',
      'node_modules/x/d.test.ts': '',
      'node_modules/x/e.test.ts': '',
      'dist/f.test.js': '',
    });
    expect(detectTestNaming(dir)).toEqual({ naming: 'spec', from: 'files', testFiles: 1, specFiles: 2 });
  });

  it('defaults to *.test.ts with no test files, and on a tie', () => {
    expect(detectTestNaming(tree({ 'src/a.ts': '' }))).toMatchObject({ naming: 'test', from: 'default' });
    project?.cleanup();
    expect(detectTestNaming(tree({ 'a.spec.ts': '', 'b.test.ts': '' }))).toMatchObject({ naming: 'test', from: 'files' });
  });

  it("takes the vitest config's include when it names only one kind", () => {
    const dir = tree({ 'vitest.config.ts': "export default { test: { include: ['src/**/*.spec.ts'] } };\n", 'src/legacy.test.ts': '' });
    expect(detectTestNaming(dir)).toMatchObject({ naming: 'spec', from: 'vitest-config' });
    project?.cleanup();
    const tests = tree({ 'vite.config.ts': 'export default { test: { include: ["tests/**/*.test.ts"] } };\n', 'a.spec.ts': '' });
    expect(detectTestNaming(tests)).toMatchObject({ naming: 'test', from: 'vitest-config' });
  });

  it('falls back to the files when the include names both kinds', () => {
    const dir = tree({ 'vitest.config.mts': "export default { test: { include: ['**/*.{test,spec}.ts'] } };\n", 'a.spec.ts': '' });
    expect(detectTestNaming(dir)).toMatchObject({ naming: 'spec', from: 'files' });
  });
});

describe('import style', () => {
  it('classifies relative specifiers, ignoring packages and assets', () => {
    expect(['./a.js', '../b.mjs', './c.ts', './d.tsx', './app.service', '..', './x.css', 'lodash', 'node:fs', './data.json'].map(specifierStyle)).toEqual([
      'js',
      'js',
      'ts',
      'ts',
      'none',
      'none',
      null,
      null,
      null,
      null,
    ]);
  });

  it('finds import, export-from, side-effect and dynamic imports', () => {
    const text = "import a from './a.js';\nexport * from \"./b\";\nimport './c.ts';\nconst d = await import('./d.js');\nimport x from 'pkg';\n";
    expect(relativeSpecifiers(text)).toEqual(['./a.js', './b', './c.ts', './d.js']);
  });

  it('knows what the compiler accepts', () => {
    expect(allowedImportStyles(nodenext)).toEqual(['js']);
    expect(allowedImportStyles({ ...nodenext, moduleFormat: 'cjs' })).toEqual(['js', 'none']);
    expect(allowedImportStyles({ ...nodenext, rewriteRelativeImportExtensions: true })).toEqual(['js', 'ts']);
    expect(allowedImportStyles({ ...bundler, allowImportingTsExtensions: true })).toEqual(['js', 'ts', 'none']);
    expect(allowedImportStyles(bundler)).toEqual(['js', 'none']);
    // An .mts module is found only through its .mjs name, whatever the resolution or extension settings.
    expect(allowedImportStyles({ ...bundler, allowImportingTsExtensions: true, extension: '.mts' })).toEqual(['js']);
  });

  it("follows the project's own habit: extensionless in a bundler project", () => {
    const dir = tree({ 'src/app.ts': "import { s } from './app.service';\nimport { t } from './util';\n", 'src/main.ts': "import { a } from './app.js';\n" });
    expect(detectImportStyle(dir, bundler)).toEqual({ style: 'none', from: 'files', counts: { js: 1, ts: 0, none: 2 } });
  });

  it('writes .ts where the project does and the compiler allows it; .js where .ts is not allowed', () => {
    const files = { 'src/a.ts': "import { b } from './b.ts';\nimport { c } from './c.ts';\n", 'src/b.ts': "export * from './c.ts';\n" };
    const dir = tree(files);
    expect(detectImportStyle(dir, { ...nodenext, rewriteRelativeImportExtensions: true }).style).toBe('ts');
    expect(detectImportStyle(dir, nodenext)).toMatchObject({ style: 'js', from: 'default' });
  });

  it('never writes extensionless imports for Node ES modules, whatever the files do', () => {
    const dir = tree({ 'src/a.ts': "import { b } from './b';\n" });
    expect(detectImportStyle(dir, nodenext)).toMatchObject({ style: 'js', from: 'default' });
    expect(detectImportStyle(dir, { ...nodenext, moduleFormat: 'cjs' })).toMatchObject({ style: 'none', from: 'files' });
  });

  it('defaults to none outside Node ESM, and to .ts when imports are rewritten', () => {
    const dir = tree({ 'src/a.ts': 'export const a = 1;\n' });
    expect(detectImportStyle(dir, bundler)).toMatchObject({ style: 'none', from: 'default' });
    expect(detectImportStyle(dir, { ...bundler, rewriteRelativeImportExtensions: true })).toMatchObject({ style: 'ts', from: 'default' });
  });

  it("does not count the kit's own generated files", () => {
    const dir = tree({
      'src/concurrency/worker-pool.test.ts': "// Generated by concurrency-kit 0.1.0 (pattern: worker-pool)\nimport { WorkerPool } from './worker-pool.js';\n",
      'src/a.ts': "import { b } from './b';\n",
    });
    expect(detectImportStyle(dir, bundler)).toMatchObject({ style: 'none', counts: { js: 0, ts: 0, none: 1 } });
  });

  it('scans code files only, not declarations, hidden folders or dependencies', () => {
    const dir = tree({ 'a.ts': '', 'b.d.ts': '', '.cache/c.ts': '', 'node_modules/d/e.ts': '', 'src/f.tsx': '', 'src/g.md': '' });
    expect(scanProjectFiles(dir).map((f) => f.slice(dir.length + 1))).toEqual(['a.ts', 'src/f.tsx']);
  });
});
