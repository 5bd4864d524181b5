import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { TypeCheckError, UnmetSettingError } from '../../src/errors.js';
import { parseTscOutput } from '../../src/project/check-tsc.js';
import { explainDiagnostics, flagHints } from '../../src/project/settings.js';
import { readTsconfig } from '../../src/project/tsconfig.js';
import { checkCandidates, resolveTypeScriptTarget } from '../../src/project/typescript.js';
import type { CheckDiagnostic } from '../../src/project/check.js';
import { createTempProject, snapshotTree, type TempProject, type Tree } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const missing = (name: string, code = 2304): CheckDiagnostic => ({ file: '/p/src/a.ts', line: 1, column: 1, code, message: `Cannot find name '${name}'.` });

describe('explainDiagnostics: the setting and its one-line fix', () => {
  function context(files: Tree, major = 7): Parameters<typeof explainDiagnostics>[1] {
    project = createTempProject(files, { linkModules: false });
    return { tsconfig: readTsconfig(join(project.dir, 'tsconfig.app.json')), projectRoot: project.dir, compilerMajor: major };
  }

  it('web globals with no DOM lib and no node types: add "types": ["node"], or "DOM" to lib', () => {
    const ctx = context({
      'package.json': { devDependencies: { '@types/node': '^20' } },
      'node_modules/@types/node/package.json': { name: '@types/node', version: '20.0.0' },
      'tsconfig.app.json': { compilerOptions: { lib: ['ES2022'], types: [] } },
    });
    const { settings, unexplained } = explainDiagnostics([missing('setTimeout'), missing('AbortSignal')], ctx);
    expect(unexplained).toEqual([]);
    expect(settings).toEqual([
      {
        setting: 'compilerOptions.types in tsconfig.app.json',
        needs: expect.stringContaining('AbortSignal, setTimeout') as unknown,
        fix: 'add "types": ["node"] to compilerOptions in tsconfig.app.json',
        alternative: 'add "DOM" to "lib" in compilerOptions of tsconfig.app.json ("lib": ["ES2022", "DOM"])',
      },
    ]);
  });

  it("untyped imports of Node's own modules explain their follow-on errors; without them those errors stay unexplained", () => {
    const ctx = context({
      'package.json': { devDependencies: { '@types/node': '^20' } },
      'node_modules/@types/node/package.json': { name: '@types/node', version: '20.0.0' },
      'tsconfig.app.json': { compilerOptions: { types: [] } },
    });
    const followOn: CheckDiagnostic = { file: '/p/src/a.ts', line: 9, column: 3, code: 2339, message: "Property 'unref' does not exist on type 'number'." };
    const withImport = explainDiagnostics([missing('node:worker_threads', 2591), followOn], ctx);
    expect(withImport.unexplained).toEqual([]);
    expect(withImport.settings[0]?.fix).toBe('add "types": ["node"] to compilerOptions in tsconfig.app.json');
    // A missing global alone does not make an unrelated error a consequence of it.
    expect(explainDiagnostics([missing('setTimeout'), followOn], ctx).unexplained).toEqual([followOn]);
  });

  it('says to install @types/node when the project does not declare it, and keeps the other types entries', () => {
    const ctx = context({ 'package.json': {}, 'tsconfig.app.json': { compilerOptions: { types: ['vite/client'] } } });
    const [setting] = explainDiagnostics([missing('setImmediate', 2591)], ctx).settings;
    expect(setting?.fix).toBe('install @types/node (npm i -D @types/node), then add "node" to "types" in compilerOptions of tsconfig.app.json ("types": ["vite/client", "node"])');
    expect(setting?.alternative).toBeUndefined();
  });

  it('names the config of the chain that sets "types", not a package base it cannot edit', () => {
    const ctx = context({
      'package.json': { devDependencies: { '@types/node': '^20' } },
      'node_modules/@types/node/package.json': { name: '@types/node', version: '20.0.0' },
      'tsconfig.base.json': { compilerOptions: { types: [] } },
      'tsconfig.app.json': { extends: './tsconfig.base.json' },
    });
    expect(explainDiagnostics([missing('process')], ctx).settings[0]?.fix).toBe('add "types": ["node"] to compilerOptions in tsconfig.base.json');
  });

  it('TypeScript 5 sees every installed @types package when "types" is unset: only the install is missing', () => {
    const ctx = context({ 'package.json': {}, 'tsconfig.app.json': {} }, 5);
    expect(explainDiagnostics([missing('setTimeout')], ctx).settings[0]?.fix).toBe('install @types/node (npm i -D @types/node)');
  });

  it('a lib too old and an uninstalled package get their own fixes; code errors stay unexplained', () => {
    const ctx = context({ 'package.json': {}, 'tsconfig.app.json': { compilerOptions: { lib: ['ES2020'] } } });
    const lib: CheckDiagnostic = { ...missing('WeakRef', 2583), message: "Cannot find name 'WeakRef'. Do you need to change your target library? Try changing the 'lib' compiler option to 'es2021' or later." };
    const pkg: CheckDiagnostic = { ...missing('x', 2307), message: "Cannot find module 'vitest' or its corresponding type declarations." };
    const code: CheckDiagnostic = { ...missing('x', 2322), message: "Type 'string' is not assignable to type 'number'." };
    const { settings, unexplained } = explainDiagnostics([lib, pkg, code], ctx);
    expect(settings.map((s) => s.fix)).toEqual(['add "es2021" to "lib" in compilerOptions of tsconfig.app.json ("lib": ["ES2020", "es2021"])', 'install vitest (npm i -D vitest)']);
    expect(unexplained).toEqual([code]);
  });

  it('names the strictness flag behind a diagnostic as a template defect', () => {
    const ctx = context({ 'tsconfig.app.json': { compilerOptions: { erasableSyntaxOnly: true } } });
    const hints = flagHints([{ ...missing('x', 1294), message: "This syntax is not allowed when 'erasableSyntaxOnly' is enabled." }], ctx);
    expect(hints).toEqual([expect.stringMatching(/^The generated code does not meet "erasableSyntaxOnly" \(set in tsconfig\.app\.json\)/)]);
  });
});

describe('parseTscOutput', () => {
  it('reads located and global errors with their continuation lines', () => {
    const out = [
      "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "  Type 'x' is not assignable to type 'y'.",
      "error TS5108: Option 'target=ES5' has been removed.",
      'Found 2 errors.',
    ].join('\n');
    expect(parseTscOutput(out, '/p')).toEqual([
      { file: '/p/src/a.ts', line: 3, column: 7, code: 2322, message: "Type 'string' is not assignable to type 'number'.\nType 'x' is not assignable to type 'y'." },
      { file: null, line: 0, column: 0, code: 5108, message: "Option 'target=ES5' has been removed." },
    ]);
  });
});

// The kit's own TypeScript (5.9, a devDependency linked into the temp project) stands for a project's TypeScript 5.
describe("checkCandidates with the project's TypeScript, in process", () => {
  const declared = 'export class Pool { async [Symbol.asyncDispose](): Promise<void> {} }\nexport const t: ReturnType<typeof setTimeout> | undefined = undefined;\n';
  const installed = 'export class Pool {}\nexport const t: ReturnType<typeof setTimeout> | undefined = undefined;\n';

  function target(tsconfig: object): { dir: string; ts: ReturnType<typeof resolveTypeScriptTarget>; files: (text: string) => { path: string; contents: string }[] } {
    project = createTempProject({ 'package.json': { name: 'p', type: 'module', devDependencies: { '@types/node': '^20' } }, 'tsconfig.json': tsconfig });
    const dir = project.dir;
    const out = join(dir, 'src', 'concurrency');
    return { dir, ts: resolveTypeScriptTarget(out, 'pool', dir), files: (text) => [{ path: join(out, 'pool.ts'), contents: text }] };
  }

  it('takes the declared dispose hook when the lib has Symbol.asyncDispose', async () => {
    const { dir, ts, files } = target({ compilerOptions: { strict: true, module: 'NodeNext', lib: ['ESNext'], types: ['node'] }, include: ['src'] });
    expect(ts.compiler).toMatchObject({ source: 'project', via: 'api', version: '5.9.3' });
    expect((await checkCandidates(ts, [files(declared), files(installed)], dir, 'pool')).index).toBe(0);
  });

  it('falls back to the installed hook when the lib lacks it', async () => {
    const { dir, ts, files } = target({ compilerOptions: { strict: true, module: 'NodeNext', lib: ['ES2022', 'DOM'], types: [] }, include: ['src'] });
    expect((await checkCandidates(ts, [files(declared), files(installed)], dir, 'pool')).index).toBe(1);
  });

  it('refuses with the setting and its fix when no lib or types declare setTimeout, and writes nothing', async () => {
    const { dir, ts, files } = target({ compilerOptions: { strict: true, module: 'NodeNext', lib: ['ES2022'], types: [] }, include: ['src'] });
    const before = snapshotTree(dir);
    const error = await checkCandidates(ts, [files(declared), files(installed)], dir, 'pool').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnmetSettingError);
    expect((error as UnmetSettingError).settings[0]?.fix).toBe('add "types": ["node"] to compilerOptions in tsconfig.json');
    expect((error as UnmetSettingError).message).toMatch(/TS2304: Cannot find name 'setTimeout'/);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('reports errors in the code itself as a TypeCheckError with the diagnostics', async () => {
    const { dir, ts, files } = target({ compilerOptions: { strict: true, module: 'NodeNext', types: ['node'] }, include: ['src'] });
    const error = await checkCandidates(ts, [files('export const n: number = "s";\n')], dir, 'pool').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeCheckError);
    expect((error as TypeCheckError).diagnostics).toEqual([expect.stringMatching(/^src\/concurrency\/pool\.ts:1:14 - TS2322/)]);
  });
});
