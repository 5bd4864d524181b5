/** What a rule is: the node kinds it looks at, and a visitor that reports through its context. */
import type { ts } from 'ts-morph';

/** What a rule sees while the engine walks one file. */
export interface RuleContext {
  readonly checker: ts.TypeChecker;
  /** The whole program the file belongs to, for the rules that ask who calls a function (`check/callers.ts`). */
  readonly program: ts.Program;
  /** True for a test file of the project (`check.testFiles`, see `check/test-files.ts`). */
  isTestFile(file: ts.SourceFile): boolean;
  readonly sourceFile: ts.SourceFile;
  /** Reports `node` (its span is the finding's location) with a message specific to this occurrence. */
  report(node: ts.Node, message: string): void;
}

/**
 * Where a rule runs. `'all'`: every file, tests included (correctness: a leak, an unhandled rejection or a race is a
 * bug in a test too). `'non-test'`: not in test files (scale and load: a test's inputs are fixture-sized and nobody
 * aborts its simulated latency); `--include-tests` runs these there as well. Test files: see `check/test-files.ts`.
 */
export type RuleScope = 'all' | 'non-test';

/** One static rule. Its id is a checklist item id of `agents/concurrency-specialist.md`. */
export interface Rule {
  readonly id: string;
  /** Which files the rule runs on (see {@link RuleScope}). */
  readonly scope: RuleScope;
  /** The node kinds {@link Rule.visit} is called for (the engine walks each file once for all rules). */
  readonly kinds: readonly ts.SyntaxKind[];
  /** Why the rule exists (shown in SARIF and the docs). */
  readonly rationale: string;
  /**
   * What the rule deliberately leaves alone, one or two sentences (shown in the docs): the shapes its precision study
   * found harmless, so a reader knows why a similar line is not reported.
   */
  readonly notReported?: string;
  /** How to fix a finding; names the `npx concurrency-kit add …` that replaces the code where there is one. */
  readonly fix: string;
  /** Looks at one node of a kind in {@link Rule.kinds}; reports only when sure. */
  visit(node: ts.Node, context: RuleContext): void;
}
