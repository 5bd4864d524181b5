/**
 * `verify --format` end to end, kept cheap (one temp project, two verify runs): a generated worker-pool whose
 * module leaks a timer from its constructor and whose test file gains a test that fails on purpose. Checks the
 * GitHub annotations (the leak at the module line that created it, the failed test, the failed checklist item) and
 * the step summary, the JUnit file written by --output-file, and that bad output flags exit 2 before anything runs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { createTempProject, esmProjectTree, snapshotTree, type TempProject } from '../helpers/temp-project.js';

const MODULE = 'src/concurrency/worker-pool.ts';
const TEST = 'src/concurrency/worker-pool.test.ts';
const LEAK = 'setInterval(() => {}, 1000);';

let project: TempProject;
let outDir: string;
let leakLine: number;

beforeAll(async () => {
  project = createTempProject(esmProjectTree());
  outDir = mkdtempSync(join(tmpdir(), 'ck-verify-format-'));
  const added = await runCli(['add', 'worker-pool', '--yes'], project.dir);
  expect(added.exitCode, added.stderr).toBe(0);
  const moduleFile = join(project.dir, MODULE);
  const source = readFileSync(moduleFile, 'utf8');
  const leaky = source.replace(/(\n\s*)(this\.#handler = handler;)/, `$1${LEAK}$1$2`);
  expect(leaky).not.toBe(source);
  writeFileSync(moduleFile, leaky);
  leakLine = leaky.split('\n').findIndex((l) => l.includes(LEAK)) + 1;
  const testFile = join(project.dir, TEST);
  const tests = readFileSync(testFile, 'utf8');
  // The appended test uses the file's own imports of it and expect.
  const vitestImport = /import \{([^}]*)\} from ["']vitest["']/.exec(tests)?.[1] ?? '';
  expect(vitestImport.split(',').map((s) => s.trim())).toEqual(expect.arrayContaining(['it', 'expect']));
  writeFileSync(testFile, `${tests}\nit('on-purpose: fails so verify --format reports it', () => {\n  expect(1).toBe(2);\n});\n`);
});

afterAll(() => {
  project.cleanup();
  rmSync(outDir, { recursive: true, force: true });
});

describe('verify --format (built CLI)', () => {
  it('github: exit 1, an annotation for the leak at its module line, the failed test and the failed checklist item; a step summary', async () => {
    const summary = join(outDir, 'summary.md');
    const r = await runCli(['verify', '--format', 'github'], project.dir, { timeoutMs: 240_000, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.exitCode, r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.every((l) => l.startsWith('::error file=')), r.stdout).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^::error file=${MODULE},line=${String(leakLine)},col=\\d+,endLine=${String(leakLine)},endColumn=\\d+,title=verify\\.leak::worker-pool: timer leak in \\d+ tests \\(first `)));
    // The timer every test leaves at the same place is one finding.
    expect(lines.filter((l) => l.includes(',title=verify.leak::'))).toHaveLength(1);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^::error file=${MODULE},line=1,col=1,endLine=1,endColumn=2,title=verify\\.test::worker-pool: test ".*on-purpose: fails so verify --format reports it" failed: AssertionError`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^::error file=${MODULE},line=1,col=1,endLine=1,endColumn=2,title=leak\\.timers::worker-pool: checklist item leak\\.timers failed: .*leak check found \\d+ timer`)));
    // Human output is not mixed in; progress stays on stderr.
    expect(r.stdout).not.toContain('verification failed');
    expect(r.stderr).toMatch(/leak check/);
    const table = readFileSync(summary, 'utf8');
    expect(table).toMatch(/^### concurrency-kit verify\n/);
    expect(table).toContain(`| error | \`verify.leak\` | \`${MODULE}:${String(leakLine)}:`);
  });

  it('junit into --output-file: stdout empty, the module file as a suite, failures for the leak, the test and the checklist items', async () => {
    const file = join(outDir, 'verify.xml');
    const r = await runCli(['verify', MODULE, '--format', 'junit', '--output-file', file], project.dir, { timeoutMs: 240_000, env: { GITHUB_ACTIONS: '' } });
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.replace(/\n\s*/g, ' ')).toMatch(/\d+ findings in 1 module\(s\); junit report written to /);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="concurrency-kit verify" tests="\d+" failures="\d+">/);
    expect(xml).toContain(`<testsuite name="${MODULE}"`);
    for (const rule of ['verify.leak', 'verify.test', 'leak.timers']) expect(xml).toMatch(new RegExp(`<testcase classname="${MODULE}" name="${rule}">\\s*<failure `));
    // Items nothing proved without --bench are skipped, not passed.
    expect(xml).toMatch(new RegExp(`<testcase classname="${MODULE}" name="perf\\.p99">\\s*<skipped message="manual: `));
    expect(xml).toMatch(new RegExp(`<testcase classname="${MODULE}" name="verify\\.budget">\\s*<skipped message="benchmark not run`));
    expect(xml).toContain(`${MODULE}:${String(leakLine)}:`);
  });

  it.each([
    [['--format', 'xml'], /--format xml: expected one of json, sarif, github, junit/],
    [['--format', 'junit', '--output-file', 'missing/verify.xml'], /--output-file missing\/verify\.xml: folder .* does not exist/],
    [['--json', '--format', 'json'], /--json and --format json both choose the output/],
  ])('%j exits 2 before anything runs and writes nothing', async (flags, message) => {
    const before = snapshotTree(project.dir);
    const r = await runCli(['verify', ...flags], project.dir);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.replace(/\n\s*/g, ' ') + r.stdout).toMatch(message);
    expect(r.stderr).not.toMatch(/running \d+ test file/);
    expect(snapshotTree(project.dir)).toEqual(before);
    expect(existsSync(join(project.dir, 'missing'))).toBe(false);
  });
});
