/** Would the project's build compile the generated test/bench files into its output? On temp tsconfig trees. */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { findTestsInBuildOutput, type BuildCheckFile } from '../../src/project/build-output.js';
import { createTempProject, type TempProject, type Tree } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function setup(tree: Tree, naming: 'test' | 'spec' = 'test'): { dir: string; files: BuildCheckFile[] } {
  project = createTempProject({ 'package.json': { name: 'lib' }, ...tree }, { linkModules: false });
  const out = join(project.dir, 'src', 'concurrency');
  return {
    dir: project.dir,
    files: [
      { path: join(out, 'worker-pool.ts'), role: 'module' },
      { path: join(out, `worker-pool.${naming}.ts`), role: 'test' },
      { path: join(out, 'worker-pool.bench.ts'), role: 'bench' },
    ],
  };
}

const check = (dir: string, files: BuildCheckFile[], governing: string | null = join(dir, 'tsconfig.json')) =>
  findTestsInBuildOutput({ projectRoot: dir, targetDir: join(dir, 'src', 'concurrency'), governingTsconfig: governing, files });

describe('test and bench files in the build output', () => {
  it('names the files tsconfig.build.json would compile and the exact exclude that keeps them out (a *.spec.ts library)', async () => {
    const { dir, files } = setup(
      {
        'tsconfig.json': { compilerOptions: { strict: true, outDir: 'dist' }, include: ['src'] },
        'tsconfig.build.json': { extends: './tsconfig.json', exclude: ['node_modules', 'dist', '**/*spec.ts'] },
      },
      'spec',
    );
    const finding = await check(dir, files);
    expect(finding).toEqual({
      config: 'tsconfig.build.json',
      files: ['src/concurrency/worker-pool.bench.ts'],
      outDir: 'dist',
      add: ['**/*.bench.ts'],
      excludeLine: '"exclude": ["node_modules", "dist", "**/*spec.ts", "**/*.bench.ts"]',
      message:
        'tsconfig.build.json would compile src/concurrency/worker-pool.bench.ts into dist: add "**/*.bench.ts" to its "exclude" ("exclude": ["node_modules", "dist", "**/*spec.ts", "**/*.bench.ts"]).',
    });
  });

  it('sees *.test.ts files compiled when the build config excludes only *.spec.ts', async () => {
    const { dir, files } = setup({
      'tsconfig.json': { compilerOptions: { outDir: 'dist' }, include: ['src'] },
      'tsconfig.build.json': { extends: './tsconfig.json', exclude: ['**/*spec.ts'] },
    });
    expect((await check(dir, files))?.add).toEqual(['**/*.test.ts', '**/*.bench.ts']);
  });

  it('reports nothing when the build config already leaves them out, or does not emit', async () => {
    const { dir, files } = setup({
      'tsconfig.json': { compilerOptions: { outDir: 'dist' }, include: ['src'] },
      'tsconfig.build.json': { extends: './tsconfig.json', exclude: ['**/*.test.ts', '**/*.bench.ts'] },
    });
    expect(await check(dir, files)).toBeNull();
    project?.cleanup();
    const noEmit = setup({ 'tsconfig.json': { compilerOptions: { noEmit: true }, include: ['src'] } });
    expect(await check(noEmit.dir, noEmit.files)).toBeNull();
  });

  it('inherits the exclude of the extended config when the build config has none of its own', async () => {
    const { dir, files } = setup({
      'tsconfig.json': { compilerOptions: { outDir: 'lib' }, include: ['src'], exclude: ['src/**/fixtures'] },
      'tsconfig.build.json': { extends: './tsconfig.json', compilerOptions: { declaration: true } },
    });
    expect((await check(dir, files))?.excludeLine).toBe('"exclude": ["src/**/fixtures", "**/*.test.ts", "**/*.bench.ts"]');
  });

  it('without a tsconfig.build.json, warns when the governing tsconfig emits, keeping its default excludes', async () => {
    const { dir, files } = setup({ 'tsconfig.json': { compilerOptions: { outDir: 'dist' }, include: ['src'] } });
    const finding = await check(dir, files);
    expect(finding?.message).toBe(
      'tsconfig.json would compile src/concurrency/worker-pool.test.ts, src/concurrency/worker-pool.bench.ts into dist: if you publish that output, build with a tsconfig.build.json that extends tsconfig.json and sets "exclude": ["node_modules", "dist", "**/*.test.ts", "**/*.bench.ts"].',
    );
  });

  it('says "next to the sources" for a config without outDir, and ignores a module-only plan', async () => {
    const { dir, files } = setup({ 'tsconfig.json': { include: ['src'] } });
    expect((await check(dir, files))?.message).toMatch(/ next to the sources: /);
    expect(await check(dir, files.slice(0, 1))).toBeNull();
    expect(await check(dir, files, null)).toBeNull();
  });

  it('finds tsconfig.build.json of a package folder, not above the project root', async () => {
    const { dir, files } = setup({
      'tsconfig.json': { compilerOptions: { noEmit: true }, include: ['src'] },
      'tsconfig.build.json': { compilerOptions: { outDir: 'dist' }, include: ['src/**/*.ts'] },
    });
    expect((await check(dir, files))?.config).toBe('tsconfig.build.json');
  });
});
