/**
 * The `check` engine: one TypeScript program per governing tsconfig, one walk of each file in which every rule
 * dispatches on node kind, then suppressions, severities and the baseline.
 */
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ts } from 'ts-morph';
import { loadAgent } from '../checklist/agent.js';
import { readConfig } from '../config/config.js';
import { ProjectError, UsageError } from '../errors.js';
import { normalizeSeparators, posixRelative } from '../paths.js';
import { PACKAGE_ROOT } from '../patterns/registry.js';
import { findProjectRoot } from '../project/root.js';
import { compareFindings, type Finding, type RuleInfo, type Severity, type ToolInfo } from '../report/finding.js';
import { KIT_VERSION } from '../version.js';
import { compact, enclosingFunction, functionName } from './ast.js';
import { fingerprint, readBaseline, serializeBaseline } from './baseline.js';
import { changedFiles, checkInputs, hasKitBanner, isExcludedPath, isUnder, recordedFiles, resolvePaths } from './files.js';
import { createCheckProgram, createSourceFileCache } from './program.js';
import { DEFAULT_TEST_FILES, testFileMatcher } from './test-files.js';
import type { Rule, RuleContext } from './rule.js';
import { DEFAULT_SEVERITY, MEASURED_PRECISION, precisionLevel, precisionText, RULES } from './rules/index.js';
import { parseSuppressions, SUPPRESSION_REASON_RULE, SUPPRESSION_UNUSED_RULE } from './suppressions.js';

/** The name `check` reports under. */
export const CHECK_TOOL_NAME = 'concurrency-kit check';

/** Where each rule is documented (the README's `#check-rules` section; anchors `#check-<id with - for .>`). */
export const RULES_HELP_URI = 'https://www.npmjs.com/package/concurrency-kit';

/** The agent definition whose checklist items the rules implement. */
export const CHECK_AGENT_FILE = join(PACKAGE_ROOT, 'agents', 'concurrency-specialist.md');

/** A severity as set by `--rule <id>=…`. */
export type RuleSetting = Severity | 'off';

/** Options of {@link check}. */
export interface CheckOptions {
  /** Working directory. @defaultValue `process.cwd()` */
  readonly cwd?: string;
  /** Files or folders (relative to `cwd`) to narrow to. @defaultValue every file of the tsconfig */
  readonly paths?: readonly string[];
  /** A tsconfig file or folder, relative to `cwd`. @defaultValue the nearest tsconfig.json at or above `cwd` */
  readonly project?: string;
  /** Only files changed since this git ref (`git diff --name-only <ref>...`). */
  readonly changedSince?: string;
  /** Severity overrides by rule id (`off` turns a rule off). */
  readonly rules?: Readonly<Record<string, RuleSetting>>;
  /** A baseline file (relative to `cwd`): findings it records are not reported. */
  readonly baseline?: string;
  /** Write today's findings to {@link CheckOptions.baseline} instead of filtering by it. */
  readonly updateBaseline?: boolean;
  /**
   * Run the rules scoped to non-test code (`scope: 'non-test'`) on test files too. Test files are those matching
   * `check.testFiles` of concurrency-kit.json, else {@link DEFAULT_TEST_FILES}. Without it, a suppression of such a
   * rule in a test file is not reported as unused (the rule did not run there). @defaultValue false
   */
  readonly includeTests?: boolean;
}

/** The outcome of {@link check}. */
export interface CheckResult {
  /** The project root (absolute). */
  readonly root: string;
  /** The tsconfigs the programs were built from, relative to the root. */
  readonly tsconfigs: readonly string[];
  readonly tool: ToolInfo;
  /** Reported findings (after suppressions and baseline), sorted. */
  readonly findings: readonly Finding[];
  /** Files examined, relative to the root, sorted. */
  readonly files: readonly string[];
  /** Findings silenced by suppression comments. */
  readonly suppressed: number;
  /** Findings silenced by the baseline. */
  readonly baselined: number;
  /** The baseline file written by `updateBaseline`, relative to the root, or null. */
  readonly baselineWritten: string | null;
  /** A file's text by its root-relative path (for code frames). */
  source(file: string): string | undefined;
}

const META_RULES: readonly RuleInfo[] = [
  {
    id: SUPPRESSION_REASON_RULE,
    title: 'A suppression comment states why the finding does not apply.',
    rationale: 'A silenced finding without a reason cannot be reviewed later; the reason is what the next reader checks.',
    fix: 'Write the reason after ` -- `: `// concurrency-kit-ignore-next-line <rule-id> -- <reason>`.',
    helpUri: `${RULES_HELP_URI}#check-suppressions`,
    defaultSeverity: 'error',
  },
  {
    id: SUPPRESSION_UNUSED_RULE,
    title: 'A suppression comment silences a finding on the next line.',
    rationale: 'A suppression that matches nothing is stale (the code changed) or names the wrong rule, and would hide a future finding.',
    fix: 'Delete the comment, or correct the rule id it names.',
    helpUri: `${RULES_HELP_URI}#check-suppressions`,
    defaultSeverity: 'warning',
  },
];

/** The anchor of a rule in the README. */
export function ruleAnchor(id: string): string {
  return `check-${id.replace(/\./g, '-')}`;
}

/** The rules with their checklist titles, and the suppression rules. @throws when a rule has no checklist item. */
export function ruleInfos(rules: readonly Rule[] = RULES, agentFile: string = CHECK_AGENT_FILE): RuleInfo[] {
  const items = new Map(loadAgent(agentFile).checklist.map((i) => [i.id, i]));
  return [
    ...rules.map((r) => {
      const item = items.get(r.id);
      if (item === undefined) throw new Error(`internal: rule ${r.id} has no checklist item in ${agentFile}`);
      const measured = MEASURED_PRECISION[r.id];
      const info = { id: r.id, title: item.text, rationale: r.rationale, fix: r.fix, ...(r.notReported === undefined ? {} : { notReported: r.notReported }), helpUri: `${RULES_HELP_URI}#${ruleAnchor(r.id)}`, defaultSeverity: DEFAULT_SEVERITY[r.id] ?? 'error', scope: r.scope };
      if (measured === undefined) return info;
      const level = precisionLevel(measured);
      return { ...info, precision: precisionText(measured), ...(level === undefined ? {} : { precisionLevel: level }) };
    }),
    ...META_RULES,
  ];
}

/** Every rule id `--rule` accepts. */
export function knownRuleIds(): string[] {
  return [...RULES.map((r) => r.id), ...META_RULES.map((r) => r.id)];
}

interface RawFinding {
  readonly ruleId: string;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly functionName: string;
  readonly text: string;
}

/** Runs every enabled rule over one source file in a single walk. */
export function runRules(sourceFile: ts.SourceFile, program: ts.Program, rules: readonly Rule[], isTestFile: (file: ts.SourceFile) => boolean = () => false): RawFinding[] {
  const dispatch = new Map<ts.SyntaxKind, Rule[]>();
  for (const rule of rules) for (const kind of rule.kinds) dispatch.set(kind, [...(dispatch.get(kind) ?? []), rule]);
  const out: RawFinding[] = [];
  let current: Rule | undefined;
  const context: RuleContext = {
    checker: program.getTypeChecker(),
    program,
    isTestFile,
    sourceFile,
    report(node, message) {
      if (current === undefined) return;
      out.push({ ruleId: current.id, start: node.getStart(sourceFile), end: node.getEnd(), message, functionName: functionName(enclosingFunction(node)), text: compact(node) });
    },
  };
  const visit = (node: ts.Node): void => {
    const interested = dispatch.get(node.kind);
    if (interested !== undefined) {
      for (const rule of interested) {
        current = rule;
        rule.visit(node, context);
      }
      current = undefined;
    }
    node.forEachChild(visit);
  };
  visit(sourceFile);
  return out;
}

function settingsFor(overrides: Readonly<Record<string, RuleSetting>>): Map<string, RuleSetting> {
  const known = knownRuleIds();
  const out = new Map<string, RuleSetting>();
  for (const info of ruleInfos()) out.set(info.id, info.defaultSeverity);
  for (const [id, setting] of Object.entries(overrides)) {
    if (!known.includes(id)) throw new UsageError(`Unknown rule "${id}". Known rules: ${known.join(', ')}.`, 'ERR_UNKNOWN_RULE');
    out.set(id, setting);
  }
  return out;
}

/**
 * Checks a project's own TypeScript against the specialist checklist.
 * @throws {@link UsageError} for a bad path, ref, rule or baseline; {@link ProjectError} when the project cannot be read.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const cwd = resolve(normalizeSeparators(options.cwd ?? process.cwd()));
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new ProjectError(`Working directory ${cwd} does not exist.`, 'ERR_NO_CWD');
  const root = findProjectRoot(cwd);
  const settings = settingsFor(options.rules ?? {});
  if (options.updateBaseline === true && options.baseline === undefined) throw new UsageError('--update-baseline needs --baseline <file>: the file to write.', 'ERR_BASELINE');
  const baselinePath = options.baseline === undefined ? null : resolve(cwd, options.baseline);
  if (baselinePath !== null && options.updateBaseline === true && !existsSync(dirname(baselinePath))) {
    throw new UsageError(`--baseline ${options.baseline ?? ''}: folder ${dirname(baselinePath)} does not exist.`, 'ERR_BASELINE');
  }
  const baseline = baselinePath !== null && options.updateBaseline !== true ? readBaseline(baselinePath, options.baseline ?? '') : null;
  const narrow = options.paths !== undefined && options.paths.length > 0 ? resolvePaths(options.paths, cwd) : null;
  const inputs = checkInputs(cwd, root, options.project);
  const changed = options.changedSince !== undefined ? await changedFiles(options.changedSince, root) : null;
  const generated = recordedFiles(root);
  const rules = RULES.filter((r) => settings.get(r.id) !== 'off');
  const testRules = options.includeTests === true ? rules : rules.filter((r) => r.scope === 'all');
  const isTestFile = testFileMatcher(readConfig(root)?.config.check?.testFiles ?? DEFAULT_TEST_FILES);
  // Test files the non-test rules skipped: a suppression of such a rule there is not reported as unused.
  const narrowed = new Set<string>();

  const raw = new Map<string, RawFinding[]>();
  const sources = new Map<string, string>();
  const suppressionsOn = new Map<string, ReturnType<typeof parseSuppressions>>();
  const parsed = createSourceFileCache();
  const wanted = (abs: string): boolean =>
    !isExcludedPath(abs) && !generated.has(abs) && (narrow === null || isUnder(abs, narrow)) && (changed === null || changed.has(abs)) && !sources.has(posixRelative(root, abs));
  for (const input of inputs) {
    // A program none of whose files is wanted (narrowed away, or read by an earlier one) is not built at all.
    if (!input.rootNames.some((name) => wanted(resolve(name)))) continue;
    const program = createCheckProgram(input, parsed);
    for (const name of input.rootNames) {
      const abs = resolve(name);
      if (!wanted(abs)) continue;
      const rel = posixRelative(root, abs);
      const sourceFile = program.getSourceFile(name);
      if (sourceFile === undefined || hasKitBanner(sourceFile.text)) continue;
      sources.set(rel, sourceFile.text);
      if (isTestFile(rel) && testRules !== rules) narrowed.add(rel);
      raw.set(rel, runRules(sourceFile, program, narrowed.has(rel) ? testRules : rules, (file) => isTestFile(posixRelative(root, resolve(file.fileName)))));
      suppressionsOn.set(rel, parseSuppressions(sourceFile.text));
    }
  }

  const findings: Finding[] = [];
  let suppressed = 0;
  for (const [file, list] of raw) {
    const text = sources.get(file) ?? '';
    const starts = lineStarts(text);
    const position = (pos: number): { line: number; column: number } => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= pos) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: pos - (starts[lo] ?? 0) + 1 };
    };
    const suppressions = suppressionsOn.get(file) ?? [];
    const used = suppressions.map(() => new Set<string>());
    const occurrences = new Map<string, number>();
    const kept: Finding[] = [];
    for (const f of [...list].sort((a, b) => a.start - b.start || (a.ruleId < b.ruleId ? -1 : 1))) {
      const start = position(f.start);
      const end = position(f.end);
      const key = `${f.ruleId}\n${f.functionName}\n${f.text}`;
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      const index = suppressions.findIndex((s) => s.line === start.line - 1 && s.ruleIds.includes(f.ruleId));
      if (index !== -1) {
        used[index]?.add(f.ruleId);
        suppressed++;
        continue;
      }
      const rule = RULES.find((r) => r.id === f.ruleId);
      kept.push({
        ruleId: f.ruleId,
        severity: settings.get(f.ruleId) === 'warning' ? 'warning' : 'error',
        file,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        message: f.message,
        fix: rule?.fix ?? '',
        fingerprint: fingerprint({ ruleId: f.ruleId, file, functionName: f.functionName, text: f.text, occurrence }),
      });
    }
    suppressions.forEach((s, i) => {
      const meta = (ruleId: string, message: string, fix: string): void => {
        const setting = settings.get(ruleId);
        if (setting === 'off' || setting === undefined) return;
        kept.push({
          ruleId,
          severity: setting,
          file,
          line: s.line,
          column: s.column,
          endLine: s.line,
          endColumn: s.endColumn,
          message,
          fix,
          fingerprint: fingerprint({ ruleId, file, functionName: '', text: s.text, occurrence: 0 }),
        });
      };
      if (s.reason === null) meta(SUPPRESSION_REASON_RULE, 'This suppression gives no reason after ` -- `.', META_RULES[0]?.fix ?? '');
      const known = knownRuleIds();
      if (s.ruleIds.length === 0) meta(SUPPRESSION_UNUSED_RULE, 'This suppression names no rule.', META_RULES[1]?.fix ?? '');
      for (const id of s.ruleIds) {
        if (!known.includes(id)) meta(SUPPRESSION_UNUSED_RULE, `This suppression names unknown rule "${id}".`, META_RULES[1]?.fix ?? '');
        else if (settings.get(id) !== 'off' && !(narrowed.has(file) && RULES.find((r) => r.id === id)?.scope === 'non-test') && used[i]?.has(id) !== true) meta(SUPPRESSION_UNUSED_RULE, `No ${id} finding on the next line to suppress.`, META_RULES[1]?.fix ?? '');
      }
    });
    findings.push(...kept);
  }
  findings.sort(compareFindings);

  let reported = findings;
  let baselined = 0;
  let baselineWritten: string | null = null;
  if (baselinePath !== null && options.updateBaseline === true) {
    writeFileSync(baselinePath, serializeBaseline(CHECK_TOOL_NAME, findings));
    baselineWritten = posixRelative(root, baselinePath);
  } else if (baseline !== null) {
    reported = findings.filter((f) => !baseline.has(f.fingerprint));
    baselined = findings.length - reported.length;
  }

  const tool: ToolInfo = { name: CHECK_TOOL_NAME, version: KIT_VERSION, informationUri: RULES_HELP_URI, rules: ruleInfos() };
  return {
    root,
    tsconfigs: inputs.map((i) => posixRelative(root, i.configPath)),
    tool,
    findings: reported,
    files: [...sources.keys()].sort(),
    suppressed,
    baselined,
    baselineWritten,
    source: (file) => sources.get(file) ?? readIfExists(join(root, file)),
  };
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1);
  return out;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
