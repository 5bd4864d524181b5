/**
 * `Promise.allSettled` results never inspected for `rejected`: the awaited results are assigned and then never read
 * for `status` / `reason` (nor passed on), or the call is awaited and its results dropped outside shutdown code
 * (`close`, `dispose`, `stop`, `shutdown`, `drain`, where waiting for everything to settle is the point).
 */
import { ts } from 'ts-morph';
import { enclosingFunction, functionName, isDeclaredInLibrary, referencesTo, symbolOf, unwrap, walk } from '../ast.js';
import type { Rule } from '../rule.js';

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

/** The rule. */
export const errorsSettledResults: Rule = {
  id: 'errors.settled-results',
  scope: 'all',
  kinds: [ts.SyntaxKind.AwaitExpression],
  rationale:
    '`Promise.allSettled` never rejects: a failure only shows as a result with `status: "rejected"`. Results that nobody inspects turn every failure into silent success.',
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
