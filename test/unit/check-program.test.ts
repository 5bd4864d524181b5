/**
 * The programs `check` builds: a solution-style tsconfig gives one program per referenced project, each under its own
 * compiler options, and the programs of one run share the files they parse alike.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../src/check/engine.js';
import { programInputs } from '../../src/check/files.js';
import { createCheckProgram, createSourceFileCache } from '../../src/check/program.js';
import { createTempProject, type TempProject, type Tree } from '../helpers/temp-project.js';

const NODE = { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], strict: true, skipLibCheck: true, noEmit: true };
const BROWSER = { target: 'ES2020', lib: ['ES2020', 'DOM'], module: 'ESNext', moduleResolution: 'Bundler', types: [], strict: true, skipLibCheck: true, noEmit: true };
/** A global declared once, read by every project: its type (a Promise) is what makes the call a finding. */
const API = 'declare function load(id: string): Promise<string>;\n';
const CALLER = 'export function go(): void {\n  load("a");\n}\n';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function solution(): string {
  const tree: Tree = {
    'package.json': { name: 'p', private: true, type: 'module' },
    'tsconfig.json': { files: [], references: [{ path: './server' }, { path: './worker' }, { path: './client' }] },
    'types/api.d.ts': API,
    'server/tsconfig.json': { compilerOptions: NODE, include: ['.', '../types'] },
    'server/main.ts': CALLER,
    'worker/tsconfig.json': { compilerOptions: NODE, include: ['.', '../types'] },
    'worker/main.ts': CALLER,
    'client/tsconfig.json': { compilerOptions: BROWSER, include: ['.', '../types'] },
    'client/main.ts': CALLER,
  };
  project = createTempProject(tree);
  return project.dir;
}

describe('solution-style tsconfig', () => {
  it('checks every referenced project under its own options, with the types of a declaration file they share', async () => {
    const dir = solution();
    const result = await check({ cwd: dir });
    expect(result.tsconfigs).toEqual(['server/tsconfig.json', 'worker/tsconfig.json', 'client/tsconfig.json']);
    expect(result.files).toEqual(['client/main.ts', 'server/main.ts', 'worker/main.ts']);
    expect(result.findings.map((f) => `${f.file}:${String(f.line)}:${String(f.column)} ${f.ruleId}`)).toEqual([
      'client/main.ts:2:3 errors.unhandled',
      'server/main.ts:2:3 errors.unhandled',
      'worker/main.ts:2:3 errors.unhandled',
    ]);
  });

  it('a file is parsed once for the programs whose options parse it alike, and anew under other options', () => {
    const dir = solution();
    const [server, worker, client] = programInputs(join(dir, 'tsconfig.json'), dir);
    const cache = createSourceFileCache();
    const programs = [server!, worker!, client!].map((input) => createCheckProgram(input, cache));
    const api = programs.map((p) => p.getSourceFile(join(dir, 'types', 'api.d.ts')));
    expect(api[0]).toBeDefined();
    expect(api[1]).toBe(api[0]);
    expect(api[2]).toBeDefined();
    expect(api[2]).not.toBe(api[0]);
  });
});

/** One workspace package two folders down (`packages/a`): its package.json, a tsconfig over `src` and the shared types, and a caller. */
function workspacePackage(dir: string, tsconfig: object = {}): Tree {
  return {
    [`${dir}/package.json`]: { name: dir.split('/').pop(), private: true, type: 'module' },
    [`${dir}/tsconfig.json`]: { compilerOptions: NODE, include: ['src', '../../types'], ...tsconfig },
    [`${dir}/src/main.ts`]: CALLER,
  };
}

/** A workspace: packages/a references its sibling packages/b and its own test project; the root references both. */
function workspace(): string {
  project = createTempProject({
    'package.json': { name: 'root', private: true, workspaces: ['packages/*'] },
    'tsconfig.json': { files: [], references: [{ path: './packages/a' }, { path: './packages/b' }] },
    'types/api.d.ts': API,
    ...workspacePackage('packages/a', { references: [{ path: '../b' }, { path: './tsconfig.test.json' }] }),
    'packages/a/tsconfig.test.json': { compilerOptions: NODE, include: ['test', '../../types'] },
    'packages/a/test/main.test.ts': CALLER,
    ...workspacePackage('packages/b'),
  });
  return project.dir;
}

describe('project references', () => {
  it('from one package: its own projects only; a sibling it references is a dependency, not checked', async () => {
    const dir = workspace();
    const result = await check({ cwd: join(dir, 'packages', 'a') });
    expect(result.tsconfigs).toEqual(['tsconfig.json', 'tsconfig.test.json']);
    expect(result.files).toEqual(['src/main.ts', 'test/main.test.ts']);
    expect(result.findings.map((f) => `${f.file}:${String(f.line)} ${f.ruleId}`)).toEqual(['src/main.ts:2 errors.unhandled', 'test/main.test.ts:2 errors.unhandled']);
  });

  it('from the root: every package, each once', async () => {
    const dir = workspace();
    const result = await check({ cwd: dir });
    expect(result.tsconfigs).toEqual(['packages/a/tsconfig.json', 'packages/b/tsconfig.json', 'packages/a/tsconfig.test.json']);
    expect(result.files).toEqual(['packages/a/src/main.ts', 'packages/a/test/main.test.ts', 'packages/b/src/main.ts']);
  });
});

describe('a workspace root with no tsconfig of its own', () => {
  it("checks each package's tsconfig, as the workspace globs select them (pnpm-workspace.yaml, negations)", async () => {
    project = createTempProject({
      'package.json': { name: 'root', private: true },
      'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - '!packages/ignored'\n",
      'types/api.d.ts': API,
      ...workspacePackage('packages/a'),
      ...workspacePackage('packages/b'),
      ...workspacePackage('packages/ignored'),
      'packages/no-ts/package.json': { name: 'no-ts', private: true },
    });
    const result = await check({ cwd: project.dir });
    expect(result.tsconfigs).toEqual(['packages/a/tsconfig.json', 'packages/b/tsconfig.json']);
    expect(result.findings.map((f) => `${f.file}:${String(f.line)} ${f.ruleId}`)).toEqual(['packages/a/src/main.ts:2 errors.unhandled', 'packages/b/src/main.ts:2 errors.unhandled']);
    expect((await check({ cwd: project.dir, paths: ['packages/b'] })).files).toEqual(['packages/b/src/main.ts']);
  });

  it('npm workspaces the same; without workspaces, no tsconfig is still a project error', async () => {
    project = createTempProject({
      'package.json': { name: 'root', private: true, workspaces: ['apps/*'] },
      'types/api.d.ts': API,
      ...workspacePackage('apps/web'),
      'lone/package.json': { name: 'lone', private: true },
    });
    expect((await check({ cwd: project.dir })).files).toEqual(['apps/web/src/main.ts']);
    await expect(check({ cwd: join(project.dir, 'lone') })).rejects.toThrow(/No tsconfig\.json at or above/);
  });
});

describe('"types" unset: the @types packages the project\'s own compiler loads', () => {
  const LEAK = 'export function start(): void {\n  setInterval(() => undefined, 1000);\n}\n';
  const OPTIONS = { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true };

  it('TypeScript 5 loads every visible @types package, so the Node globals are typed and the leak is found', async () => {
    // Linked to this repository's node_modules: TypeScript 5.9 and @types/node.
    project = createTempProject({ 'package.json': { name: 'p', private: true, type: 'module' }, 'tsconfig.json': { compilerOptions: OPTIONS, include: ['src'] }, 'src/a.ts': LEAK });
    const result = await check({ cwd: project.dir });
    expect(result.findings.map((f) => `${f.file}:${String(f.line)} ${f.ruleId}`)).toEqual(['src/a.ts:2 leak.timers']);
  });

  it('TypeScript 6 and later load none, as their tsc does', async () => {
    project = createTempProject(
      {
        'package.json': { name: 'p', private: true, type: 'module' },
        'tsconfig.json': { compilerOptions: OPTIONS, include: ['src'] },
        'src/a.ts': LEAK,
        'node_modules/typescript/package.json': { name: 'typescript', version: '6.0.3', main: 'lib/typescript.js' },
        'node_modules/typescript/lib/typescript.js': '',
        'node_modules/@types/node/package.json': { name: '@types/node', version: '20.0.0', types: 'index.d.ts' },
        'node_modules/@types/node/index.d.ts': 'declare function setInterval(callback: () => void, ms: number): { unref(): void };\n',
      },
      { linkModules: false },
    );
    expect((await check({ cwd: project.dir })).findings).toEqual([]);
    // Named in "types", the same package is loaded and the leak found.
    writeFileSync(join(project.dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...OPTIONS, types: ['node'] }, include: ['src'] }));
    expect((await check({ cwd: project.dir })).findings.map((f) => f.ruleId)).toEqual(['leak.timers']);
  });
});

