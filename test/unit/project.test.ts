import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { TypeScriptSession, findTsconfig } from '../../src/project/typescript.js';
import { ProjectError } from '../../src/errors.js';
import { createTempProject, type TempProject, type Tree } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

async function open(tree: Tree): Promise<{ session: TypeScriptSession; dir: string }> {
  project = createTempProject(tree);
  const out = join(project.dir, 'src', 'concurrency');
  return { session: await TypeScriptSession.open(out, project.dir), dir: out };
}

describe('project detection', () => {
  it('NodeNext ESM: .js specifiers, ES module output', async () => {
    const { session } = await open({
      'package.json': { type: 'module' },
      'tsconfig.json': { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } },
    });
    expect(session.target).toMatchObject({ importStyle: 'js-extension', moduleResolution: 'nodenext', module: 'nodenext' });
    expect(session.isCommonJs('module')).toBe(false);
    expect(session.isCommonJs('commonjs')).toBe(true);
  });

  it('bundler resolution: extensionless specifiers', async () => {
    const { session } = await open({ 'tsconfig.json': { compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } } });
    expect(session.target.importStyle).toBe('extensionless');
    expect(session.isCommonJs('commonjs')).toBe(false);
  });

  it('CommonJS: extensionless specifiers, CommonJS output', async () => {
    const { session } = await open({ 'tsconfig.json': { compilerOptions: { module: 'commonjs' } } });
    expect(session.target).toMatchObject({ importStyle: 'extensionless', moduleResolution: 'node10', module: 'commonjs' });
    expect(session.isCommonJs('commonjs')).toBe(true);
  });

  it('follows extends chains', async () => {
    const { session } = await open({
      'tsconfig.base.json': { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } },
      'tsconfig.json': { extends: './tsconfig.base.json', compilerOptions: { strict: true } },
    });
    expect(session.target.importStyle).toBe('js-extension');
  });

  it('uses strict NodeNext defaults when there is no tsconfig', async () => {
    const { session } = await open({ 'package.json': { type: 'module' } });
    expect(session.target).toMatchObject({ tsconfigPath: null, importStyle: 'js-extension' });
    expect(session.check(join(project!.dir, 'x.ts'), 'export const n: number = "s";\n')[0]).toMatch(/TS2322/);
  });

  it('refuses a tsconfig that is not valid JSON, naming the file', async () => {
    await expect(open({ 'tsconfig.json': '{ "compilerOptions": { "module": ' })).rejects.toThrow(ProjectError);
  });

  it('checks code against the target flags, in memory', async () => {
    const { session, dir } = await open({ 'tsconfig.json': { compilerOptions: { strict: true, noUnusedLocals: true, types: ['node'] } } });
    expect(session.check(join(dir, 'a.ts'), 'export function f(): void { const unused = 1; }\n')).toEqual([expect.stringMatching(/TS6133/)]);
    expect(session.check(join(dir, 'a.ts'), 'export const s: AbortSignal = new AbortController().signal;\n')).toEqual([]);
  });

  it('tells when Symbol.asyncDispose is not declared by the lib', async () => {
    const { session, dir } = await open({ 'tsconfig.json': { compilerOptions: { lib: ['ES2022', 'DOM'], types: [] } } });
    const result = session.checkDetailed(join(dir, 'a.ts'), 'export const s = Symbol.asyncDispose;\n');
    expect(result).toHaveLength(1);
    expect(result[0]!.missingAsyncDispose).toBe(true);
  });

  it('finds the nearest tsconfig at or above the output directory', () => {
    project = createTempProject({ 'tsconfig.json': {}, 'packages/a/tsconfig.json': {} }, { linkModules: false });
    expect(findTsconfig(join(project.dir, 'packages/a/src'), project.dir)).toBe(join(project.dir, 'packages/a/tsconfig.json'));
    expect(findTsconfig(join(project.dir, 'src'), project.dir)).toBe(join(project.dir, 'tsconfig.json'));
  });
});
