/**
 * Which files are tests for `check`: the glob matcher, the default conventions, `check.testFiles` in
 * concurrency-kit.json (it replaces the defaults) and `--include-tests`. The fixture corpus
 * (check-fixtures.test.ts) proves the same per rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../src/check/engine.js';
import { RULES } from '../../src/check/rules/index.js';
import { DEFAULT_TEST_FILES, testFileMatcher } from '../../src/check/test-files.js';
import { parseConfig, serializeConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';
import { checkCommand } from '../../src/cli/commands/check.js';
import { Output } from '../../src/cli/output.js';
import { buildProgram } from '../../src/cli/program.js';
import { createTempProject, REPO, type TempProject, type Tree } from '../helpers/temp-project.js';

const TSCONFIG = {
  compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], strict: true, skipLibCheck: true, noEmit: true },
  include: ['src', 'test'],
};
// One scale finding (bound.concurrency) and one correctness finding (leak.timers) in the same file.
const BOTH = [
  'declare function load(id: string): Promise<string>;',
  'export async function loadAll(ids: string[]): Promise<string[]> {',
  '  return Promise.all(ids.map(async (id) => load(id)));',
  '}',
  'export function start(): void {',
  '  setInterval(() => undefined, 1000);',
  '}',
  '',
].join('\n');

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function make(files: Tree): string {
  project = createTempProject({ 'package.json': { name: 'p', private: true, type: 'module' }, 'tsconfig.json': TSCONFIG, ...files });
  return project.dir;
}

const rulesBy = (r: Awaited<ReturnType<typeof check>>): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  for (const f of r.findings) (out[f.file] ??= []).push(f.ruleId);
  return out;
};

describe('test-file globs', () => {
  it('** spans folders, * stays within one, ? is one character, {a,b} either, dot folders count', () => {
    const matches = (glob: string, path: string): boolean => testFileMatcher([glob])(path);
    expect(matches('**/test/**', 'test/a.ts')).toBe(true);
    expect(matches('**/test/**', 'packages/x/test/deep/a.ts')).toBe(true);
    expect(matches('**/test/**', 'src/testing/a.ts')).toBe(false);
    expect(matches('**/*.test.*', '.config/a.test.ts')).toBe(true);
    expect(matches('src/*.ts', 'src/a.ts')).toBe(true);
    expect(matches('src/*.ts', 'src/a/b.ts')).toBe(false);
    expect(matches('src/?.ts', 'src/ab.ts')).toBe(false);
    expect(matches('**/*.{e2e,int}.ts', 'a/b.int.ts')).toBe(true);
    expect(matches('**/*.{e2e,int}.ts', 'a/b.unit.ts')).toBe(false);
    expect(matches('a+b/(x).ts', 'a+b/(x).ts')).toBe(true);
  });

  it('the defaults follow vitest, jest, mocha and node:test conventions', () => {
    const isTest = testFileMatcher();
    for (const path of ['src/a.test.ts', 'src/a.spec.tsx', 'a.test.mts', 'test/helpers.ts', 'tests/e2e/run.ts', 'src/__tests__/a.ts', 'packages/x/test/a.ts']) {
      expect(isTest(path), path).toBe(true);
    }
    for (const path of ['src/a.ts', 'src/testing.ts', 'src/contest/a.ts', 'src/latest.ts', 'src/test-utils.ts', 'attest/a.ts']) expect(isTest(path), path).toBe(false);
  });

  it("the schema's default for check.testFiles is the list the engine uses", () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schema', 'concurrency-kit.schema.json'), 'utf8')) as { properties: { check: { properties: { testFiles: { default: unknown } } } } };
    expect(schema.properties.check.properties.testFiles.default).toEqual(DEFAULT_TEST_FILES);
  });

  it('every rule declares a scope; the scale rules skip tests, the correctness rules do not', () => {
    const scopes = Object.fromEntries(RULES.map((r) => [r.id, r.scope]));
    expect(Object.entries(scopes).filter(([, s]) => s === 'non-test').map(([id]) => id).sort()).toEqual(['bound.backpressure', 'bound.concurrency', 'bound.queue', 'cancel.propagate', 'sync.poll-sleep']);
    for (const id of Object.keys(scopes).filter((i) => /^(errors|leak|lock|race)\./.test(i))) expect(scopes[id], id).toBe('all');
  });
});

describe('check over test files', () => {
  it('a test file gets the correctness rules only; --include-tests gives it every rule', async () => {
    const dir = make({ 'src/a.ts': BOTH, 'src/a.test.ts': BOTH, 'test/helpers.ts': BOTH });
    expect(rulesBy(await check({ cwd: dir }))).toEqual({
      'src/a.test.ts': ['leak.timers'],
      'src/a.ts': ['bound.concurrency', 'leak.timers'],
      'test/helpers.ts': ['leak.timers'],
    });
    const all = rulesBy(await check({ cwd: dir, includeTests: true }));
    for (const file of ['src/a.ts', 'src/a.test.ts', 'test/helpers.ts']) expect(all[file], file).toEqual(['bound.concurrency', 'leak.timers']);
  });

  it('a suppression of a skipped rule in a test file is not reported as unused; with --include-tests it suppresses', async () => {
    const suppressed = BOTH.replace('  return Promise.all', '  // concurrency-kit-ignore-next-line bound.concurrency -- fixture-sized input\n  return Promise.all');
    const dir = make({ 'src/a.test.ts': suppressed });
    const plain = await check({ cwd: dir });
    expect(plain.findings.map((f) => f.ruleId)).toEqual(['leak.timers']);
    expect(plain.suppressed).toBe(0);
    const all = await check({ cwd: dir, includeTests: true });
    expect(all.findings.map((f) => f.ruleId)).toEqual(['leak.timers']);
    expect(all.suppressed).toBe(1);
  });

  it('check.testFiles replaces the default conventions ([] makes no file a test)', async () => {
    const dir = make({ 'src/a.test.ts': BOTH, 'src/e2e/flow.ts': BOTH, 'concurrency-kit.json': { check: { testFiles: ['src/e2e/**'] } } });
    expect(rulesBy(await check({ cwd: dir }))).toEqual({ 'src/a.test.ts': ['bound.concurrency', 'leak.timers'], 'src/e2e/flow.ts': ['leak.timers'] });
    project?.cleanup();
    const none = make({ 'src/a.test.ts': BOTH, 'concurrency-kit.json': { check: { testFiles: [] } } });
    expect(rulesBy(await check({ cwd: none }))).toEqual({ 'src/a.test.ts': ['bound.concurrency', 'leak.timers'] });
  });

  it('check.testFiles is validated, and writing the config keeps it', () => {
    expect(() => parseConfig('{ "check": { "testFiles": "test/**" } }')).toThrow(ConfigError);
    expect(() => parseConfig('{ "check": { "testfiles": [] } }')).toThrow(/check\.testfiles is not a known field/);
    const config = parseConfig('{ "targetDir": "src/c", "check": { "testFiles": ["e2e/**"] } }');
    expect(parseConfig(serializeConfig(config))).toEqual(config);
  });

  it('the CLI has --include-tests and passes it through', async () => {
    const command = buildProgram({ exitCode: 0, output: null }, new AbortController().signal).commands.find((c) => c.name() === 'check');
    expect(command?.options.map((o) => o.long)).toContain('--include-tests');
    const dir = make({ 'src/a.test.ts': BOTH });
    const writes: string[] = [];
    const sink = { write: (text: string): void => void writes.push(text) };
    await checkCommand([], { includeTests: true, format: 'github', failOn: 'never', cwd: dir }, new Output(false), {}, sink);
    expect([...writes.join('').matchAll(/title=([\w.-]+)::/g)].map((m) => m[1])).toEqual(['bound.concurrency', 'leak.timers']);
  });
});
