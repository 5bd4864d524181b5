/**
 * `verify --format`: a {@link VerifyReport} as plain {@link Finding}s, so the CI writers of `check` (json, sarif,
 * github, junit) render it. Pure: no disk, no processes (the real path of a file is asked of `realpath`).
 *
 * Every module that failed yields at least one finding, each located in the module file:
 * - a failed test: rule `verify.test`, at the module file's line 1, the test's name in the message;
 * - a leak: rule `verify.leak`, at the first frame of its creation stack that is in the module file (line 1 when
 *   none is); the same leak (kind, message, place) left by several tests is one finding naming how many;
 * - a missed budget: rule `verify.budget`, at line 1, one finding per missed figure (or one when the benchmark could
 *   not run);
 * - a failed checklist item: the item's id as the rule, at line 1, with what disproved it.
 *
 * The rules the writers list (SARIF `tool.driver.rules`, JUnit test cases) are the checklist items of the verified
 * modules, in report order, then the three `verify.*` rules. What did not run for a module (a `manual` item, the leak
 * check under `--no-leaks`, the budget without `--bench`) is listed as skipped, so JUnit never shows it passed.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprint } from '../check/baseline.js';
import { posixRelative } from '../paths.js';
import { compareFindings, type Finding, type ReportInput, type RuleInfo, type SkippedRule } from '../report/finding.js';
import { KIT_VERSION } from '../version.js';
import { benchMetrics } from './bench-checks.js';
import type { ModuleReport, VerifyReport } from './verify.js';

/** The name `verify` reports under. */
export const VERIFY_TOOL_NAME = 'concurrency-kit verify';

/** Rule of a failed (or missing, or not run) test. */
export const VERIFY_TEST_RULE = 'verify.test';
/** Rule of a leak the leak check found. */
export const VERIFY_LEAK_RULE = 'verify.leak';
/** Rule of a missed benchmark budget. */
export const VERIFY_BUDGET_RULE = 'verify.budget';

/** Where verify and its checklist are documented (the README's `verify` section). */
export const VERIFY_HELP_URI = 'https://www.npmjs.com/package/concurrency-kit#verify';

/** The `verify.*` rules, after the checklist items in the tool's rules. */
export const VERIFY_RULES: readonly RuleInfo[] = [
  {
    id: VERIFY_TEST_RULE,
    title: "The generated module's tests pass.",
    rationale: 'The tests are what prove the checklist items; a failing, missing or skipped test proves nothing.',
    fix: 'Run `npx concurrency-kit verify <module>` to see the failure; restore the module or its test (`npx concurrency-kit add <pattern> <folder> --overwrite` rewrites both).',
    helpUri: VERIFY_HELP_URI,
    defaultSeverity: 'error',
  },
  {
    id: VERIFY_LEAK_RULE,
    title: 'Nothing the module creates outlives the test that created it.',
    rationale: 'A timer, listener, handle or pending promise left behind by the module leaks in production too, once per use.',
    fix: 'Release it on every path (clear the timer, remove the listener, settle the promise) and in close(); the stack says where it was created.',
    helpUri: VERIFY_HELP_URI,
    defaultSeverity: 'error',
  },
  {
    id: VERIFY_BUDGET_RULE,
    title: 'The module meets its benchmark budget (throughput floor, added p99 latency, heap growth).',
    rationale: 'The budget is what the pattern promises under load; a module that misses it slows every caller.',
    fix: 'Find what the change made slower with `npx concurrency-kit verify <module> --bench`; a slow or busy machine can be given a looser budget with --budget.',
    helpUri: VERIFY_HELP_URI,
    defaultSeverity: 'error',
  },
];

/** Where the report's paths are relative to, and how they are shown. */
export interface VerifyFindingsOptions {
  /** The folder the report's paths are relative to (verify's `cwd`). */
  readonly cwd: string;
  /** The folder the findings' paths are relative to (the project root, as for `check`). */
  readonly root: string;
  /** Resolves symlinks; the default is `fs.realpathSync`, falling back to the path. */
  readonly realpath?: (path: string) => string;
}

/** A position in a file (1-based). */
export interface FramePosition {
  readonly line: number;
  readonly column: number;
}

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The position of the first frame of `stack` (`at fn (/abs/file.ts:12:5)` lines, as the leak detector prints them)
 * whose file is `file` (absolute), or null when no frame is in it.
 */
export function moduleFrame(stack: string, file: string, realpath: (path: string) => string = safeRealpath): FramePosition | null {
  const target = realpath(file);
  for (const raw of stack.split('\n')) {
    const match = FRAME.exec(raw.trim());
    if (!match) continue;
    let path = match[1]!;
    if (path.startsWith('file://')) {
      try {
        path = fileURLToPath(path);
      } catch {
        continue;
      }
    }
    if (!isAbsolute(path)) continue;
    if (path === file || realpath(path) === target) return { line: Number(match[2]), column: Number(match[3]) };
  }
  return null;
}

/** The checklist items of the verified modules as rules, in report order, then {@link VERIFY_RULES}. */
export function verifyRules(report: VerifyReport): RuleInfo[] {
  const seen = new Map<string, RuleInfo>();
  for (const m of report.modules) {
    for (const item of m.checklist) {
      if (seen.has(item.id)) continue;
      seen.set(item.id, {
        id: item.id,
        title: item.text,
        rationale:
          'An item of the specialist checklist; verify proves it for each generated module by its tests, the leak check or the benchmark, as the pattern declares (items nothing proves are left to review).',
        fix: 'Read what disproved it in the message; `npx concurrency-kit verify <module>` shows every item with what proved it.',
        helpUri: VERIFY_HELP_URI,
        defaultSeverity: 'error',
      });
    }
  }
  return [...seen.values(), ...VERIFY_RULES];
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
}

function moduleFindings(m: ModuleReport, options: VerifyFindingsOptions): Finding[] {
  const realpath = options.realpath ?? safeRealpath;
  const absolute = resolve(options.cwd, m.file);
  const file = posixRelative(options.root, absolute);
  const out: Finding[] = [];
  const occurrences = new Map<string, number>();
  const add = (ruleId: string, key: string, message: string, fix: string, at: FramePosition = { line: 1, column: 1 }): void => {
    const seenKey = `${ruleId}\n${key}`;
    const occurrence = occurrences.get(seenKey) ?? 0;
    occurrences.set(seenKey, occurrence + 1);
    out.push({
      ruleId,
      severity: 'error',
      file,
      line: at.line,
      column: at.column,
      endLine: at.line,
      endColumn: at.column + 1,
      message,
      fix,
      fingerprint: fingerprint({ ruleId, file, functionName: m.pattern, text: key, occurrence }),
    });
  };
  const testRule = VERIFY_RULES[0]!;
  for (const failure of m.tests.failures) {
    // A test failed by the leak check is reported as its leaks.
    if (m.leaks.length > 0 && /LeakError/.test(failure.message)) continue;
    const why = firstLine(failure.message);
    add(VERIFY_TEST_RULE, failure.test, `${m.pattern}: test "${failure.test}" failed${why === '' ? '' : `: ${why}`}`, testRule.fix);
  }
  if (m.tests.failures.length === 0 && m.tests.passed === 0) {
    add(VERIFY_TEST_RULE, '(none passed)', `${m.pattern}: no test passed (${String(m.tests.skipped)} skipped), so nothing about the module is proved`, testRule.fix);
  }
  // One leak created at the same place in many tests is one bug: one finding, naming how many tests left it.
  const leaks = new Map<string, { at: FramePosition | null; kind: string; message: string; tests: string[] }>();
  for (const leak of m.leaks) {
    const at = moduleFrame(leak.stack, absolute, realpath);
    const key = `${leak.kind}\n${leak.message}\n${at === null ? '' : `${String(at.line)}:${String(at.column)}`}`;
    const group = leaks.get(key) ?? { at, kind: leak.kind, message: leak.message, tests: [] };
    if (!group.tests.includes(leak.test)) group.tests.push(leak.test);
    leaks.set(key, group);
  }
  for (const { at, kind, message, tests } of leaks.values()) {
    const where = tests.length === 1 ? `test "${tests[0] ?? ''}"` : `${String(tests.length)} tests (first "${tests[0] ?? ''}")`;
    add(VERIFY_LEAK_RULE, `${kind}\n${message}`, `${m.pattern}: ${kind} leak in ${where}: ${message}`, VERIFY_RULES[1]!.fix, at ?? undefined);
  }
  const bench = m.bench;
  if (bench !== null && !bench.ok) {
    const missed = Object.entries(benchMetrics(bench)).filter(([, check]) => !check.ok);
    if (bench.error !== null) add(VERIFY_BUDGET_RULE, 'error', `${m.pattern}: the benchmark could not run: ${firstLine(bench.error)}`, VERIFY_RULES[2]!.fix);
    else if (missed.length === 0) add(VERIFY_BUDGET_RULE, 'failures', `${m.pattern}: budget missed: ${bench.failures.join('; ')}`, VERIFY_RULES[2]!.fix);
    else for (const [metric, check] of missed) add(VERIFY_BUDGET_RULE, metric, `${m.pattern}: budget missed: ${check.detail}`, VERIFY_RULES[2]!.fix);
  }
  for (const item of m.checklist) {
    if (item.status !== 'fail') continue;
    add(item.id, item.id, `${m.pattern}: checklist item ${item.id} failed: ${item.provedBy}. (${item.text})`, 'Fix what disproved it (above), then run `npx concurrency-kit verify` again.');
  }
  if (!m.ok && out.length === 0) add(VERIFY_TEST_RULE, '(failed)', `${m.pattern}: verification failed`, testRule.fix);
  return out;
}

/**
 * The findings of a verify report, with the tool metadata the writers need.
 * @param options - where the report's paths are relative to, and where the findings' paths should be
 */
export function verifyFindings(report: VerifyReport, options: VerifyFindingsOptions): ReportInput {
  const findings = report.modules.flatMap((m) => moduleFindings(m, options)).sort(compareFindings);
  const fileOf = (m: ModuleReport): string => posixRelative(options.root, resolve(options.cwd, m.file));
  const files = [...new Set(report.modules.map(fileOf))].sort();
  const rules = verifyRules(report);
  return {
    tool: { name: VERIFY_TOOL_NAME, version: KIT_VERSION, informationUri: 'https://www.npmjs.com/package/concurrency-kit', rules },
    findings,
    files,
    suppressed: 0,
    skipped: report.modules.flatMap((m) => skippedRules(m, report, fileOf(m), rules)),
  };
}

/** What did not run for one module: its manual checklist items, items of other patterns' checklists, leaks, budget. */
function skippedRules(m: ModuleReport, report: VerifyReport, file: string, rules: readonly RuleInfo[]): SkippedRule[] {
  const items = new Map(m.checklist.map((c) => [c.id, c]));
  const out: SkippedRule[] = [];
  for (const rule of rules) {
    const item = items.get(rule.id);
    let reason: string | null = null;
    if (rule.id === VERIFY_LEAK_RULE) reason = report.leakCheck ? null : 'leak check skipped (--no-leaks)';
    else if (rule.id === VERIFY_BUDGET_RULE) reason = m.bench !== null ? null : report.benchmark ? 'no bench file (added with --no-bench)' : 'benchmark not run (verify --bench runs it)';
    else if (rule.id === VERIFY_TEST_RULE) reason = null;
    else if (item === undefined) reason = `not an item of the ${m.pattern} checklist`;
    else if (item.status === 'manual') reason = `manual: ${item.provedBy}`;
    if (reason !== null) out.push({ ruleId: rule.id, file, reason });
  }
  return out;
}
