/**
 * `new Promise(async (resolve, reject) => …)`: a throw (or rejected await) in the executor rejects nothing. Not
 * reported when every statement of the executor is a `try` whose `catch` cannot fail in turn ({@link guardedBody}):
 * every failure is caught, and the catch can hand it to `reject`.
 */
import { ts } from 'ts-morph';
import { isAsync, isDeclaredInLibrary, mayFail, symbolOf, unwrap } from '../ast.js';
import type { Rule } from '../rule.js';

/**
 * True when the body is made only of `try` statements with a `catch` (and a `finally`) that cannot fail: nothing the
 * executor does escapes it, not even a synchronous throw of a call. Found on set F of the precision study
 * (bench/check-precision.md): hono's static-site generator wraps each executor in try/catch calling `reject`.
 */
function guardedBody(checker: ts.TypeChecker, fn: ts.ArrowFunction | ts.FunctionExpression): boolean {
  if (!ts.isBlock(fn.body) || fn.body.statements.length === 0) return false;
  return fn.body.statements.every(
    (s) => ts.isTryStatement(s) && s.catchClause !== undefined && !mayFail(checker, s.catchClause.block) && (s.finallyBlock === undefined || !mayFail(checker, s.finallyBlock)),
  );
}

/** The rule. */
export const errorsAsyncExecutor: Rule = {
  id: 'errors.async-executor',
  scope: 'all',
  kinds: [ts.SyntaxKind.NewExpression],
  rationale:
    'The Promise constructor ignores what its executor returns: when an async executor throws or awaits a rejection, the new promise never settles and the error becomes an unhandled rejection.',
  notReported: 'An async executor whose every statement is a `try` with a `catch` (and `finally`) that cannot fail in turn: every failure is caught there and can be passed to `reject`.',
  fix: 'Make the enclosing function async and await directly, or keep the executor synchronous and call `resolve`/`reject` from callbacks; for a timeout around work use `npx concurrency-kit add deadline`.',
  visit(node, ctx) {
    const expr = node as ts.NewExpression;
    const callee = unwrap(expr.expression);
    if (!ts.isIdentifier(callee) || callee.text !== 'Promise' || !isDeclaredInLibrary(symbolOf(ctx.checker, callee))) return;
    const executor = expr.arguments?.[0];
    if (executor === undefined) return;
    const fn = unwrap(executor);
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && isAsync(fn) && !guardedBody(ctx.checker, fn)) {
      ctx.report(expr, 'The executor of this Promise is async: a throw inside it rejects nothing and goes unhandled.');
    }
  },
};
