/**
 * Unbounded queue: a class whose array field is used as a queue (pushed in a method, taken from the front with
 * `shift()` or `splice(0, n)`; `splice(0)` empties it) and whose `length` is never compared against a bound anywhere in the class.
 */
import { ts } from 'ts-morph';
import { compact, isFunctionNode, unwrap } from '../ast.js';
import type { Rule } from '../rule.js';

const COMPARISONS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
]);

interface FieldUse {
  firstPush: ts.CallExpression | undefined;
  takesFront: boolean;
  bounded: boolean;
}

/** The rule. */
export const boundQueue: Rule = {
  id: 'bound.queue',
  scope: 'non-test',
  kinds: [ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression],
  rationale:
    'A queue with no capacity absorbs any burst: under load it grows until the process runs out of memory, and every queued caller waits longer, instead of the producer getting backpressure it can act on.',
  fix: 'Give the queue a capacity and reject (`QueueFullError`) or wait when it is full; `npx concurrency-kit add worker-pool` (a bounded job queue) or `channel` (a bounded buffer with blocking send) do this.',
  visit(node, ctx) {
    const cls = node as ts.ClassLikeDeclaration;
    const fields = new Map<string, FieldUse>();
    for (const member of cls.members) {
      if (!ts.isPropertyDeclaration(member) || member.name === undefined || ts.isComputedPropertyName(member.name)) continue;
      const init = member.initializer === undefined ? undefined : unwrap(member.initializer);
      const isArray = (init !== undefined && ts.isArrayLiteralExpression(init) && init.elements.length === 0) || ctx.checker.isArrayType(ctx.checker.getTypeAtLocation(member));
      if (isArray) fields.set(`this.${member.name.getText()}`, { firstPush: undefined, takesFront: false, bounded: false });
    }
    if (fields.size === 0) return;
    const visit = (n: ts.Node, method: ts.Node | undefined): void => {
      if (ts.isCallExpression(n)) {
        const callee = unwrap(n.expression);
        if (ts.isPropertyAccessExpression(callee)) {
          const use = fields.get(compact(unwrap(callee.expression)));
          const name = callee.name.text;
          if (use !== undefined) {
            if ((name === 'push' || name === 'unshift') && method !== undefined && !ts.isConstructorDeclaration(method)) use.firstPush ??= n;
            if (name === 'shift' || (name === 'splice' && n.arguments.length >= 2 && n.arguments[0] !== undefined && unwrap(n.arguments[0]).getText() === '0')) use.takesFront = true;
          }
        }
      }
      if (ts.isBinaryExpression(n) && COMPARISONS.has(n.operatorToken.kind)) {
        for (const side of [n.left, n.right]) {
          const s = unwrap(side);
          if (ts.isPropertyAccessExpression(s) && s.name.text === 'length') {
            const use = fields.get(compact(unwrap(s.expression)));
            if (use !== undefined) use.bounded = true;
          }
        }
      }
      const inner = ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) ? n : method;
      if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return;
      n.forEachChild((c) => visit(c, inner !== undefined || !isFunctionNode(n) ? inner : n));
    };
    for (const member of cls.members) visit(member, undefined);
    for (const [field, use] of fields) {
      if (use.firstPush !== undefined && use.takesFront && !use.bounded) {
        ctx.report(use.firstPush, `\`${field}\` is a queue (pushed here, taken from the front) whose length is never compared against a capacity.`);
      }
    }
  },
};
