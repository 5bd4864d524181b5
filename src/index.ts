/**
 * concurrency-kit's programmatic API: list patterns, generate one into a project, verify generated modules, check a
 * project's own code against the checklist, and write findings for CI (SARIF, GitHub, JUnit, JSON).
 */
export { generate, DEFAULT_DIR, type GenerateOptions, type GenerateResult } from './generate/generate.js';
export { verify, type VerifyOptions, type VerifyReport, type ModuleReport, type LeakReport, type MachineInfo } from './verify/verify.js';
export { loadAgent, loadAgents, parseAgent, type AgentDefinition, type ChecklistItem } from './checklist/agent.js';
export { evaluateChecklist, type ChecklistResult, type ChecklistStatus } from './checklist/evaluate.js';
export type { ChecklistProofs, ItemProof } from './checklist/proofs.js';
export type { TestResult, TestFailure } from './verify/run-tests.js';
export { runBench, DEFAULT_BENCH_PHASES, type BenchReport, type BenchLoad, type BenchOptions } from './verify/bench.js';
export {
  parseBudgetOverrides,
  resolveBudget,
  budgetFailures,
  NO_BUDGET_OVERRIDES,
  type BudgetOverrides,
  type PartialBudget,
} from './verify/budget.js';
export type { BenchScenarios, ThroughputScenario, LoadTarget } from './verify/bench-driver.js';
export type { FoundModule } from './verify/find.js';
export { verifyFindings, verifyRules, moduleFrame, VERIFY_TOOL_NAME, VERIFY_RULES, type VerifyFindingsOptions } from './verify/findings.js';
export { listPatterns, loadPattern, type Pattern, type FileRole } from './patterns/registry.js';
export { BUDGET_KEYS, DEFAULT_LOAD, type PatternManifest, type OptionSpec, type BenchBudget, type BudgetKey } from './patterns/manifest.js';
export type { TemplateContext, OptionValue, TargetFeatures } from './generate/context.js';
export type { AppliedFile, AppliedAction } from './generate/apply.js';
export { runCli } from './cli/program.js';
export { check, ruleInfos, knownRuleIds, CHECK_TOOL_NAME, type CheckOptions, type CheckResult, type RuleSetting } from './check/engine.js';
export { RULES, DEFAULT_SEVERITY } from './check/rules/index.js';
export type { Rule, RuleContext } from './check/rule.js';
export {
  formatReport,
  formatJson,
  formatSarif,
  formatGithub,
  formatJunit,
  formatPretty,
  stepSummary,
  jsonReport,
  summarize,
  failsAt,
  REPORT_FORMATS,
  type ReportFormat,
  type Finding,
  type RuleInfo,
  type ToolInfo,
  type ReportInput,
  type SkippedRule,
  type ReportSummary,
  type Severity,
  type FailOn,
  type JsonReport,
} from './report/index.js';
export { detectProfile, type ProjectProfile } from './project/profile.js';
export {
  readConfig,
  parseConfig,
  CONFIG_FILE,
  type KitConfig,
  type ModuleRecord,
  type RecordedFile,
  type TestNaming,
  type FormatterName,
} from './config/config.js';
export type { ModuleStatus, RecordedModuleState } from './config/record.js';
export * from './errors.js';
export { KIT_VERSION } from './version.js';
