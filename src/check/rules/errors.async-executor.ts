/** `new Promise(async (resolve, reject) => …)`: a throw (or rejected await) in the executor rejects nothing. */
import { ts } from 'ts-morph';
import { isAsync, isDeclaredInLibrary, symbolOf, unwrap } from '../ast.js';
import type { Rule } from '../rule.js';

/** The rule. */
export const errorsAsyncExecutor: Rule = {
  id: 'errors.async-executor',
  scope: 'all',
  kinds: [ts.SyntaxKind.NewExpression],
  rationale:
    'The Promise constructor ignores what its executor returns: when an async executor throws or awaits a rejection, the new promise never settles and the error becomes an unhandled rejection.',
  fix: 'Make the enclosing function async and await directly, or keep the executor synchronous and call `resolve`/`reject` from callbacks; for a timeout around work use `npx concurrency-kit add deadline`.',
  visit(node, ctx) {
    const expr = node as ts.NewExpression;
    const callee = unwrap(expr.expression);
    if (!ts.isIdentifier(callee) || callee.text !== 'Promise' || !isDeclaredInLibrary(symbolOf(ctx.checker, callee))) return;
    const executor = expr.arguments?.[0];
    if (executor === undefined) return;
    const fn = unwrap(executor);
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && isAsync(fn)) {
      ctx.report(expr, 'The executor of this Promise is async: a throw inside it rejects nothing and goes unhandled.');
    }
  },
};
