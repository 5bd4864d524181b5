/** The tooling stages around add: what to write under which names, and linting (then re-formatting) after the write. */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Formatter } from '../../src/generate/format.js';
import { lintNewFiles, prepareTooling, type ToolingInput } from '../../src/generate/tooling.js';
import { createTempProject, type TempProject, type Tree } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function tree(files: Tree): string {
  project = createTempProject(files, { linkModules: false });
  return project.dir;
}

const templates = { module: 'export {};\n', test: "import { it } from 'vitest';\n", bench: "import { bench } from 'vitest';\n" };
function input(dir: string, over: Partial<ToolingInput> = {}): ToolingInput {
  return {
    projectRoot: dir,
    cwd: dir,
    outDir: join(dir, 'src', 'concurrency'),
    templates,
    requested: ['module', 'test', 'bench'],
    testSide: new Set(['test', 'bench']),
    testDependencies: [],
    install: false,
    dryRun: false,
    testNaming: undefined,
    again: { pattern: 'worker-pool', dir: undefined, name: undefined, options: new Map(), cwd: undefined },
    onProgress: () => undefined,
    signal: undefined,
    ...over,
  };
}

describe('preparing the plan from the project', () => {
  it('a project that declares vitest and names tests *.spec.ts: every role, spec naming, nothing to install', async () => {
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { vitest: '^4.1.0' } }, 'yarn.lock': '', 'src/app.spec.ts': '' });
    const prepared = await prepareTooling(input(dir));
    expect(prepared).toMatchObject({ testNaming: 'spec', packageManager: 'yarn', roles: ['module', 'test', 'bench'], skipped: [], warnings: [], install: null });
    expect(prepared.formatter).toMatchObject({ name: 'prettier', source: 'kit' });
  });

  it('a project without vitest: the module only, the skipped files by their planned names, one warning', async () => {
    const dir = tree({ 'package.json': { name: 'p' }, 'src/app.spec.ts': '' });
    const prepared = await prepareTooling(input(dir));
    expect(prepared.roles).toEqual(['module']);
    expect(prepared.skipped.map((f) => [f.role, f.displayPath])).toEqual([
      ['test', 'src/concurrency/worker-pool.spec.ts'],
      ['bench', 'src/concurrency/worker-pool.bench.ts'],
    ]);
    expect(prepared.install).toEqual({ command: expect.stringMatching(/^npm install --save-dev vitest@\^\d+\.\d+$/) as unknown, ran: false });
    expect(prepared.warnings).toHaveLength(1);
  });

  it('the naming given by the caller wins; a dry run never installs; a formatter that is not installed is a warning', async () => {
    const dir = tree({ 'package.json': { name: 'p', devDependencies: { oxfmt: '*' } }, 'src/app.spec.ts': '' });
    const prepared = await prepareTooling(input(dir, { testNaming: 'test', install: true, dryRun: true }));
    expect(prepared.testNaming).toBe('test');
    expect(prepared.install).toMatchObject({ ran: false });
    expect(prepared.warnings).toEqual([
      expect.stringMatching(/^the project does not declare vitest/),
      expect.stringMatching(/^--install would run `npm install --save-dev vitest@\^\d+\.\d+` \(not on a dry run\)\.$/),
      expect.stringMatching(/^the project formats with oxfmt \(oxfmt in package\.json\) but it is not installed/),
    ]);
  });
});

describe('linting the new files', () => {
  /** Stand-in oxlint: "fixes" (appends a line to) the .ts arguments containing FIXME; prints one finding per argument. */
  const oxlint = [
    "const fs = require('node:fs');",
    'const files = process.argv.slice(2).filter((a) => a.endsWith(".ts"));',
    "for (const f of files) if (fs.readFileSync(f, 'utf8').includes('FIXME')) fs.appendFileSync(f, 'fixed\\n');",
    "for (const f of files) process.stdout.write('::warning file=' + f + ',line=1,col=1,title=eslint(max-lines)::' + f + ':1:1: too long\\n');",
    '',
  ].join('\n');
  /** Stand-in oxfmt: upper-cases stdin. */
  const oxfmt = "let s = ''; process.stdin.on('data', (d) => { s += d; }); process.stdin.on('end', () => process.stdout.write(s.toUpperCase()));\n";
  const pkg = (name: string, script: string): Tree => ({
    [`node_modules/${name}/package.json`]: { name, version: '1.0.0', bin: { [name]: 'bin.js' } },
    [`node_modules/${name}/bin.js`]: script,
  });

  it('reports the findings and runs the formatter again on exactly the files the linter changed', async () => {
    const dir = tree({
      'package.json': { name: 'p', devDependencies: { oxlint: '*', oxfmt: '*' } },
      '.oxfmtrc.json': {},
      ...pkg('oxlint', oxlint),
      ...pkg('oxfmt', oxfmt),
      'src/c/a.ts': 'FIXME a\n',
      'src/c/b.ts': 'b\n',
    });
    const files = [
      { path: join(dir, 'src/c/a.ts'), contents: 'FIXME a\n' },
      { path: join(dir, 'src/c/b.ts'), contents: 'b\n' },
    ];
    const stage = await lintNewFiles(dir, files, { dryRun: false, formatter: new Formatter(dir), onProgress: () => undefined, signal: undefined });
    expect(stage.linters).toEqual(['oxlint']);
    expect(stage.outcomes[0]?.findings.map((f) => [f.file, f.rule])).toEqual([
      ['src/c/a.ts', 'max-lines'],
      ['src/c/b.ts', 'max-lines'],
    ]);
    expect(readFileSync(join(dir, 'src/c/a.ts'), 'utf8')).toBe('FIXME A\nFIXED\n');
    expect(readFileSync(join(dir, 'src/c/b.ts'), 'utf8')).toBe('b\n');
    expect([...stage.contents.values()]).toEqual(['FIXME A\nFIXED\n', 'b\n']);
  });

  it('does nothing on a dry run or without a linter', async () => {
    const dir = tree({ 'package.json': { name: 'p' }, 'a.ts': 'x\n' });
    const files = [{ path: join(dir, 'a.ts'), contents: 'x\n' }];
    const options = { dryRun: false, formatter: new Formatter(dir), onProgress: () => undefined, signal: undefined };
    expect(await lintNewFiles(dir, files, options)).toEqual({ linters: [], outcomes: [], warnings: [], contents: new Map([[files[0]!.path, 'x\n']]) });
    expect((await lintNewFiles(dir, files, { ...options, dryRun: true })).outcomes).toEqual([]);
  });
});
