/**
 * Leaked workers: `new Worker(…)` (worker_threads, or the web Worker) whose handle is discarded, or kept in a
 * variable or field that is never `terminate()`d in its module or class. A worker whose `'exit'` is awaited or
 * listened to ends by itself; a handle that escapes (returned, passed on, stored elsewhere) is owned elsewhere.
 */
import { ts } from 'ts-morph';
import { enclosingClass, isDeclaredInLibrary, isStringLiteral, referenceExpression, referencesTo, symbolOf, unwrap } from '../ast.js';
import type { Rule, RuleContext } from '../rule.js';

function terminated(ctx: RuleContext, target: ts.Expression | ts.PrivateIdentifier, scope: ts.Node, declaration: ts.Node): boolean | null {
  const symbol = ts.isPrivateIdentifier(target) ? ctx.checker.getSymbolAtLocation(target) : symbolOf(ctx.checker, target as ts.Expression);
  if (symbol === undefined) return null;
  let ends = false;
  for (const ref of referencesTo(ctx.checker, scope, symbol)) {
    if ((ts.isVariableDeclaration(ref.parent) || ts.isPropertyDeclaration(ref.parent)) && ref.parent.name === ref) continue;
    const expr = referenceExpression(ref);
    const parent = expr.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === expr) {
      const name = parent.name.text;
      const call = parent.parent;
      if (name === 'terminate') ends = true;
      if ((name === 'on' || name === 'once' || name === 'addListener') && ts.isCallExpression(call) && isStringLiteral(call.arguments[0], 'exit')) ends = true;
      continue;
    }
    if (ts.isVariableDeclaration(parent) && parent === declaration) continue;
    if (ts.isBinaryExpression(parent) && parent.left === expr) continue;
    if (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && parent.expression.text === 'once' && isStringLiteral(parent.arguments[1], 'exit')) {
      ends = true;
      continue;
    }
    if (ts.isIfStatement(parent) || ts.isPrefixUnaryExpression(parent) || ts.isBinaryExpression(parent)) continue;
    return null; // passed on, returned or stored elsewhere
  }
  return ends;
}

/** The rule. */
export const leakHandles: Rule = {
  id: 'leak.handles',
  scope: 'all',
  kinds: [ts.SyntaxKind.NewExpression],
  rationale:
    'A worker thread holds an OS thread, a V8 isolate and its memory until it exits or is terminated; a worker nobody terminates outlives its owner and keeps the process alive.',
  fix: 'Keep the handle and `await worker.terminate()` in `close()` (and on every error path), or let the pool own its workers: `npx concurrency-kit add worker-pool`.',
  visit(node, ctx) {
    const expr = node as ts.NewExpression;
    const callee = unwrap(expr.expression);
    if (!ts.isIdentifier(callee) || callee.text !== 'Worker' || !isDeclaredInLibrary(symbolOf(ctx.checker, callee))) return;
    const type = ctx.checker.getTypeAtLocation(expr);
    if (type.getProperty('terminate') === undefined) return;
    let outer: ts.Node = expr;
    while (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent)) outer = outer.parent;
    const parent = outer.parent;
    if (ts.isExpressionStatement(parent)) {
      ctx.report(expr, 'This worker is discarded as soon as it starts: nothing can terminate it.');
      return;
    }
    let target: ts.Expression | ts.PrivateIdentifier | undefined;
    let declaration: ts.Node = parent;
    if (ts.isVariableDeclaration(parent) && parent.initializer === outer && ts.isIdentifier(parent.name)) target = parent.name;
    else if (ts.isBinaryExpression(parent) && parent.right === outer && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      target = parent.left;
      declaration = parent;
    } else if (ts.isPropertyDeclaration(parent) && parent.initializer === outer && parent.name !== undefined && !ts.isComputedPropertyName(parent.name)) {
      target = ts.isPrivateIdentifier(parent.name) || ts.isIdentifier(parent.name) ? parent.name : undefined;
    }
    if (target === undefined) return;
    const t = ts.isPrivateIdentifier(target) ? target : unwrap(target);
    const isField = ts.isPropertyDeclaration(parent) || (ts.isPropertyAccessExpression(t) && t.expression.kind === ts.SyntaxKind.ThisKeyword);
    const scope = isField ? enclosingClass(expr) : ctx.sourceFile;
    if (scope === undefined) return;
    const ends = terminated(ctx, target, scope, declaration);
    if (ends === false) ctx.report(expr, `This worker is kept in \`${target.getText()}\` but never terminated in its ${isField ? 'class' : 'module'}.`);
  },
};
