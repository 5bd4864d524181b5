/**
 * `verify`: finds generated modules and proves each against its pattern's checklist — by its tests, run under the
 * leak check, and (with `bench`) by its benchmark against the budget — then returns a typed report. The report's
 * shape is the public contract of `verify --json`: fields are added, never renamed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAgents, type AgentDefinition } from '../checklist/agent.js';
import { evaluateChecklist, type ChecklistEvidence, type ChecklistResult, type TestCase } from '../checklist/evaluate.js';
import { checkProofsAgainst } from '../checklist/proofs.js';
import { readConfig } from '../config/config.js';
import { moduleFileOf, recordedPath } from '../config/record.js';
import { InterruptedError, ProjectError, TemplateError } from '../errors.js';
import { normalizeSeparators, posixRelative } from '../paths.js';
import type { PatternManifest } from '../patterns/manifest.js';
import { listPatterns, PACKAGE_ROOT } from '../patterns/registry.js';
import { nearestPackageJson } from '../project/package-json.js';
import { findProjectRoot } from '../project/root.js';
import { discoverModules } from './discover.js';
import { findModules, moduleSideCompanions, type FoundModule } from './find.js';
import { runTests, type TestResult } from './run-tests.js';
import { runBench, type BenchReport } from './bench.js';
import { benchMetrics } from './bench-checks.js';
import { NO_BUDGET_OVERRIDES, resolveBudget, type BudgetOverrides } from './budget.js';

/** A leak the leak check found in one of the module's tests. */
export interface LeakReport {
  /** What leaked: `timer`, `immediate`, `listener`, `promise`, `worker`, `message-port`, `socket`, `file-handle`, `unhandled-rejection`. */
  readonly kind: string;
  readonly message: string;
  /** Where the leaked thing was created, user frames only (the first one points into the module file). */
  readonly stack: string;
  /** The test that left it behind (`describe > it`). */
  readonly test: string;
}

/** Verification of one generated module. */
export interface ModuleReport {
  readonly pattern: string;
  /** Path of the module, relative to the working directory, POSIX separators. */
  readonly file: string;
  /** Path of the module's bench file, relative like {@link ModuleReport.file}, or null when it has none (added with `--no-bench`). */
  readonly benchFile: string | null;
  readonly tests: TestResult;
  /** Leaks found by the leak check (empty when it found none or was switched off: see {@link VerifyReport.leakCheck}). */
  readonly leaks: readonly LeakReport[];
  /**
   * Benchmark figures against the budget, or null when the benchmark was not run: no `--bench`, or the module has no
   * bench file (then its perf items are `manual`, and the module is judged without them).
   */
  readonly bench: BenchReport | null;
  /** Every item of the pattern's checklist, in the agent file's order. */
  readonly checklist: readonly ChecklistResult[];
  /** Tests passed, nothing leaked, the budget was met (when benchmarked) and no checklist item failed. */
  readonly ok: boolean;
}

/** The whole report (`verify --json` prints it as is). */
export interface VerifyReport {
  readonly ok: boolean;
  readonly modules: readonly ModuleReport[];
  /** Which vitest ran the tests. */
  readonly runner: { readonly vitest: string; readonly source: 'project' | 'kit' } | null;
  /** Whether the leak check ran (`--no-leaks` switches it off). */
  readonly leakCheck: boolean;
  /** Whether the benchmark ran (`--bench`). */
  readonly benchmark: boolean;
  /**
   * The machine the run measured on: its 1-minute load average when the run finished (after the benchmarks; it
   * includes verify's own processes; null where the OS has none, e.g. Windows) and its core count
   * (`os.availableParallelism()`). Benchmarks judge latency against a no-op baseline measured in the same load, so a
   * busy machine does not fail a module; these figures say how busy it was.
   */
  readonly machine: MachineInfo;
  /**
   * Remarks on how the run went (per-module benchmark remarks are in `modules[].bench.notes`): a module recorded in
   * `concurrency-kit.json` whose file no longer exists, for instance.
   */
  readonly notes: readonly string[];
}

/** How busy the machine was: see {@link VerifyReport.machine}. */
export interface MachineInfo {
  /** 1-minute load average (runnable processes), or null where the OS reports none. */
  readonly loadAvg1m: number | null;
  /** Logical cores available to this process. */
  readonly cores: number;
}

/** The machine's load average and core count now (see {@link MachineInfo}). */
export function machineInfo(): MachineInfo {
  const [oneMinute] = loadavg();
  return { loadAvg1m: process.platform === 'win32' || oneMinute === undefined ? null : Math.round(oneMinute * 100) / 100, cores: availableParallelism() };
}

/** Inputs of {@link verify}. */
export interface VerifyOptions {
  /**
   * Files or directories to search, relative to `cwd` (backslashes count as `/`). When empty or left out, every
   * module recorded in the project's `concurrency-kit.json` and every module carrying the kit's banner anywhere in
   * the project (outside node_modules, dist and hidden folders) is verified.
   */
  readonly paths?: readonly string[];
  /** @defaultValue `process.cwd()` */
  readonly cwd?: string;
  /** Progress lines for people (the CLI prints them on stderr). */
  readonly onProgress?: (message: string) => void;
  /** Aborting stops the run (the whole vitest process group). */
  readonly signal?: AbortSignal;
  /** Time limit of the test run (ms). @defaultValue 600000 (10 min) */
  readonly timeoutMs?: number;
  /** Run the tests under the leak check. @defaultValue true */
  readonly leaks?: boolean;
  /** Run each module's benchmark (throughput, open load at the budgeted rate, heap growth) against its budget. @defaultValue false */
  readonly bench?: boolean;
  /** Budget overrides (`--budget key=value`), on top of each pattern manifest's budget. */
  readonly budgetOverrides?: BudgetOverrides;
}

interface LeakRecord {
  readonly testFile: string;
  readonly test: string;
  readonly fullName?: string;
  readonly kind: string;
  readonly message: string;
  readonly stack: string;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

async function readLeakRecords(file: string): Promise<LeakRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as LeakRecord);
}

/** Loads the agents the modules' patterns name, checking each pattern's proofs against its agent's checklist. */
function loadChecklists(manifests: readonly PatternManifest[]): Map<string, AgentDefinition> {
  // Every agent, so items an agent references from another read whole.
  const agents = new Map(loadAgents(join(PACKAGE_ROOT, 'agents')).map((a) => [a.name, a]));
  for (const manifest of manifests) {
    const name = manifest.checklist.agent;
    const agent = agents.get(name);
    if (!agent) throw new TemplateError(`Pattern ${manifest.id} names the agent ${name}, which agents/ does not define`);
    const problems = checkProofsAgainst(manifest.checklist, agent.checklist.map((i) => i.id));
    if (problems.length > 0) throw new TemplateError(`Pattern ${manifest.id}: ${problems.join('; ')}`);
  }
  return agents;
}

/**
 * Verifies every generated module under the paths.
 * @throws {@link ProjectError} when a path is missing, no generated module is found, or a module names a pattern
 * this kit does not know; {@link InterruptedError} when aborted.
 */
export async function verify(options: VerifyOptions = {}): Promise<VerifyReport> {
  const cwd = resolve(normalizeSeparators(options.cwd ?? process.cwd()));
  const paths = (options.paths ?? []).map(normalizeSeparators);
  const leakCheck = options.leaks ?? true;
  const notes: string[] = [];
  let modules: readonly FoundModule[];
  let searched: string;
  if (paths.length > 0) {
    modules = findModules(paths, cwd);
    searched = `under ${paths.join(', ')}`;
  } else {
    const root = findProjectRoot(cwd);
    const discovery = discoverModules(root, readConfig(root)?.config ?? null);
    modules = discovery.modules;
    searched = `in the project at ${root} (recorded in concurrency-kit.json, or carrying the kit's banner)`;
    for (const m of discovery.missing) {
      notes.push(`${posixRelative(cwd, recordedPath(root, moduleFileOf(m)))} (${m.pattern}) is recorded in concurrency-kit.json but no longer exists; it was not verified.`);
    }
  }
  if (modules.length === 0) {
    throw new ProjectError(`No modules generated by concurrency-kit found ${searched}. Add one with: npx concurrency-kit add <pattern>`, 'ERR_NO_MODULES');
  }
  const show = (file: string): string => posixRelative(cwd, file);
  const known = new Map(listPatterns().map((m) => [m.id, m]));
  const unknown = modules.filter((m) => !known.has(m.pattern));
  if (unknown.length > 0) {
    throw new ProjectError(
      `${unknown.map((m) => `${show(m.file)} names pattern "${m.pattern}" (concurrency-kit ${m.version})`).join('; ')}, which this concurrency-kit does not know. Known patterns: ${[...known.keys()].join(', ')}.`,
      'ERR_UNKNOWN_MODULE_PATTERN',
    );
  }
  const manifestOf = (m: FoundModule): PatternManifest => known.get(m.pattern)!;
  const agents = loadChecklists(modules.map(manifestOf));

  const pkg = nearestPackageJson(modules[0]!.file);
  const projectRoot = pkg ? resolve(pkg.path, '..') : cwd;
  const testFiles = modules.flatMap((m) => (m.testFile ? [m.testFile] : []));
  const work = await mkdtemp(join(tmpdir(), 'concurrency-kit-leaks-'));
  try {
    const reportFile = join(work, 'leaks.jsonl');
    options.onProgress?.(
      `running ${testFiles.length} test file(s) for ${modules.length} module(s) with vitest${leakCheck ? ', under the leak check' : ''}`,
    );
    const run =
      testFiles.length > 0
        ? await runTests(testFiles, projectRoot, {
            signal: options.signal,
            timeoutMs: options.timeoutMs,
            leaks: leakCheck ? { modules: modules.flatMap((m) => [m.file, ...moduleSideCompanions(m.file, manifestOf(m))]), reportFile } : undefined,
          })
        : null;
    if (options.signal?.aborted) throw new InterruptedError();
    const byRealPath = new Map([...(run?.byFile ?? new Map())].map(([file, result]) => [real(file), result] as const));
    const leakRecords = leakCheck ? await readLeakRecords(reportFile) : [];

    // Benchmarks run one module after another, after the tests, so nothing else competes for the cores.
    const benches = new Map<FoundModule, BenchReport>();
    if (options.bench) {
      for (const m of modules) {
        // A module added with --no-bench has nothing to measure: its perf items are left to review (manual).
        if (m.benchFile === null) continue;
        const budget = resolveBudget(manifestOf(m).budget, options.budgetOverrides ?? NO_BUDGET_OVERRIDES, m.pattern);
        const report = await runBench(m, budget, {
          projectRoot,
          signal: options.signal,
          onProgress: (message) => options.onProgress?.(`benchmark ${m.pattern}: ${message}`),
        });
        if (options.signal?.aborted) throw new InterruptedError();
        benches.set(m, report);
      }
    }

    const reports = modules.map((m): ModuleReport => {
      const manifest = manifestOf(m);
      let tests: TestResult;
      let cases: readonly TestCase[] | null = null;
      let testsError: string | null = null;
      if (!m.testFile) {
        testsError = `no test file ${show(m.file.replace(/(\.m?ts)$/, '.test$1'))}: without tests nothing about the module is proved; \`concurrency-kit add ${m.pattern} <its folder> --overwrite\` writes them (add writes them only when package.json declares vitest and what the pattern's tests need, such as tsx for thread-pool)`;
        tests = { passed: 0, failed: 1, skipped: 0, failures: [{ test: '(missing)', message: testsError }] };
      } else {
        const result = byRealPath.get(real(m.testFile));
        if (result) {
          tests = result.result;
          cases = result.cases;
        } else {
          testsError = run?.runnerError ?? `vitest did not run ${show(m.testFile)}`;
          tests = { passed: 0, failed: 1, skipped: 0, failures: [{ test: '(not run)', message: testsError }] };
        }
      }
      const bench = benches.get(m) ?? null;
      const testFile = m.testFile ? real(m.testFile) : null;
      const leaks = leakRecords
        .filter((r) => testFile !== null && real(r.testFile) === testFile)
        .map((r): LeakReport => ({ kind: r.kind, message: r.message, stack: r.stack, test: r.fullName ?? r.test }));
      const evidence: ChecklistEvidence = {
        testFile: show(m.testFile ?? m.file.replace(/(\.m?ts)$/, '.test$1')),
        tests: cases ? { state: 'ran', cases } : { state: 'error', message: testsError ?? 'the tests did not run' },
        leaks: !leakCheck ? { state: 'off' } : cases ? { state: 'ran', kinds: leaks.map((l) => l.kind) } : { state: 'error', message: testsError ?? 'the tests did not run' },
        bench:
          bench !== null
            ? { state: 'ran', metrics: benchMetrics(bench) }
            : options.bench && m.benchFile === null
              ? { state: 'off', reason: `no bench file ${show(m.file.replace(/\.ts$/, '.bench.ts'))} (added with --no-bench): review by hand` }
              : { state: 'off' },
      };
      const agent = agents.get(manifest.checklist.agent)!;
      const checklist = evaluateChecklist(agent.checklist, manifest.checklist, evidence);
      const ok =
        tests.failed === 0 && tests.passed > 0 && leaks.length === 0 && (bench === null || bench.ok) && checklist.every((c) => c.status !== 'fail');
      return { pattern: m.pattern, file: show(m.file), benchFile: m.benchFile === null ? null : show(m.benchFile), tests, leaks, bench, checklist, ok };
    });
    return {
      ok: reports.every((r) => r.ok),
      modules: reports,
      runner: run ? { vitest: run.vitest.version, source: run.vitest.source } : null,
      leakCheck,
      benchmark: options.bench ?? false,
      machine: machineInfo(),
      notes,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
