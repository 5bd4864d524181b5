/**
 * `Promise.allSettled` results never inspected for `rejected`: the awaited results are assigned and then never read
 * for `status` / `reason` (nor passed on), or the call is awaited and its results dropped outside shutdown code
 * (`close`, `dispose`, `stop`, `shutdown`, `drain`, where waiting for everything to settle is the point) and outside a
 * drain barrier over promises the object already holds ({@link heldPromises}).
 */
import { ts } from 'ts-morph';
import { enclosingFunction, functionName, isConst, isDeclaredInLibrary, referencesTo, symbolOf, unwrap, walk, type FunctionNode } from '../ast.js';
import type { Rule, RuleContext } from '../rule.js';

const SHUTDOWN = /(close|dispose|stop|shutdown|drain|destroy|teardown|cleanup|terminate)/i;
const INSPECTED = new Set(['status', 'reason', 'rejected', 'fulfilled']);

function inspects(node: ts.Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if ((ts.isIdentifier(n) && INSPECTED.has(n.text)) || ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && INSPECTED.has(n.text))) found = true;
    return true;
  });
  return found;
}

/**
 * True when `expr` lists promises the object already holds: its fields (`this.pending`, `this.#connected`), a copy
 * of them (`[...this.pending]`, `Array.from(this.pending)`, `this.pending.values()`), or a `const` of this function
 * built only from such promises (pushes included). Those promises were started, and are awaited and handled, by the
 * operations that stored them; waiting for them to settle before a reconfiguration or a pool's end is a drain
 * barrier, whose results are not this code's to inspect. Found in the precision study (bench/check-precision.md):
 * keyv's MySQL adapter.
 */
function heldPromises(ctx: RuleContext, expr: ts.Expression, fn: FunctionNode): boolean {
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e)) return e.expression.kind === ts.SyntaxKind.ThisKeyword;
  if (ts.isArrayLiteralExpression(e)) return e.elements.length > 0 && e.elements.every((el) => heldPromises(ctx, ts.isSpreadElement(el) ? el.expression : el, fn));
  if (ts.isCallExpression(e)) {
    const callee = unwrap(e.expression);
    if (!ts.isPropertyAccessExpression(callee) || e.arguments.length > 1) return false;
    if (callee.name.text === 'from' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Array' && e.arguments[0] !== undefined) return heldPromises(ctx, e.arguments[0], fn);
    return callee.name.text === 'values' && e.arguments.length === 0 && heldPromises(ctx, callee.expression, fn);
  }
  if (!ts.isIdentifier(e)) return false;
  const symbol = symbolOf(ctx.checker, e);
  const decl = symbol?.valueDeclaration;
  if (symbol === undefined || decl === undefined || !ts.isVariableDeclaration(decl) || decl.initializer === undefined || enclosingFunction(decl) !== fn) return false;
  if (!isConst(decl) || !heldPromises(ctx, decl.initializer, fn)) return false;
  return referencesTo(ctx.checker, fn, symbol).every((ref) => {
    const access = ref.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== ref || access.name.text !== 'push' || !ts.isCallExpression(access.parent)) return true;
    return access.parent.arguments.every((arg) => heldPromises(ctx, arg, fn));
  });
}

/** The rule. */
export const errorsSettledResults: Rule = {
  id: 'errors.settled-results',
  scope: 'all',
  kinds: [ts.SyntaxKind.AwaitExpression],
  rationale:
    '`Promise.allSettled` never rejects: a failure only shows as a result with `status: "rejected"`. Results that nobody inspects turn every failure into silent success.',
  notReported:
    'Results handed on (returned, passed, stored) or read anywhere in the function for `status` / `reason`; dropped results in shutdown code (`close`, `dispose`, `stop`, `drain`, …); a drain barrier over promises the object already holds (`await Promise.allSettled([...this.pending, this.connected])` before ending a pool), which the operations that stored them await and handle.',
  fix: "Inspect the results (`results.filter((r) => r.status === 'rejected')`) and report or rethrow the reasons (an `AggregateError`), or use a task group that propagates the first failure: `npx concurrency-kit add task-group`.",
  visit(node, ctx) {
    const awaited = node as ts.AwaitExpression;
    const call = unwrap(awaited.expression);
    if (!ts.isCallExpression(call)) return;
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'allSettled') return;
    const promise = unwrap(callee.expression);
    if (!ts.isIdentifier(promise) || promise.text !== 'Promise' || !isDeclaredInLibrary(symbolOf(ctx.checker, promise))) return;
    let outer: ts.Node = awaited;
    while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
    const parent = outer.parent;
    const fn = enclosingFunction(awaited);
    if (ts.isExpressionStatement(parent)) {
      if (SHUTDOWN.test(functionName(fn))) return;
      const list = call.arguments[0];
      if (fn !== undefined && list !== undefined && heldPromises(ctx, list, fn)) return;
      ctx.report(awaited, 'The results of this Promise.allSettled are dropped, so every rejection is silently ignored.');
      return;
    }
    if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name) || fn === undefined) return;
    const symbol = ctx.checker.getSymbolAtLocation(parent.name);
    if (symbol === undefined) return;
    for (const ref of referencesTo(ctx.checker, fn, symbol)) {
      if (ref === parent.name) continue;
      const p = ref.parent;
      // Passed on, returned or stored: someone else may inspect them.
      const escapes =
        (ts.isCallExpression(p) && p.arguments.includes(ref as ts.Expression)) ||
        ts.isReturnStatement(p) || ts.isArrowFunction(p) || ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isSpreadElement(p) ||
        (ts.isBinaryExpression(p) && p.right === ref) || ts.isArrayLiteralExpression(p);
      if (escapes) return;
    }
    // Any reading of status / reason / 'rejected' in the function counts as inspection.
    if (fn.body !== undefined && inspects(fn.body)) return;
    ctx.report(awaited, `The results of this Promise.allSettled (\`${parent.name.text}\`) are never inspected for rejected entries.`);
  },
};
