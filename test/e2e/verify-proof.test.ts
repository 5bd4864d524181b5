/**
 * End to end: `verify` proves a generated module against the specialist checklist — tests under the leak check,
 * each checklist item with what proved it — and catches what the design promises it catches: a timer or an abort
 * listener left behind by the module (with a stack into the module file), and a checklist item whose test is gone.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgent } from '../../src/checklist/agent.js';
import { PACKAGE_ROOT } from '../../src/patterns/registry.js';
import { createTempProject, esmProjectTree, type TempProject } from '../helpers/temp-project.js';
import { runCli } from '../helpers/run-cli.js';

interface Report {
  ok: boolean;
  leakCheck: boolean;
  benchmark: boolean;
  machine: { loadAvg1m: number | null; cores: number };
  modules: {
    pattern: string;
    file: string;
    benchFile: string | null;
    ok: boolean;
    tests: { passed: number; failed: number; failures: { test: string; message: string }[] };
    leaks: { kind: string; message: string; stack: string; test: string }[];
    bench: {
      throughputOpsPerSec: number | null;
      load: { ratePerSec: number; p50Ms: number; p99Ms: number; maxMs: number; baselineP99Ms: number | null; addedP99Ms: number } | null;
      heapGrowthBytes: number | null;
      budget: Record<string, number>;
      ok: boolean;
      failures: string[];
      error: string | null;
    } | null;
    checklist: { id: string; text: string; status: 'pass' | 'fail' | 'manual'; provedBy: string }[];
  }[];
}

const agentItems = loadAgent(join(PACKAGE_ROOT, 'agents', 'concurrency-specialist.md')).checklist.map((i) => i.id);

describe('verify proves worker-pool against the checklist', () => {
  let project: TempProject;
  let moduleFile: string;
  let testFile: string;
  let pristineModule: string;
  let pristineTest: string;

  async function verifyJson(...flags: string[]): Promise<{ exitCode: number; report: Report; stderr: string }> {
    const result = await runCli(['verify', 'src/concurrency/worker-pool.ts', '--json', ...flags], project.dir, { timeoutMs: 240_000 });
    let report: Report;
    try {
      report = JSON.parse(result.stdout) as Report;
    } catch {
      throw new Error(`verify printed no JSON report (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
    }
    return { exitCode: result.exitCode, report, stderr: result.stderr };
  }

  function edit(file: string, from: string | RegExp, to: string): void {
    const before = readFileSync(file, 'utf8');
    const after = before.replace(from, to);
    expect(after, `edit of ${file} must change it`).not.toBe(before);
    writeFileSync(file, after);
  }

  beforeAll(async () => {
    project = createTempProject(esmProjectTree());
    const added = await runCli(['add', 'worker-pool', '--yes'], project.dir);
    expect(added.exitCode).toBe(0);
    moduleFile = join(project.dir, 'src', 'concurrency', 'worker-pool.ts');
    testFile = join(project.dir, 'src', 'concurrency', 'worker-pool.test.ts');
    pristineModule = readFileSync(moduleFile, 'utf8');
    pristineTest = readFileSync(testFile, 'utf8');
  });
  afterAll(() => project.cleanup());

  function restore(): void {
    writeFileSync(moduleFile, pristineModule);
    writeFileSync(testFile, pristineTest);
  }

  it('a clean module passes: no leaks, every checklist item reported, none failed, perf items manual without --bench', async () => {
    const { exitCode, report, stderr } = await verifyJson();
    const m = report.modules[0]!;
    expect(m.tests.failures).toEqual([]);
    expect(m.leaks).toEqual([]);
    expect(report).toMatchObject({ ok: true, leakCheck: true });
    expect(exitCode).toBe(0);
    expect(m.bench).toBeNull();
    expect(m.checklist.map((c) => c.id)).toEqual(agentItems);
    const status = Object.fromEntries(m.checklist.map((c) => [c.id, c.status]));
    expect(m.checklist.filter((c) => c.status === 'fail')).toEqual([]);
    for (const id of ['cancel.abort-signal', 'cancel.queued', 'leak.timers', 'leak.listeners', 'leak.promises', 'bound.queue', 'close.drain', 'leak.memory']) {
      expect(status[id], id).toBe('pass');
    }
    for (const id of ['perf.throughput', 'perf.p99']) expect(status[id], id).toBe('manual');
    expect(status['sync.event-loop']).toBe('manual');
    expect(m.checklist.find((c) => c.id === 'leak.timers')!.provedBy).toMatch(/test leak\.timers passed; leak check found no timer/);
    // Progress goes to stderr, the one JSON document to stdout.
    expect(stderr).toMatch(/leak check/);
  });

  it('a setInterval left in the constructor fails verify as a timer leak with a stack into the module file', async () => {
    try {
      edit(moduleFile, /(\n\s*)(this\.#handler = handler;)/, '$1setInterval(() => {}, 1000);$1$2');
      const { exitCode, report } = await verifyJson();
      const m = report.modules[0]!;
      expect(exitCode).toBe(1);
      expect(report.ok).toBe(false);
      const timers = m.leaks.filter((l) => l.kind === 'timer');
      expect(timers.length).toBeGreaterThan(0);
      expect(timers[0]!.stack.split('\n')[0]).toContain('worker-pool.ts');
      expect(m.checklist.find((c) => c.id === 'leak.timers')!.status).toBe('fail');
      // Human output prints the leak and its stack.
      const human = await runCli(['verify', 'src/concurrency/worker-pool.ts'], project.dir, { timeoutMs: 240_000 });
      expect(human.exitCode).toBe(1);
      // Human output wraps at 80 columns: the leak line is compared as one line.
      expect(human.stdout.replace(/\n\s*/g, ' ')).toMatch(/leak worker-pool > .*: timer: /);
      expect(human.stdout).toContain('worker-pool.ts:');
    } finally {
      restore();
    }
  });

  it('an abort listener left attached after a job settles fails verify as a listener leak', async () => {
    try {
      edit(moduleFile, /signal\.removeEventListener\(["']abort["'], group\.onAbort\);/, 'void group;');
      const { exitCode, report } = await verifyJson();
      const m = report.modules[0]!;
      expect(exitCode).toBe(1);
      const listeners = m.leaks.filter((l) => l.kind === 'listener');
      expect(listeners.length).toBeGreaterThan(0);
      expect(listeners[0]!.stack).toContain('worker-pool.ts');
      expect(m.checklist.find((c) => c.id === 'leak.listeners')!.status).toBe('fail');
    } finally {
      restore();
    }
  });

  it('a checklist item whose test was deleted is reported fail, never pass', async () => {
    try {
      // Remove every test with the id cancel.queued (its title is what the checklist refers to).
      edit(testFile, /it\((["'])cancel\.queued: /g, 'it($1renamed-away: ');
      const { exitCode, report } = await verifyJson();
      const item = report.modules[0]!.checklist.find((c) => c.id === 'cancel.queued')!;
      expect(item.status).toBe('fail');
      expect(item.provedBy).toMatch(/test cancel\.queued not found/);
      expect(exitCode).toBe(1);
    } finally {
      restore();
    }
  });

  it('--no-leaks skips the leak check: items proved only by it become manual', async () => {
    const { exitCode, report } = await verifyJson('--no-leaks');
    expect(report.leakCheck).toBe(false);
    const status = Object.fromEntries(report.modules[0]!.checklist.map((c) => [c.id, c.status]));
    expect(status['leak.promises']).toBe('manual');
    expect(status['leak.handles']).toBe('manual');
    expect(status['errors.unhandled']).toBe('manual');
    expect(exitCode).toBe(0);
  });

  it('--bench measures throughput, the open load and heap growth, and judges the perf items against the budget', async () => {
    // A shorter, lighter load than the default 7,000/s for 3 s keeps the kit's own test fast; the demo runs the real one.
    const { report } = await verifyJson('--bench', '--budget', 'durationMs=1000', '--budget', 'worker-pool.ratePerSec=2000');
    const m = report.modules[0]!;
    const bench = m.bench!;
    expect(bench.error).toBeNull();
    expect(bench.budget).toMatchObject({ durationMs: 1000, ratePerSec: 2000, p99Ms: 5, p99CeilingMs: 50 });
    expect(bench.throughputOpsPerSec).toBeGreaterThan(0);
    expect(bench.load!.ratePerSec).toBeGreaterThan(2000 * 0.95);
    expect(bench.load!.p50Ms).toBeLessThanOrEqual(bench.load!.p99Ms);
    expect(bench.load!.p99Ms).toBeLessThanOrEqual(bench.load!.maxMs);
    expect(Number.isFinite(bench.load!.baselineP99Ms)).toBe(true);
    expect(bench.load!.addedP99Ms).toBe(Math.max(0, bench.load!.p99Ms - bench.load!.baselineP99Ms!));
    expect(Number.isFinite(bench.heapGrowthBytes)).toBe(true);
    expect(report.machine.cores).toBeGreaterThanOrEqual(1);
    if (process.platform !== 'win32') expect(report.machine.loadAvg1m).toBeGreaterThanOrEqual(0);
    const perf = m.checklist.filter((c) => c.id.startsWith('perf.'));
    expect(perf.map((c) => c.status).every((s) => s === 'pass' || s === 'fail')).toBe(true);
    expect(perf.every((c) => c.status === 'pass')).toBe(bench.ok);
    expect(m.checklist.find((c) => c.id === 'perf.p99')!.provedBy).toMatch(
      /^benchmark: added p99 [\d.]+ ms (<=|>) 5 ms \(p99 [\d.]+ ms (<=|>) ceiling 50 ms, no-op baseline p99 [\d.]+ ms\) at [\d,.]+ requests\/s/,
    );
  });

  it('a missed budget fails verify and the perf item, naming the figure and the budget', async () => {
    const { exitCode, report } = await verifyJson('--bench', '--budget', 'durationMs=300', '--budget', 'ratePerSec=1000', '--budget', 'throughputOpsPerSec=1e12');
    const m = report.modules[0]!;
    expect(m.bench!.ok).toBe(false);
    expect(m.bench!.failures).toEqual(expect.arrayContaining([expect.stringMatching(/^throughput [\d,.]+ ops\/s < budget 1,000,000,000,000 ops\/s/)]));
    expect(m.checklist.find((c) => c.id === 'perf.throughput')).toMatchObject({ status: 'fail' });
    expect(m.ok).toBe(false);
    expect(exitCode).toBe(1);
  });

  it('--bench with a module added --no-bench: its perf items are manual ("no bench file"), and verify exits 0', async () => {
    const added = await runCli(['add', 'sharded-cache', '--yes', '--no-bench'], project.dir);
    expect(added.exitCode).toBe(0);
    try {
      // Budgets no healthy module misses keep this about the missing bench file, not the machine.
      const result = await runCli(
        ['verify', '--bench', '--json', '--budget', 'durationMs=300', '--budget', 'ratePerSec=1000', '--budget', 'p99Ms=60000', '--budget', 'p99CeilingMs=60000', '--budget', 'throughputOpsPerSec=0'],
        project.dir,
        { timeoutMs: 240_000 },
      );
      const report = JSON.parse(result.stdout) as Report;
      const byPattern = Object.fromEntries(report.modules.map((m) => [m.pattern, m]));
      const cache = byPattern['sharded-cache']!;
      expect(cache.benchFile).toBeNull();
      expect(cache.bench).toBeNull();
      const perf = cache.checklist.filter((c) => c.id.startsWith('perf.'));
      expect(perf.map((c) => c.id)).toEqual(['perf.throughput', 'perf.p99', 'perf.heap']);
      for (const item of perf) {
        expect(item.status, item.id).toBe('manual');
        expect(item.provedBy, item.id).toMatch(/^no bench file src\/concurrency\/sharded-cache\.bench\.ts \(added with --no-bench\)/);
      }
      expect(cache.ok).toBe(true);
      // The module that has a bench was measured and judged as usual.
      const pool = byPattern['worker-pool']!;
      expect(pool.benchFile).toBe('src/concurrency/worker-pool.bench.ts');
      expect(pool.bench).toMatchObject({ ok: true, error: null });
      expect(report).toMatchObject({ ok: true, benchmark: true });
      expect(result.exitCode).toBe(0);
    } finally {
      for (const file of ['sharded-cache.ts', 'sharded-cache.test.ts']) rmSync(join(project.dir, 'src', 'concurrency', file), { force: true });
    }
  });

  it.each([
    [['--budget', 'p99Ms=3'], /--budget applies to the benchmark, which runs only with --bench/],
    [['--bench', '--budget', 'latency=3'], /Invalid --budget "latency=3": unknown budget key "latency"/],
    [['--bench', '--budget', 'nosuch.p99Ms=3'], /unknown pattern "nosuch"/],
    [['--bench', '--budget', 'p99Ms=fast'], /p99Ms must be a number/],
  ])('bad budget flags %j exit 2 before anything runs', async (flags, message) => {
    const result = await runCli(['verify', ...flags], project.dir);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.replace(/\n\s*/g, ' ')).toMatch(message);
  });
});
