/**
 * Check-then-act across `await`: in an async function, an `if` whose condition reads `x.has(k)` / `x.get(k)` or
 * tests a field for absence (`!this.conn`), then, after an `await`, writes the same receiver and key
 * (`x.set(k, …)`, `x.add(k)`, `this.conn = …`). Not reported when the region runs under a lock (`runExclusive`,
 * an `acquire()`/`lock()` before it, a `using` declaration), when the key is written before the first `await`, or
 * that await waits for a promise just recorded in a field (an in-flight promise recorded: single-flight), or when the program shows that calls of the function run one at a
 * time ({@link mayOverlap}: every call awaited by callers awaited in turn, such as a lazy loader its class awaits step
 * by step).
 */
import { ts } from 'ts-morph';
import { assignmentsBefore, calleeName, compact, enclosingFunction, exits, isAssignment, isAsync, isConst, isFunctionNode, isUsing, unwrap, type FunctionNode } from '../ast.js';
import { mayOverlap } from '../callers.js';
import type { Rule, RuleContext } from '../rule.js';

interface Check {
  readonly receiver: string;
  /** The key text, or null for a field check. */
  readonly key: string | null;
}

const LOCK_CALL = /^(runExclusive|withLock|exclusive|synchronized|serialize|lock|acquire|withPermit|run)$/;

function checksIn(condition: ts.Expression): Check[] {
  const out: Check[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.arguments.length === 1) {
      const callee = unwrap(n.expression);
      const key = n.arguments[0];
      if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'has' || callee.name.text === 'get') && key !== undefined) {
        out.push({ receiver: compact(callee.expression), key: compact(key) });
      }
    }
    const field = absenceTest(n);
    if (field !== undefined) out.push({ receiver: compact(field), key: null });
    n.forEachChild(visit);
  };
  visit(condition);
  return out;
}

function isThisField(n: ts.Node): n is ts.PropertyAccessExpression {
  return ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword;
}

/** `!this.f`, `this.f === undefined`, `this.f == null`, `this.f === null` → `this.f`. */
function absenceTest(n: ts.Node): ts.Expression | undefined {
  if (ts.isPrefixUnaryExpression(n) && n.operator === ts.SyntaxKind.ExclamationToken) {
    const operand = unwrap(n.operand);
    return isThisField(operand) ? operand : undefined;
  }
  if (ts.isBinaryExpression(n) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(n.operatorToken.kind)) {
    const [field, other] = isThisField(unwrap(n.left)) ? [unwrap(n.left), unwrap(n.right)] : [unwrap(n.right), unwrap(n.left)];
    const empty = other.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(other) && other.text === 'undefined') || ts.isVoidExpression(other);
    return isThisField(field) && empty ? field : undefined;
  }
  return undefined;
}

function underLock(node: ts.Node, fn: FunctionNode): boolean {
  // The function is the callback of a lock call: mutex.runExclusive(async () => { … }).
  if (ts.isCallExpression(fn.parent) && LOCK_CALL.test(calleeName(fn.parent)) && fn.parent.arguments.includes(fn as ts.Expression)) return true;
  for (let n: ts.Node = node; n !== fn; n = n.parent) {
    const block = n.parent;
    if (!ts.isBlock(block) && !ts.isSourceFile(block)) continue;
    for (const statement of block.statements) {
      if (statement === n) break;
      if (ts.isVariableStatement(statement) && isUsing(statement.declarationList)) return true;
      let locks = false;
      const visit = (m: ts.Node): void => {
        if (locks || isFunctionNode(m)) return;
        if (ts.isCallExpression(m) && /^(acquire|lock|acquireLock|wait)$/.test(calleeName(m))) locks = true;
        m.forEachChild(visit);
      };
      visit(statement);
      if (locks) return true;
    }
  }
  return false;
}

function writeOf(n: ts.Node, check: Check): boolean {
  if (check.key === null) {
    return isAssignment(n) && compact(unwrap(n.left)) === check.receiver;
  }
  if (!ts.isCallExpression(n)) return false;
  const callee = unwrap(n.expression);
  const key = n.arguments[0];
  return ts.isPropertyAccessExpression(callee) && (callee.name.text === 'set' || callee.name.text === 'add') && compact(callee.expression) === check.receiver && key !== undefined && compact(key) === check.key;
}

/**
 * True when the first await waits for a promise the function has just recorded in a field (`await (this.loading ??=
 * load())`, or a `const` holding that assignment, or `this.loading` after assigning it): callers that overlap find
 * the field set and share that one promise, which is the single-flight fix itself. Found on set J of the precision
 * study (bench/check-precision.md): ably-js's `getDevice()`.
 */
function awaitsRecordedPromise(awaited: ts.Expression, ctx: RuleContext): boolean {
  let e = unwrap(awaited);
  if (ts.isIdentifier(e)) {
    const decl = ctx.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl === undefined || !ts.isVariableDeclaration(decl) || !isConst(decl) || decl.initializer === undefined) return false;
    e = unwrap(decl.initializer);
  }
  if (isAssignment(e)) return isThisField(unwrap(e.left));
  if (!isThisField(e)) return false;
  // `this.loading` itself: assigned earlier in the same function.
  const fn = enclosingFunction(e);
  return fn !== undefined && assignmentsBefore(fn, e, awaited).length > 0;
}

/** Walks `region` in evaluation order; reports the first write of `check` that follows an await. */
function scan(region: readonly ts.Node[], check: Check, ctx: RuleContext, checkNode: ts.Node, overlaps: () => boolean): boolean {
  let awaited = false;
  let writtenEarly = false;
  let reported = false;
  const visit = (n: ts.Node): void => {
    if (reported || writtenEarly || isFunctionNode(n)) return;
    n.forEachChild(visit);
    if (!awaited && ts.isAwaitExpression(n) && awaitsRecordedPromise(n.expression, ctx)) writtenEarly = true;
    if (ts.isAwaitExpression(n) || (ts.isForOfStatement(n) && n.awaitModifier !== undefined)) awaited = true;
    if (writtenEarly || !writeOf(n, check)) return;
    if (!awaited) writtenEarly = true;
    else if (overlaps()) {
      const line = ctx.sourceFile.getLineAndCharacterOfPosition(checkNode.getStart(ctx.sourceFile)).line + 1;
      ctx.report(n, `\`${n.getText().split('\n')[0] ?? ''}\` acts on a check made on line ${String(line)} before an await: concurrent callers all pass the check and all do the work.`);
      reported = true;
    }
  };
  for (const node of region) visit(node);
  return reported;
}

/** The rule. */
export const raceCheckThenAct: Rule = {
  id: 'race.check-then-act',
  scope: 'all',
  kinds: [ts.SyntaxKind.IfStatement],
  rationale:
    'Every await lets other tasks run. When the check (`!cache.has(k)`, `!this.conn`) and the act (`cache.set(k, …)`, `this.conn = …`) are separated by an await, concurrent callers all see the old state, all do the expensive work, and the last write wins.',
  notReported:
    'A region under a lock, after the key is written, or whose first await waits for a promise just recorded in a field (`await (this.loading ??= load())`): single-flight; a function whose every call in the program is awaited where it is made, by callers awaited in turn up to three levels or by module-level code (a lazy loader that its own class awaits step by step, or that startup code calls once). A function nothing in the program calls, or whose direct callers nothing calls, is an API whose callers may overlap: reported.',
  fix: 'Record the in-flight promise before the first await (`cache.set(k, promise)`) so later callers share it, or run the region under a lock; a single-flight cache is `npx concurrency-kit add sharded-cache` (`getOrLoad`), a lock is `npx concurrency-kit add mutex`.',
  visit(node, ctx) {
    const statement = node as ts.IfStatement;
    const fn = enclosingFunction(statement);
    if (fn === undefined || !isAsync(fn)) return;
    const checks = checksIn(statement.expression);
    if (checks.length === 0 || underLock(statement, fn)) return;
    let overlap: boolean | undefined;
    const overlaps = (): boolean => (overlap ??= mayOverlap(ctx, fn));
    for (const check of checks) {
      if (scan([statement.thenStatement], check, ctx, statement.expression, overlaps)) return;
      if (check.key !== null && exits(statement.thenStatement) && ts.isBlock(statement.parent)) {
        const rest = statement.parent.statements.slice(statement.parent.statements.indexOf(statement) + 1);
        if (scan(rest, check, ctx, statement.expression, overlaps)) return;
      }
    }
  },
};
