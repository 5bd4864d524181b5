import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ProjectError } from '../../src/errors.js';
import { parseJsonc } from '../../src/project/jsonc.js';
import { findGoverningTsconfig, readTsconfig } from '../../src/project/tsconfig.js';
import { selectionCovers } from '../../src/project/tsconfig-match.js';
import { compilerFacts } from '../../src/project/compiler-options.js';
import { detectCompiler } from '../../src/project/compiler.js';
import { describeTsconfig } from '../../src/project/typescript.js';
import { createTempProject, type TempProject, type Tree } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/** A temp tree with no node_modules link (everything it needs is in the tree). */
function tree(files: Tree): string {
  project = createTempProject(files, { linkModules: false });
  return project.dir;
}

describe('jsonc', () => {
  it('drops comments and trailing commas but keeps them inside strings', () => {
    const text = `{
      // line comment
      "a": "http://x/*y*/", /* block */
      "b": [1, 2,],
      "c": { "d": "e,}", },
    }`;
    expect(parseJsonc(text)).toEqual({ a: 'http://x/*y*/', b: [1, 2], c: { d: 'e,}' } });
  });

  it('reads an empty file as an empty object and rejects broken JSON', () => {
    expect(parseJsonc('  \n')).toEqual({});
    expect(() => parseJsonc('{ "a": ')).toThrow(SyntaxError);
  });
});

describe('extends chains', () => {
  it('merges a relative chain nearest-last, resets with null, and lists the chain nearest first', () => {
    const dir = tree({
      'configs/base.json': { compilerOptions: { module: 'commonjs', strict: true, outDir: 'out' } },
      'tsconfig.mid.json': { extends: './configs/base', compilerOptions: { module: 'nodenext', strict: null } },
      'tsconfig.json': { extends: './tsconfig.mid.json', compilerOptions: { target: 'es2022' } },
    });
    const config = readTsconfig(join(dir, 'tsconfig.json'));
    expect(config.chain).toEqual([join(dir, 'tsconfig.json'), join(dir, 'tsconfig.mid.json'), join(dir, 'configs/base.json')]);
    expect(config.compilerOptions).toEqual({ module: 'nodenext', target: 'es2022', outDir: join(dir, 'configs/out') });
    expect(config.optionSources.module).toBe(join(dir, 'tsconfig.mid.json'));
    expect(config.optionSources.strict).toBeUndefined();
  });

  it('resolves packages by file path and by bare name (package.json-less tsconfig.json at its root)', () => {
    const dir = tree({
      'node_modules/@tsconfig/node20/tsconfig.json': { compilerOptions: { module: 'node16', lib: ['es2023'] } },
      'node_modules/@tsconfig/strictest/tsconfig.json': { compilerOptions: { strict: true, exactOptionalPropertyTypes: true } },
      'node_modules/@tsconfig/strictest/package.json': { name: '@tsconfig/strictest', version: '2.0.0' },
      'tsconfig.json': { extends: ['@tsconfig/node20/tsconfig.json', '@tsconfig/strictest'], compilerOptions: { types: ['node'] } },
    });
    const config = readTsconfig(join(dir, 'tsconfig.json'));
    expect(config.compilerOptions).toMatchObject({ module: 'node16', lib: ['es2023'], strict: true, exactOptionalPropertyTypes: true, types: ['node'] });
    // The later entry of an `extends` array overrides the earlier, so it is the nearer one.
    expect(config.chain).toEqual([
      join(dir, 'tsconfig.json'),
      join(dir, 'node_modules/@tsconfig/strictest/tsconfig.json'),
      join(dir, 'node_modules/@tsconfig/node20/tsconfig.json'),
    ]);
  });

  it('a later entry of an extends array wins over an earlier one', () => {
    const dir = tree({
      'a.json': { compilerOptions: { module: 'commonjs', target: 'es2020' } },
      'b.json': { compilerOptions: { module: 'esnext' } },
      'tsconfig.json': { extends: ['./a.json', './b.json'] },
    });
    expect(readTsconfig(join(dir, 'tsconfig.json')).compilerOptions).toEqual({ module: 'esnext', target: 'es2020' });
  });

  it('${configDir} in a shared base means the folder of the config that is read, not of the base', () => {
    const dir = tree({
      'node_modules/shared-config/tsconfig.json': { compilerOptions: { outDir: '${configDir}/dist' }, include: ['${configDir}/src'] },
      'app/tsconfig.json': { extends: 'shared-config/tsconfig.json' },
    });
    const config = readTsconfig(join(dir, 'app/tsconfig.json'));
    expect(config.outDir).toBe(join(dir, 'app/dist'));
    expect(selectionCovers(config, join(dir, 'app/src/x/pool.ts'))).toBe(true);
    expect(selectionCovers(config, join(dir, 'node_modules/shared-config/src/pool.ts'))).toBe(false);
  });

  it('inherited include is relative to the base that declares it', () => {
    const dir = tree({
      'base/tsconfig.json': { include: ['lib'] },
      'tsconfig.json': { extends: './base/tsconfig.json' },
    });
    const config = readTsconfig(join(dir, 'tsconfig.json'));
    expect(selectionCovers(config, join(dir, 'base/lib/a.ts'))).toBe(true);
    expect(selectionCovers(config, join(dir, 'lib/a.ts'))).toBe(false);
  });

  it('refuses a missing base, a circular chain and broken JSON, naming the file', () => {
    let dir = tree({ 'tsconfig.json': { extends: './nope.json' } });
    expect(() => readTsconfig(join(dir, 'tsconfig.json'))).toThrow(/extends "\.\/nope\.json", which cannot be found/);
    project?.cleanup();
    dir = tree({ 'a.json': { extends: './tsconfig.json' }, 'tsconfig.json': { extends: './a.json' } });
    expect(() => readTsconfig(join(dir, 'tsconfig.json'))).toThrow(/Circular "extends"/);
    project?.cleanup();
    dir = tree({ 'tsconfig.json': '{ "compilerOptions": { "module": ' });
    expect(() => readTsconfig(join(dir, 'tsconfig.json'))).toThrow(ProjectError);
  });
});

describe('include / exclude coverage', () => {
  const at = (dir: string, config: object, file: string): boolean => {
    const path = join(dir, 'tsconfig.json');
    return selectionCovers({ ...readTsconfig(path), ...config }, join(dir, file));
  };

  it('a directory entry covers everything below it; wildcards stay in one segment; ** crosses folders', () => {
    const dir = tree({ 'tsconfig.json': { include: ['src', 'scripts/*.ts', 'tools/**/*.mts'] } });
    expect(at(dir, {}, 'src/concurrency/worker-pool.ts')).toBe(true);
    expect(at(dir, {}, 'scripts/build.ts')).toBe(true);
    expect(at(dir, {}, 'scripts/deep/build.ts')).toBe(false);
    expect(at(dir, {}, 'tools/a/b/c.mts')).toBe(true);
    expect(at(dir, {}, 'tools/a/b/c.ts')).toBe(false);
    expect(at(dir, {}, 'lib/x.ts')).toBe(false);
  });

  it('wildcards skip node_modules and dot-folders; exclude removes files and whole folders', () => {
    const dir = tree({ 'tsconfig.json': { include: ['**/*'], exclude: ['**/*.spec.ts', 'src/generated'] } });
    expect(at(dir, {}, 'src/a.ts')).toBe(true);
    expect(at(dir, {}, 'src/a.spec.ts')).toBe(false);
    expect(at(dir, {}, 'src/generated/deep/a.ts')).toBe(false);
    expect(at(dir, {}, 'node_modules/pkg/a.ts')).toBe(false);
    expect(at(dir, {}, '.cache/a.ts')).toBe(false);
  });

  it('with neither files nor include, everything below the config but node_modules and outDir', () => {
    const dir = tree({ 'tsconfig.json': { compilerOptions: { outDir: 'build' } } });
    expect(at(dir, {}, 'src/a.ts')).toBe(true);
    expect(at(dir, {}, 'build/a.ts')).toBe(false);
    expect(at(dir, {}, 'node_modules/a.ts')).toBe(false);
  });

  it('files alone cover only those files; exclude never removes a listed file', () => {
    const dir = tree({ 'tsconfig.json': { files: ['src/main.ts'], exclude: ['src'] } });
    expect(at(dir, {}, 'src/main.ts')).toBe(true);
    expect(at(dir, {}, 'src/other.ts')).toBe(false);
  });
});

describe('the governing tsconfig', () => {
  const vite: Tree = {
    'package.json': { name: 'app', type: 'module' },
    'tsconfig.json': { files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }] },
    'tsconfig.app.json': { compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: ['vite/client'] }, include: ['src'] },
    'tsconfig.node.json': { compilerOptions: { module: 'ESNext', moduleResolution: 'bundler', types: ['node'] }, include: ['vite.config.ts'] },
  };

  it('a solution-style root hands over to the referenced config that includes the file', () => {
    const dir = tree(vite);
    const found = findGoverningTsconfig(join(dir, 'src/concurrency/worker-pool.ts'), dir);
    expect(found.config?.path).toBe(join(dir, 'tsconfig.app.json'));
    expect(found.covers).toBe(true);
    expect(found.warnings).toEqual([]);
    expect(findGoverningTsconfig(join(dir, 'vite.config.ts'), dir).config?.path).toBe(join(dir, 'tsconfig.node.json'));
  });

  it('describes it for info: path, chain, module, resolution and format relative to the root', () => {
    const dir = tree({ ...vite, 'tsconfig.app.json': { extends: './tsconfig.base.json', include: ['src'] }, 'tsconfig.base.json': { compilerOptions: { module: 'ESNext', moduleResolution: 'bundler' } } });
    expect(describeTsconfig(join(dir, 'src/concurrency'), dir, { source: 'project', version: '7.0.2', via: 'tsc', major: 7, location: dir })).toEqual({
      path: 'tsconfig.app.json',
      chain: ['tsconfig.app.json', 'tsconfig.base.json'],
      module: 'esnext',
      moduleResolution: 'bundler',
      moduleFormat: 'esm',
    });
  });

  it('follows references of references, and skips missing ones', () => {
    const dir = tree({
      'tsconfig.json': { files: [], references: [{ path: './missing' }, { path: './packages' }] },
      'packages/tsconfig.json': { files: [], references: [{ path: './core/tsconfig.lib.json' }] },
      'packages/core/tsconfig.lib.json': { include: ['src'] },
    });
    expect(findGoverningTsconfig(join(dir, 'packages/core/src/a.ts'), dir).config?.path).toBe(join(dir, 'packages/core/tsconfig.lib.json'));
  });

  it('prefers a nearer tsconfig.json, then walks up to the project root', () => {
    const dir = tree({ 'tsconfig.json': { include: ['packages'] }, 'packages/a/tsconfig.json': { include: ['lib'] } });
    expect(findGoverningTsconfig(join(dir, 'packages/a/lib/x.ts'), dir).config?.path).toBe(join(dir, 'packages/a/tsconfig.json'));
    expect(findGoverningTsconfig(join(dir, 'packages/a/src/x.ts'), dir).config?.path).toBe(join(dir, 'tsconfig.json'));
  });

  it('falls back to the nearest tsconfig with a warning when none includes the file', () => {
    const dir = tree(vite);
    const found = findGoverningTsconfig(join(dir, 'lib/pool.ts'), dir);
    expect(found.config?.path).toBe(join(dir, 'tsconfig.json'));
    expect(found.covers).toBe(false);
    expect(found.warnings[0]).toMatch(/no tsconfig includes lib\/pool\.ts/);
  });

  it('is null when there is no tsconfig up to the project root', () => {
    const dir = tree({ 'package.json': {} });
    expect(findGoverningTsconfig(join(dir, 'src/a.ts'), dir)).toEqual({ config: null, covers: false, warnings: [] });
  });
});

describe('compiler facts', () => {
  it('TypeScript 5 derives CommonJS + node10 from the ES5 default target; 6 and 7 default to ES modules + bundler', () => {
    expect(compilerFacts({}, 5, 'commonjs')).toMatchObject({ module: 'commonjs', moduleResolution: 'node10', moduleFormat: 'cjs', extension: '.ts' });
    expect(compilerFacts({ target: 'es2022' }, 5, 'commonjs')).toMatchObject({ module: 'es2015', moduleResolution: 'classic', moduleFormat: 'esm' });
    expect(compilerFacts({}, 6, 'commonjs')).toMatchObject({ module: 'es2022', moduleResolution: 'bundler', moduleFormat: 'esm', importStyle: 'extensionless' });
    expect(compilerFacts({ module: 'commonjs' }, 7, 'commonjs')).toMatchObject({ moduleResolution: 'bundler', moduleFormat: 'cjs' });
  });

  it('NodeNext follows package.json "type"; node16/18/20 resolve like node16', () => {
    expect(compilerFacts({ module: 'NodeNext' }, 5, 'module')).toMatchObject({ moduleFormat: 'esm', importStyle: 'js-extension', extension: '.ts' });
    expect(compilerFacts({ module: 'NodeNext' }, 7, 'commonjs')).toMatchObject({ moduleFormat: 'cjs', extension: '.ts' });
    expect(compilerFacts({ module: 'node20' }, 6, 'module')).toMatchObject({ moduleResolution: 'node16' });
  });

  it('CommonJS under verbatimModuleSyntax is written as .mts ES modules with .mjs specifiers (`tsc --init` + `npm init -y`)', () => {
    expect(compilerFacts({ module: 'nodenext', verbatimModuleSyntax: true }, 7, 'commonjs')).toMatchObject({ extension: '.mts', moduleFormat: 'esm', importStyle: 'js-extension' });
    expect(compilerFacts({ module: 'commonjs', verbatimModuleSyntax: true }, 5, 'commonjs')).toMatchObject({ extension: '.mts', moduleFormat: 'esm', importStyle: 'js-extension' });
    expect(compilerFacts({ module: 'nodenext', verbatimModuleSyntax: true }, 7, 'module')).toMatchObject({ extension: '.ts', moduleFormat: 'esm' });
  });
});

describe('detectCompiler', () => {
  it("finds the project's TypeScript and how to drive it: the API for 5 and 6, tsc for 7", () => {
    for (const [version, via] of [['5.9.3', 'api'], ['6.0.3', 'api'], ['7.0.2', 'tsc']] as const) {
      const dir = tree({
        'package.json': { name: 'p' },
        'node_modules/typescript/package.json': { name: 'typescript', version, main: 'lib/typescript.js' },
        'node_modules/typescript/lib/typescript.js': 'module.exports = {};\n',
      });
      expect(detectCompiler(dir)).toMatchObject({ source: 'project', version, via, major: Number(version[0]) });
      project?.cleanup();
    }
  });

  it("falls back to the kit's bundled compiler when the project has none, and says so", () => {
    const dir = tree({ 'package.json': { name: 'p' } });
    const compiler = detectCompiler(dir);
    expect(compiler).toMatchObject({ source: 'kit', via: 'api' });
    expect(compiler.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
