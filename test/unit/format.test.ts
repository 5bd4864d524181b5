import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Formatter, missingFormatterWarning } from '../../src/generate/format.js';
import { createTempProject, type TempProject, type Tree } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

/**
 * A stand-in formatter binary: logs its argv (one JSON line per run) to calls.log in its working directory and
 * prints stdin upper-cased, or fails on input containing FAIL.
 */
const FAKE_FORMATTER = [
  "const fs = require('node:fs');",
  "fs.appendFileSync('calls.log', JSON.stringify(process.argv.slice(2)) + '\\n');",
  "let input = '';",
  "process.stdin.setEncoding('utf8');",
  'process.stdin.on(\'data\', (d) => { input += d; });',
  "process.stdin.on('end', () => {",
  "  if (input.includes('FAIL')) { process.stderr.write('boom: cannot format\\n'); process.exit(1); }",
  '  process.stdout.write(input.toUpperCase());',
  '});',
  '',
].join('\n');

function toolProject(pkg: string, bin: string, config: Tree): string {
  project = createTempProject(
    {
      'package.json': { name: 'p', devDependencies: { [pkg]: '*' } },
      ...config,
      [`node_modules/${pkg}/package.json`]: { name: pkg, version: '1.0.0', bin: { [bin]: `bin/${bin}.js` } },
      [`node_modules/${pkg}/bin/${bin}.js`]: FAKE_FORMATTER,
    },
    { linkModules: false },
  );
  return project.dir;
}

const calls = (dir: string): string[][] =>
  readFileSync(join(dir, 'calls.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[])
    .sort((a, b) => String(a).localeCompare(String(b)));

describe('formatting with prettier', () => {
  it("formats with the project's prettier config, resolved for the target file", async () => {
    project = createTempProject({ '.prettierrc.json': { semi: false, singleQuote: true } });
    const result = await new Formatter(project.dir).format(join(project.dir, 'src', 'a.ts'), 'const a = "x";\n');
    expect(result).toEqual({ text: "const a = 'x'\n", warning: null });
  });

  it('uses prettier defaults when the project has no config', async () => {
    project = createTempProject({});
    const result = await new Formatter(project.dir).format(join(project.dir, 'a.ts'), "const a = 'x'\n");
    expect(result.text).toBe('const a = "x";\n');
  });

  it("honours .editorconfig with the kit's prettier", async () => {
    project = createTempProject({ '.editorconfig': 'root = true\n[*]\nindent_style = tab\n' }, { linkModules: false });
    const result = await new Formatter(project.dir).format(join(project.dir, 'src', 'a.ts'), 'function f() {\n  return 1;\n}\n');
    expect(result.text).toBe('function f() {\n\treturn 1;\n}\n');
  });

  it('turns a formatting failure into a warning and returns the text unformatted', async () => {
    project = createTempProject({ '.prettierrc.json': '{ this is not json' });
    const source = 'const   a =  1\n';
    const result = await new Formatter(project.dir).format(join(project.dir, 'a.ts'), source);
    expect(result.text).toBe(source);
    expect(result.warning).toMatch(/prettier could not format a\.ts; it is written unformatted/);
  });
});

describe("formatting with the project's own binary", () => {
  it('pipes each file through biome check --write with the linter off and its path, from the project root', async () => {
    const dir = toolProject('@biomejs/biome', 'biome', { 'biome.json': {} });
    const formatter = new Formatter(dir);
    expect(formatter.profile).toMatchObject({ name: 'biome', source: 'project' });
    const result = await formatter.formatAll([
      { path: join(dir, 'src', 'c', 'a.ts'), text: 'const a = 1;\n' },
      { path: join(dir, 'src', 'c', 'a.test.ts'), text: 'const b = 2;\n' },
    ]);
    expect(result).toEqual({ texts: ['CONST A = 1;\n', 'CONST B = 2;\n'], warnings: [] });
    expect(calls(dir)).toEqual([
      ['check', '--write', '--linter-enabled=false', '--stdin-file-path=src/c/a.test.ts'],
      ['check', '--write', '--linter-enabled=false', '--stdin-file-path=src/c/a.ts'],
    ]);
  });

  it('runs oxfmt --stdin-filepath and dprint fmt --stdin', async () => {
    const oxfmt = toolProject('oxfmt', 'oxfmt', { '.oxfmtrc.json': {} });
    expect((await new Formatter(oxfmt).formatAll([{ path: join(oxfmt, 'a.ts'), text: 'x\n' }])).texts).toEqual(['X\n']);
    expect(calls(oxfmt)).toEqual([['--stdin-filepath=a.ts']]);
    project?.cleanup();
    const dprint = toolProject('dprint', 'dprint', { 'dprint.json': { plugins: ['https://plugins.dprint.dev/typescript-0.95.0.wasm'] } });
    expect((await new Formatter(dprint).formatAll([{ path: join(dprint, 'src', 'a.ts'), text: 'y\n' }])).texts).toEqual(['Y\n']);
    expect(calls(dprint)).toEqual([['fmt', '--stdin', 'src/a.ts']]);
  });

  it('keeps a file the binary fails on unformatted, with a warning naming it and the reason', async () => {
    const dir = toolProject('oxfmt', 'oxfmt', { '.oxfmtrc.json': {} });
    const result = await new Formatter(dir).formatAll([
      { path: join(dir, 'ok.ts'), text: 'ok\n' },
      { path: join(dir, 'bad.ts'), text: 'FAIL here\n' },
    ]);
    expect(result).toEqual({ texts: ['OK\n', 'FAIL here\n'], warnings: ['oxfmt could not format bad.ts; it is written unformatted (boom: cannot format)'] });
  });

  it("warns when the project's formatter is not installed, and formats with the kit's prettier", async () => {
    project = createTempProject({ 'package.json': { name: 'p', devDependencies: { '@biomejs/biome': '*' } }, 'biome.json': {} }, { linkModules: false });
    const formatter = new Formatter(project.dir);
    const result = await formatter.formatAll([{ path: join(project.dir, 'a.ts'), text: "const a = 'x'\n" }]);
    expect(result).toEqual({ texts: ['const a = "x";\n'], warnings: [] });
    expect(missingFormatterWarning(formatter.profile)).toBe(
      `the project formats with biome (${join(project.dir, 'biome.json')}) but it is not installed, so the kit's prettier formatted the new files; install the project's dependencies and run biome on them.`,
    );
  });
});
