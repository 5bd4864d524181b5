/** The lint stage: argv per linter, parsing what each prints, and running a stand-in linter binary. */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeLintOutcomes, lintArgs, parseEslintJson, parseGithubAnnotations, runLinter, runLinters } from '../../src/generate/lint.js';
import type { LinterProfile } from '../../src/project/linter.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('what each linter is asked to do', () => {
  it('fixes and reports in a parseable format, on exactly the files given', () => {
    const files = ['src/c/a.ts', 'src/c/a.test.ts'];
    expect(lintArgs('eslint', files, false)).toEqual(['--fix', '--format', 'json', '--no-warn-ignored', ...files]);
    expect(lintArgs('oxlint', files, false)).toEqual(['--fix', '--format=github', ...files]);
    expect(lintArgs('biome', files, false)).toEqual(['lint', '--write', '--reporter=github', '--no-errors-on-unmatched', ...files]);
    expect(lintArgs('biome', files, true)[0]).toBe('check');
  });
});

describe('parsing findings', () => {
  it("reads ESLint's JSON, paths relative to the project", () => {
    const json = JSON.stringify([
      { filePath: '/p/src/a.ts', messages: [{ ruleId: '@typescript-eslint/no-unnecessary-condition', severity: 2, message: 'Unnecessary conditional.', line: 3, column: 7 }] },
      { filePath: '/p/src/b.ts', messages: [{ ruleId: null, severity: 1, message: 'Parsing error', line: 1, column: 1 }] },
    ]);
    expect(parseEslintJson(json, '/p')).toEqual([
      { file: 'src/a.ts', line: 3, column: 7, rule: '@typescript-eslint/no-unnecessary-condition', severity: 'error', message: 'Unnecessary conditional.' },
      { file: 'src/b.ts', line: 1, column: 1, rule: null, severity: 'warning', message: 'Parsing error' },
    ]);
    expect(parseEslintJson('Oops, config error', '/p')).toBeNull();
  });

  it("reads biome's and oxlint's GitHub annotations", () => {
    const biome = '::error title=lint/suspicious/noDoubleEquals,file=/p/src/l.ts,line=2,endLine=2,col=20,endColumn=22::Using == may be unsafe.\n';
    const oxlint =
      '::warning file=src/l.ts,line=3,endLine=3,col=1,endColumn=10,title=eslint(no-debugger)::src/l.ts:3:1: `debugger` statement is not allowed\n\nFound 1 warning and 0 errors.\n';
    expect(parseGithubAnnotations(biome + oxlint, '/p')).toEqual([
      { file: 'src/l.ts', line: 2, column: 20, rule: 'lint/suspicious/noDoubleEquals', severity: 'error', message: 'Using == may be unsafe.' },
      { file: 'src/l.ts', line: 3, column: 1, rule: 'no-debugger', severity: 'warning', message: '`debugger` statement is not allowed' },
    ]);
    expect(parseGithubAnnotations('::error file=a%2Cb.ts,line=1,col=1::50%25 off%0Anext', '/p')[0]).toMatchObject({ file: 'a,b.ts', message: '50% off\nnext' });
  });
});

/** A stand-in linter: logs its argv to calls.log, appends a marker line to each .ts argument (its "fix"), prints `output`. */
function fakeLinter(output: string, exitCode: number): string {
  return [
    "const fs = require('node:fs');",
    "fs.appendFileSync('calls.log', JSON.stringify(process.argv.slice(2)) + '\\n');",
    "for (const f of process.argv.slice(2).filter((a) => a.endsWith('.ts'))) fs.appendFileSync(f, '// fixed\\n');",
    `process.stdout.write(${JSON.stringify(output)});`,
    `process.exitCode = ${String(exitCode)};`,
    '',
  ].join('\n');
}

function linterProject(output: string, exitCode: number): { dir: string; linter: LinterProfile } {
  project = createTempProject(
    { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n', 'src/other.ts': 'untouched\n', 'bin/oxlint.js': fakeLinter(output, exitCode) },
    { linkModules: false },
  );
  return { dir: project.dir, linter: { name: 'oxlint', configFile: null, bin: join(project.dir, 'bin', 'oxlint.js'), version: '1.0.0' } };
}

describe('running a linter on the new files', () => {
  it('runs it from the project root on exactly the new files, in fix mode, and reports what remains', async () => {
    const { dir, linter } = linterProject('::error file=src/a.ts,line=1,col=1,title=eslint(no-var)::src/a.ts:1:1: Unexpected var\n', 1);
    const outcome = await runLinter(linter, ['src/a.ts', 'src/b.ts'], { projectRoot: dir });
    expect(outcome).toEqual({
      linter: 'oxlint',
      command: 'npx oxlint --fix --format=github src/a.ts src/b.ts',
      findings: [{ file: 'src/a.ts', line: 1, column: 1, rule: 'no-var', severity: 'error', message: 'Unexpected var' }],
      error: null,
    });
    expect(readFileSync(join(dir, 'calls.log'), 'utf8')).toBe('["--fix","--format=github","src/a.ts","src/b.ts"]\n');
    expect(readFileSync(join(dir, 'src', 'a.ts'), 'utf8')).toBe('export const a = 1;\n// fixed\n');
    expect(readFileSync(join(dir, 'src', 'other.ts'), 'utf8')).toBe('untouched\n');
    expect(describeLintOutcomes([outcome])).toEqual([
      'oxlint still reports 1 problem(s) in the new files (npx oxlint --fix --format=github src/a.ts src/b.ts):',
      '  src/a.ts:1:1 error Unexpected var (no-var)',
    ]);
  });

  it('reports a clean run as no findings, and a crash as an error, never throwing', async () => {
    const clean = linterProject('Found 0 warnings and 0 errors.\n', 0);
    expect(await runLinter(clean.linter, ['src/a.ts'], { projectRoot: clean.dir })).toMatchObject({ findings: [], error: null });
    project?.cleanup();
    const crash = linterProject('Failed to parse config: bad JSON\n', 1);
    const outcome = await runLinter(crash.linter, ['src/a.ts'], { projectRoot: crash.dir });
    expect(outcome.error).toMatch(/^oxlint failed \(exit 1\): Failed to parse config: bad JSON/);
  });

  it('reports a configured linter that is not installed instead of running it', async () => {
    const outcomes = await runLinters([{ name: 'eslint', configFile: '/p/eslint.config.js', bin: null, version: null }], ['src/a.ts'], { projectRoot: '/p' });
    expect(outcomes).toEqual([{ linter: 'eslint', command: null, findings: [], error: 'eslint is configured (eslint.config.js) but not installed, so it did not run on the new files' }]);
    expect(describeLintOutcomes(outcomes)).toEqual(['eslint: eslint is configured (eslint.config.js) but not installed, so it did not run on the new files']);
  });
});
