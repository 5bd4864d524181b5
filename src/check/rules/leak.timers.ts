/**
 * Leaked timers: a `setInterval`, or a `setTimeout` that reschedules its own function, whose handle is discarded or
 * never passed to `clearInterval` / `clearTimeout` anywhere in its class (for a field) or module (for a variable).
 * The handle is followed by symbol, not by text; a handle that escapes (returned, passed on, stored elsewhere) is
 * not reported, nor is a self-rescheduling timer that has an exit condition.
 */
import { ts } from 'ts-morph';
import { calleeName, enclosingClass, enclosingFunction, isDeclaredInLibrary, isThenable, outermost, referenceExpression, referencesTo, symbolOf, unwrap, walk, type FunctionNode } from '../ast.js';
import type { Rule, RuleContext } from '../rule.js';

const CLEARS: ReadonlySet<string> = new Set(['clearInterval', 'clearTimeout']);

function selfRescheduling(checker: ts.TypeChecker, call: ts.CallExpression): FunctionNode | undefined {
  const fn = enclosingFunction(call);
  const arg = call.arguments[0];
  if (fn === undefined || arg === undefined) return undefined;
  const own = fn.name !== undefined && (ts.isIdentifier(fn.name) || ts.isPrivateIdentifier(fn.name)) ? checker.getSymbolAtLocation(fn.name) : ts.isVariableDeclaration(fn.parent) ? checker.getSymbolAtLocation(fn.parent.name) : undefined;
  if (own === undefined) return undefined;
  let callsSelf = false;
  const look = (n: ts.Node): void => {
    if (callsSelf) return;
    if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && symbolOf(checker, n as ts.Expression) === own) callsSelf = true;
    else n.forEachChild(look);
  };
  look(arg);
  return callsSelf ? fn : undefined;
}

function hasExit(fn: FunctionNode): boolean {
  let found = false;
  walk(fn, (n) => {
    if (found || ts.isFunctionLike(n)) return false;
    if (ts.isIfStatement(n)) {
      walk(n.thenStatement, (m) => {
        if (ts.isReturnStatement(m) || ts.isThrowStatement(m)) found = true;
      });
      if (ts.isReturnStatement(n.thenStatement) || ts.isThrowStatement(n.thenStatement)) found = true;
    }
    return true;
  });
  return found;
}

/** Whether the handle stored in `target` is cleared in `scope`: true, false, or null when it escapes (unsure). */
function clearedIn(ctx: RuleContext, target: ts.Expression, scope: ts.Node, assignment: ts.Node): boolean | null {
  const symbol = symbolOf(ctx.checker, target);
  if (symbol === undefined) return null;
  let cleared = false;
  for (const ref of referencesTo(ctx.checker, scope, symbol)) {
    // `clearInterval(id as NodeJS.Timeout)`, `clearTimeout(handle!)`: the cast is still the handle (zx, set F).
    const expr = outermost(referenceExpression(ref));
    const parent = expr.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(expr as ts.Expression)) {
      if (CLEARS.has(calleeName(parent))) cleared = true;
      else return null;
    } else if (ts.isReturnStatement(parent) || ts.isArrayLiteralExpression(parent) || ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent)) {
      return null;
    } else if (ts.isBinaryExpression(parent) && parent.right === expr && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      return null;
    } else if (ts.isVariableDeclaration(parent) && parent.initializer === expr && parent !== assignment) {
      return null;
    } else if (ts.isPropertyAccessExpression(parent) && parent.expression === expr && parent.name.text === 'close') {
      cleared = true;
    }
  }
  return cleared;
}

/** The rule. */
export const leakTimers: Rule = {
  id: 'leak.timers',
  scope: 'all',
  kinds: [ts.SyntaxKind.CallExpression],
  rationale:
    'An interval, or a timeout that schedules itself again, runs until someone clears it: when its owner is closed or dropped the callback keeps running, keeps what it closes over alive, and keeps the process from exiting.',
  fix: 'Keep the handle, `unref()` it, and clear it in `close()` (and `[Symbol.asyncDispose]`); for periodic housekeeping prefer lazy work on the next call, as `npx concurrency-kit add rate-limiter` and `sharded-cache` do.',
  visit(node, ctx) {
    const call = node as ts.CallExpression;
    const callee = unwrap(call.expression);
    if (!ts.isIdentifier(callee) || (callee.text !== 'setInterval' && callee.text !== 'setTimeout')) return;
    if (!isDeclaredInLibrary(symbolOf(ctx.checker, callee))) return;
    if (isThenable(ctx.checker, ctx.checker.getTypeAtLocation(call))) return; // timers/promises
    const interval = callee.text === 'setInterval';
    const rescheduler = interval ? undefined : selfRescheduling(ctx.checker, call);
    if (!interval && rescheduler === undefined) return;
    const what = interval ? 'setInterval' : 'self-rescheduling setTimeout';

    let expr: ts.Node = call;
    while (ts.isPropertyAccessExpression(expr.parent) && ts.isCallExpression(expr.parent.parent) && ['unref', 'ref'].includes(expr.parent.name.text)) expr = expr.parent.parent;
    expr = outermost(expr);
    const parent = expr.parent;
    if (ts.isExpressionStatement(parent)) {
      if (rescheduler !== undefined && hasExit(rescheduler)) return;
      ctx.report(call, `The handle of this ${what} is discarded, so nothing can ever clear it.`);
      return;
    }
    let target: ts.Expression | undefined;
    let declaration: ts.Node = parent;
    if (ts.isVariableDeclaration(parent) && parent.initializer === expr && ts.isIdentifier(parent.name)) target = parent.name;
    else if (ts.isBinaryExpression(parent) && parent.right === expr && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      target = parent.left;
      declaration = parent;
    }
    if (target === undefined) return;
    const isField = ts.isPropertyAccessExpression(unwrap(target)) && unwrap((unwrap(target) as ts.PropertyAccessExpression).expression).kind === ts.SyntaxKind.ThisKeyword;
    const scope = isField ? enclosingClass(call) : ctx.sourceFile;
    if (scope === undefined) return;
    const cleared = clearedIn(ctx, target, scope, declaration);
    if (cleared === false) ctx.report(call, `This ${what} is stored in \`${target.getText()}\`, which is never passed to clearInterval/clearTimeout in its ${isField ? 'class' : 'module'}.`);
  },
};
