/**
 * `verify --format`: a verify report as findings (a failed test, a leak at the module frame of its creation stack,
 * a missed budget, a failed checklist item), the rules from the checklist, SARIF valid against the official schema,
 * and the flags that choose the output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseVerifyOutput } from '../../src/cli/commands/verify.js';
import { UsageError } from '../../src/errors.js';
import { formatGithub, formatJunit, formatSarif, jsonReport } from '../../src/report/index.js';
import type { BenchReport } from '../../src/verify/bench.js';
import { moduleFrame, verifyFindings, VERIFY_BUDGET_RULE, VERIFY_LEAK_RULE, VERIFY_RULES, VERIFY_TEST_RULE } from '../../src/verify/findings.js';
import type { ModuleReport, VerifyReport } from '../../src/verify/verify.js';
import { sarifValidator } from '../helpers/sarif-schema.js';


const ROOT = '/work/app';
const MODULE = `${ROOT}/src/concurrency/worker-pool.ts`;
const identity = (p: string): string => p;

function checklist(fail: readonly string[] = []): ModuleReport['checklist'] {
  return [
    { id: 'cancel.queued', text: 'A queued waiter whose signal aborts is removed at once.', status: fail.includes('cancel.queued') ? 'fail' : 'pass', provedBy: fail.includes('cancel.queued') ? 'test cancel.queued failed' : 'test cancel.queued passed' },
    { id: 'leak.timers', text: 'No timer outlives its owner.', status: fail.includes('leak.timers') ? 'fail' : 'pass', provedBy: fail.includes('leak.timers') ? 'leak check found 1 timer/immediate leaks' : 'leak check found no timer/immediate leaks' },
    { id: 'perf.p99', text: 'The module adds little latency under load.', status: fail.includes('perf.p99') ? 'fail' : 'manual', provedBy: 'benchmark not run (verify --bench runs it)' },
  ];
}

function module(over: Partial<ModuleReport> = {}): ModuleReport {
  return {
    pattern: 'worker-pool',
    file: 'src/concurrency/worker-pool.ts',
    benchFile: 'src/concurrency/worker-pool.bench.ts',
    tests: { passed: 12, failed: 0, skipped: 0, failures: [] },
    leaks: [],
    bench: null,
    checklist: checklist(),
    ok: true,
    ...over,
  };
}

function report(modules: ModuleReport[]): VerifyReport {
  return { ok: modules.every((m) => m.ok), modules, runner: { vitest: '4.1.0', source: 'kit' }, leakCheck: true, benchmark: false, machine: { loadAvg1m: 1, cores: 2 }, notes: [] };
}

const missedBench: BenchReport = {
  throughputOpsPerSec: 50_000,
  load: { ratePerSec: 7000, p50Ms: 0.2, p99Ms: 9, maxMs: 12, requests: 21000, durationMs: 3000, baselineP50Ms: 0.1, baselineP99Ms: 1, baselineMaxMs: 3, addedP99Ms: 8 },
  heapGrowthBytes: 1024,
  budget: { throughputOpsPerSec: 10_000, p99Ms: 5, p99CeilingMs: 50, ratePerSec: 7000, durationMs: 3000, heapGrowthBytes: 8 * 1024 * 1024 },
  ok: false,
  failures: ['added p99 8 ms > budget 5 ms'],
  notes: [],
  error: null,
};

const failing = module({
  ok: false,
  tests: {
    passed: 10,
    failed: 2,
    skipped: 0,
    failures: [
      { test: 'worker-pool > cancel.queued: aborting a queued job rejects it', message: 'AssertionError: expected 1 to be 0\n    at worker-pool.test.ts:40:7' },
      { test: 'worker-pool > leak.timers: close clears the timer', message: 'LeakError: 1 leak found after the test' },
    ],
  },
  leaks: [
    {
      kind: 'timer',
      message: 'setInterval(…, 1000 ms) created during the test is still active',
      stack: `at new WorkerPool (${MODULE}:87:5)\nat ${ROOT}/src/concurrency/worker-pool.test.ts:12:18`,
      test: 'worker-pool > leak.timers: close clears the timer',
    },
    {
      kind: 'listener',
      message: 'an "abort" listener on an AbortSignal is still attached',
      stack: `at helper (${ROOT}/src/other.ts:3:1)\nat async run (${pathToFileURL(MODULE).href}:140:11)`,
      test: 'worker-pool > leak.listeners: detaches',
    },
    { kind: 'promise', message: 'a promise is still pending', stack: `at ${ROOT}/src/concurrency/worker-pool.test.ts:99:3`, test: 'worker-pool > leak.promises: settles' },
  ],
  bench: missedBench,
  checklist: checklist(['cancel.queued', 'leak.timers', 'perf.p99']),
});

describe('moduleFrame', () => {
  it('finds the first frame in the module file: a plain path, a file: URL, or through a symlink', () => {
    expect(moduleFrame(`at a (${ROOT}/src/x.ts:1:2)\nat new Pool (${MODULE}:87:5)\nat ${MODULE}:99:1`, MODULE, identity)).toEqual({ line: 87, column: 5 });
    expect(moduleFrame(`at async run (${pathToFileURL(MODULE).href}:140:11)`, MODULE, identity)).toEqual({ line: 140, column: 11 });
    expect(moduleFrame(`at /link/pool.ts:7:3`, MODULE, (p) => (p === '/link/pool.ts' ? MODULE : p))).toEqual({ line: 7, column: 3 });
  });

  it('is null when no frame is in the module file (or the stack is empty)', () => {
    expect(moduleFrame(`at ${ROOT}/src/concurrency/worker-pool.test.ts:12:18`, MODULE, identity)).toBeNull();
    expect(moduleFrame('', MODULE, identity)).toBeNull();
  });
});

describe('verifyFindings', () => {
  const input = verifyFindings(report([failing, module({ pattern: 'mutex', file: 'src/concurrency/mutex.ts' })]), { cwd: ROOT, root: ROOT, realpath: identity });
  const file = 'src/concurrency/worker-pool.ts';

  it('a failed test, each leak, the missed budget and each failed checklist item become one finding in the module file', () => {
    const brief = input.findings.map((f) => [f.ruleId, f.file, f.line, f.column]);
    expect(brief).toEqual([
      ['cancel.queued', file, 1, 1],
      ['leak.timers', file, 1, 1],
      ['perf.p99', file, 1, 1],
      [VERIFY_BUDGET_RULE, file, 1, 1],
      // The leak whose stack has no module frame stays at line 1.
      [VERIFY_LEAK_RULE, file, 1, 1],
      [VERIFY_TEST_RULE, file, 1, 1],
      [VERIFY_LEAK_RULE, file, 87, 5],
      [VERIFY_LEAK_RULE, file, 140, 11],
    ]);
    expect(input.findings.every((f) => f.severity === 'error')).toBe(true);
  });

  it('messages name the pattern, the test, the leak, the figure against its budget and what disproved the item', () => {
    const by = (rule: string): string[] => input.findings.filter((f) => f.ruleId === rule).map((f) => f.message);
    // The test the leak check failed is reported as its leak, not twice.
    expect(by(VERIFY_TEST_RULE)).toEqual(['worker-pool: test "worker-pool > cancel.queued: aborting a queued job rejects it" failed: AssertionError: expected 1 to be 0']);
    expect(by(VERIFY_LEAK_RULE)).toContain('worker-pool: timer leak in test "worker-pool > leak.timers: close clears the timer": setInterval(…, 1000 ms) created during the test is still active');
    expect(by(VERIFY_BUDGET_RULE)).toEqual([expect.stringMatching(/^worker-pool: budget missed: added p99 8 ms > 5 ms/)]);
    expect(by('leak.timers')).toEqual(['worker-pool: checklist item leak.timers failed: leak check found 1 timer/immediate leaks. (No timer outlives its owner.)']);
  });

  it('a passing module yields nothing, and its file is still listed', () => {
    expect(input.findings.some((f) => f.message.startsWith('mutex'))).toBe(false);
    expect(input.files).toEqual(['src/concurrency/mutex.ts', file]);
  });

  it('rules: the checklist items in report order (title = item text), then the verify.* rules', () => {
    expect(input.tool.rules.map((r) => r.id)).toEqual(['cancel.queued', 'leak.timers', 'perf.p99', ...VERIFY_RULES.map((r) => r.id)]);
    expect(input.tool.rules[1]).toMatchObject({ title: 'No timer outlives its owner.', defaultSeverity: 'error' });
    expect(input.tool.name).toBe('concurrency-kit verify');
  });

  it('fingerprints are distinct per finding and do not change when a leak moves to another line', () => {
    expect(new Set(input.findings.map((f) => f.fingerprint)).size).toBe(input.findings.length);
    const moved = { ...failing, leaks: failing.leaks.map((l) => ({ ...l, stack: l.stack.replace(':87:5', ':90:5') })) };
    const again = verifyFindings(report([moved]), { cwd: ROOT, root: ROOT, realpath: identity });
    expect(again.findings.find((f) => f.line === 90)?.fingerprint).toBe(input.findings.find((f) => f.line === 87)?.fingerprint);
  });

  it('the same leak (kind, message, place) left by several tests is one finding naming how many', () => {
    const timer = failing.leaks[0]!;
    const many = module({ ok: false, leaks: [timer, { ...timer, test: 'worker-pool > b' }, { ...timer, test: 'worker-pool > c' }, { ...timer, stack: timer.stack.replace(':87:5', ':88:5') }] });
    const got = verifyFindings(report([many]), { cwd: ROOT, root: ROOT, realpath: identity }).findings.filter((f) => f.ruleId === VERIFY_LEAK_RULE);
    expect(got.map((f) => [f.line, f.message])).toEqual([
      [87, `worker-pool: timer leak in 3 tests (first "${timer.test}"): ${timer.message}`],
      [88, `worker-pool: timer leak in test "${timer.test}": ${timer.message}`],
    ]);
  });

  it('paths are relative to the root, from a report relative to another cwd', () => {
    const sub = verifyFindings(report([{ ...failing, file: 'concurrency/worker-pool.ts' }]), { cwd: `${ROOT}/src`, root: ROOT, realpath: identity });
    expect(new Set(sub.findings.map((f) => f.file))).toEqual(new Set([file]));
    expect(sub.findings.find((f) => f.ruleId === VERIFY_LEAK_RULE && f.line === 87)).toBeDefined();
  });

  it('a failed module always yields a finding: no test passed, a benchmark that could not run', () => {
    const skippedOnly = module({ ok: false, tests: { passed: 0, failed: 0, skipped: 3, failures: [] } });
    const noBench = module({ ok: false, bench: { ...missedBench, throughputOpsPerSec: null, load: null, heapGrowthBytes: null, error: 'vitest crashed\nstack' } });
    const got = verifyFindings(report([skippedOnly]), { cwd: ROOT, root: ROOT, realpath: identity }).findings;
    expect(got.map((f) => [f.ruleId, f.message])).toEqual([[VERIFY_TEST_RULE, 'worker-pool: no test passed (3 skipped), so nothing about the module is proved']]);
    const bench = verifyFindings(report([noBench]), { cwd: ROOT, root: ROOT, realpath: identity }).findings;
    expect(bench.map((f) => [f.ruleId, f.message])).toEqual([[VERIFY_BUDGET_RULE, 'worker-pool: the benchmark could not run: vitest crashed']]);
  });

  it('the writers take it as they take check: JSON envelope not ok, one annotation per finding, JUnit failures per rule', () => {
    expect(jsonReport(input, 'error')).toMatchObject({ tool: 'concurrency-kit verify', ok: false, summary: { files: 2, findings: 8, errors: 8 } });
    const clean = verifyFindings(report([module()]), { cwd: ROOT, root: ROOT, realpath: identity });
    expect(jsonReport(clean, 'error')).toMatchObject({ ok: true, findings: [] });
    const github = formatGithub(input).trimEnd().split('\n');
    expect(github).toHaveLength(8);
    expect(github).toContain(
      `::error file=${file},line=87,col=5,endLine=87,endColumn=6,title=verify.leak::worker-pool: timer leak in test "worker-pool > leak.timers: close clears the timer": setInterval(…, 1000 ms) created during the test is still active%0AFix: ${VERIFY_RULES[1]!.fix}`,
    );
    const junit = formatJunit(input);
    expect(junit).toContain(`<testsuite name="${file}" tests="6" failures="6"`);
    // What did not run is skipped, never passed: a manual item, the budget without --bench.
    expect(junit).toContain('<testsuite name="src/concurrency/mutex.ts" tests="6" failures="0" errors="0" skipped="2">');
    expect(junit).toContain('<testcase classname="src/concurrency/mutex.ts" name="perf.p99">\n      <skipped message="manual: benchmark not run (verify --bench runs it)"/>');
    expect(junit).toContain('<testcase classname="src/concurrency/mutex.ts" name="leak.timers"/>');
    const noLeaks = formatJunit(verifyFindings({ ...report([module()]), leakCheck: false }, { cwd: ROOT, root: ROOT, realpath: identity }));
    expect(noLeaks).toContain(`<testcase classname="${file}" name="verify.leak">\n      <skipped message="leak check skipped (--no-leaks)"/>`);
  });
});

describe('SARIF of verify', () => {
  it('validates against the SARIF 2.1.0 schema, with the checklist as rules and a fingerprint per result', async () => {
    const validate = await sarifValidator();
    const input = verifyFindings(report([failing]), { cwd: ROOT, root: ROOT, realpath: identity });
    const log = JSON.parse(formatSarif(input)) as {
      runs: [{ tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; partialFingerprints: Record<string, string>; locations: [{ physicalLocation: { region: { startLine: number } } }] }[] }];
    };
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('concurrency-kit verify');
    expect(run.tool.driver.rules.find((r) => r.id === 'leak.timers')?.shortDescription.text).toBe('No timer outlives its owner.');
    expect(run.results).toHaveLength(input.findings.length);
    for (const r of run.results) {
      expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(Object.keys(r.partialFingerprints)).toHaveLength(1);
    }
    expect(run.results.map((r) => r.locations[0].physicalLocation.region.startLine)).toContain(87);
  });
});

describe('verify --format and --output-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-verify-out-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts json, sarif, github and junit, to stdout or into an existing folder', () => {
    for (const format of ['json', 'sarif', 'github', 'junit']) expect(parseVerifyOutput({ json: false, format }, dir)).toEqual({ format, outputFile: null });
    expect(parseVerifyOutput({ json: false, format: 'sarif', outputFile: 'out.sarif' }, dir)).toEqual({ format: 'sarif', outputFile: join(dir, 'out.sarif') });
    expect(parseVerifyOutput({ json: true }, dir)).toEqual({ format: null, outputFile: null });
  });

  it('an unknown format, --format with --json, --output-file without --format, or in a missing folder are usage errors', () => {
    expect(() => parseVerifyOutput({ json: false, format: 'pretty' }, dir)).toThrow(/--format pretty: expected one of json, sarif, github, junit/);
    expect(() => parseVerifyOutput({ json: true, format: 'json' }, dir)).toThrow(UsageError);
    expect(() => parseVerifyOutput({ json: false, outputFile: 'x.json' }, dir)).toThrow(/needs --format/);
    expect(() => parseVerifyOutput({ json: false, format: 'junit', outputFile: 'missing/x.xml' }, dir)).toThrow(/folder .*missing does not exist/);
    expect(() => parseVerifyOutput({ json: false, format: 'junit', outputFile: '.' }, dir)).toThrow(/is a folder/);
  });
});
