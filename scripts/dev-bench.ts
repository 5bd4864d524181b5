// Template authors' helper: renders <pattern> with its defaults into a throwaway strict ESM project and runs
// `verify --bench`'s runBench on it <runs> times, one after another, printing each run's figures and the medians.
// This is how the budgets in templates/<id>/manifest.json were measured.
// Usage: npx tsx scripts/dev-bench.ts <pattern> [runs=5] [--attempts=N] [key=value budget overrides...]
// --attempts=1 records single-window figures (no re-measuring after a p99 miss).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPattern } from '../src/patterns/registry.js';
import { parseBudgetOverrides, resolveBudget } from '../src/verify/budget.js';
import { runBench, type BenchReport } from '../src/verify/bench.js';
import { findModules } from '../src/verify/find.js';

/** The 1-minute load average (how busy the machine was), or null where the OS has none. */
function cpuLoad(): number | null {
  const [one] = loadavg();
  return one === undefined || one === 0 ? null : +one.toFixed(2);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const attemptsFlag = args.find((a) => a.startsWith('--attempts='));
const [id, runsText, ...overrideArgs] = args.filter((a) => a !== attemptsFlag);
const loadAttempts = attemptsFlag === undefined ? undefined : Number(attemptsFlag.slice('--attempts='.length));
if (!id) throw new Error('usage: tsx scripts/dev-bench.ts <pattern> [runs=5] [key=value ...]');
const runs = Number(runsText ?? 5);
const dir = mkdtempSync(join(tmpdir(), `ck-bench-${id}-`));
try {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-sample', private: true, type: 'module' }));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'src'));
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'dev-render.ts'), id, join(dir, 'src')], { stdio: 'ignore' });
  const module = findModules(['src'], dir).find((m) => m.pattern === id);
  if (!module) throw new Error(`rendering ${id} produced no module`);
  const budget = resolveBudget(loadPattern(id).manifest.budget, parseBudgetOverrides(overrideArgs), id);
  const reports: BenchReport[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const report = await runBench(module, budget, { projectRoot: dir, loadAttempts });
    const wallMs = performance.now() - started;
    reports.push(report);
    const l = report.load;
    console.log(
      JSON.stringify({
        run: i + 1,
        wallS: +(wallMs / 1000).toFixed(1),
        opsPerSec: report.throughputOpsPerSec === null ? null : Math.round(report.throughputOpsPerSec),
        rate: l && Math.round(l.ratePerSec),
        p50Ms: l && +l.p50Ms.toFixed(3),
        p99Ms: l && +l.p99Ms.toFixed(3),
        maxMs: l && +l.maxMs.toFixed(2),
        baselineP99Ms: l?.baselineP99Ms == null ? null : +l.baselineP99Ms.toFixed(3),
        addedP99Ms: l && +l.addedP99Ms.toFixed(3),
        heapGrowthBytes: report.heapGrowthBytes,
        load: cpuLoad(),
        ok: report.ok,
        failures: report.failures,
        notes: report.notes,
        error: report.error,
      }),
    );
  }
  const median = (values: number[]): number => {
    const s = [...values].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  const pick = (f: (r: BenchReport) => number | null | undefined): number => median(reports.map(f).filter((v): v is number => typeof v === 'number'));
  console.log(
    JSON.stringify({
      pattern: id,
      median: {
        opsPerSec: Math.round(pick((r) => r.throughputOpsPerSec)),
        p50Ms: +pick((r) => r.load?.p50Ms).toFixed(3),
        p99Ms: +pick((r) => r.load?.p99Ms).toFixed(3),
        maxMs: +pick((r) => r.load?.maxMs).toFixed(2),
        baselineP99Ms: +pick((r) => r.load?.baselineP99Ms).toFixed(3),
        addedP99Ms: +pick((r) => r.load?.addedP99Ms).toFixed(3),
        heapGrowthBytes: Math.round(pick((r) => r.heapGrowthBytes)),
      },
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
