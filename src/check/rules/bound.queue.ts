/**
 * Unbounded queue: a class whose array field is used as a queue (pushed in a method, taken from the front with
 * `shift()` or `splice(0, n)`; `splice(0)` empties it) and whose `length` is never compared against a bound anywhere in the class.
 * A push preceded, in the same function, by a membership test of the same value on the same field
 * (`if (this.q.includes(x)) return; this.q.push(x)`) keeps each value once: the field is a set bounded by its distinct
 * values, not by how often producers call, and such a push does not make it a queue.
 * A container, whose push is a method that only forwards its parameter (`push(task) { this.tasks.push(task) }`) and
 * which publishes the field's length (`get size() { return this.tasks.length }`), leaves the capacity to its owner,
 * who can read that length: the bound belongs in the owner's code, and the container is not reported (a container that
 * does not publish its length cannot be bounded by anyone, and still is).
 * A list of cleanup closures, each a function literal that only removes listeners or clears timers, or of the
 * disposables subscription calls return, holds one undo action per listener or timer the class set up, not items a
 * producer hands in: no producer needs backpressure from it.
 */
import { ts } from 'ts-morph';
import { calleeName, compact, isFunctionNode, unwrap } from '../ast.js';
import type { Rule } from '../rule.js';

const COMPARISONS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
]);

/** The calls a cleanup closure may consist of: detaching a listener, clearing a timer. */
const DETACH: ReadonlySet<string> = new Set(['removeListener', 'removeEventListener', 'off', 'removeAllListeners', 'clearTimeout', 'clearInterval', 'clearImmediate']);

const MEMBERSHIP: ReadonlySet<string> = new Set(['includes', 'indexOf', 'lastIndexOf']);

interface FieldUse {
  /** The first push that grows the queue (not deduplicated, not a container's forward, not a cleanup closure). */
  firstPush: ts.CallExpression | undefined;
  takesFront: boolean;
  bounded: boolean;
}

/**
 * True when a one-argument `f.push(x)` follows, in its enclosing function, a membership test `f.includes(x)` /
 * `f.indexOf(x)` / `f.lastIndexOf(x)` on the same receiver and value. The value is a name (`x`, `job.id`) or a literal,
 * compared as source text without whitespace; an object, array or call builds a new value each time and never matches.
 * Found in the precision study (bench/check-precision.md): thelounge's MONITOR backlog is a deduplicated list of nicks.
 */
function deduplicated(push: ts.CallExpression): boolean {
  const value = onlyArgument(push);
  const callee = unwrap(push.expression);
  if (value === undefined || !ts.isPropertyAccessExpression(callee) || !isStableValue(value)) return false;
  const arg = compact(value);
  const receiver = compact(unwrap(callee.expression));
  let fn: ts.Node | undefined = push.parent;
  while (fn !== undefined && !isFunctionNode(fn)) fn = fn.parent;
  if (fn === undefined) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n.pos >= push.pos) return;
    if (ts.isCallExpression(n) && n.arguments.length === 1 && n.arguments[0] !== undefined) {
      const c = unwrap(n.expression);
      if (ts.isPropertyAccessExpression(c) && MEMBERSHIP.has(c.name.text) && compact(unwrap(c.expression)) === receiver && compact(unwrap(n.arguments[0])) === arg) found = true;
    }
    n.forEachChild(visit);
  };
  fn.forEachChild(visit);
  return found;
}

/** The one argument of a call, unwrapped; undefined when there are more or none. */
function onlyArgument(call: ts.CallExpression): ts.Expression | undefined {
  const [arg] = call.arguments;
  return call.arguments.length === 1 && arg !== undefined ? unwrap(arg) : undefined;
}

/**
 * True when the pushed value undoes something the class set up: a function literal whose every statement is a
 * {@link DETACH} call (engine.io's `cleanupFn`), or the disposable a subscription call hands back
 * (`this.listeners.push(workspace.onDidChange(…))`: a value with a `dispose()` or `[Symbol.dispose]()` method; found on
 * set J of the precision study, bench/check-precision.md: vscode-languageclient's `_listeners`).
 */
function isCleanup(push: ts.CallExpression, checker: ts.TypeChecker): boolean {
  const fn = onlyArgument(push);
  if (fn !== undefined && ts.isCallExpression(fn)) {
    const type = checker.getNonNullableType(checker.getTypeAtLocation(fn));
    const dispose = type.getProperty('dispose') ?? type.getProperties().find((p) => p.getName().startsWith('__@dispose'));
    return dispose !== undefined && checker.getTypeOfSymbol(dispose).getCallSignatures().length > 0;
  }
  if (fn === undefined || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return false;
  const detaches = (e: ts.Expression): boolean => {
    const call = unwrap(e);
    return ts.isCallExpression(call) && DETACH.has(calleeName(call));
  };
  if (!ts.isBlock(fn.body)) return detaches(fn.body);
  return fn.body.statements.length > 0 && fn.body.statements.every((s) => ts.isExpressionStatement(s) && detaches(s.expression));
}

/** True when `push` is the whole body of `method` and pushes one of its parameters (piscina's `ArrayTaskQueue.push`). */
function forwardsParameter(push: ts.CallExpression, method: ts.Node): boolean {
  if (!ts.isMethodDeclaration(method) || method.body?.statements.length !== 1) return false;
  const [only] = method.body.statements;
  const whole = only !== undefined && (ts.isExpressionStatement(only) || ts.isReturnStatement(only)) && only.expression !== undefined && unwrap(only.expression) === push;
  const arg = onlyArgument(push);
  return whole && arg !== undefined && ts.isIdentifier(arg) && method.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === arg.text);
}

/** The fields (`this.f`) whose length a getter or method of the class returns: `get size() { return this.f.length }`. */
function publishedLengths(cls: ts.ClassLikeDeclaration): Set<string> {
  const out = new Set<string>();
  for (const member of cls.members) {
    if (!(ts.isGetAccessorDeclaration(member) || ts.isMethodDeclaration(member)) || member.body?.statements.length !== 1) continue;
    const [only] = member.body.statements;
    const value = only !== undefined && ts.isReturnStatement(only) && only.expression !== undefined ? unwrap(only.expression) : undefined;
    if (value !== undefined && ts.isPropertyAccessExpression(value) && value.name.text === 'length') out.add(compact(unwrap(value.expression)));
  }
  return out;
}

function isStableValue(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) || ts.isStringLiteral(e) || ts.isNumericLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  return ts.isPropertyAccessExpression(e) && isStableValue(unwrap(e.expression));
}

/** The rule. */
export const boundQueue: Rule = {
  id: 'bound.queue',
  scope: 'non-test',
  kinds: [ts.SyntaxKind.ClassDeclaration, ts.SyntaxKind.ClassExpression],
  rationale:
    'A queue with no capacity absorbs any burst: under load it grows until the process runs out of memory, and every queued caller waits longer, instead of the producer getting backpressure it can act on.',
  notReported:
    'A list deduplicated by a membership test before each push (a set, bounded by its distinct values); a container whose push only forwards its parameter and which publishes its length, so its owner can bound it; a list of cleanup closures that only remove listeners or clear timers, or of the disposables subscription calls return (`this.listeners.push(emitter.onDidChange(…))`).',
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
    const published = publishedLengths(cls);
    const grows = (push: ts.CallExpression, field: string, method: ts.Node): boolean =>
      !ts.isConstructorDeclaration(method) && !deduplicated(push) && !isCleanup(push, ctx.checker) && !(published.has(field) && forwardsParameter(push, method));
    const visit = (n: ts.Node, method: ts.Node | undefined): void => {
      if (ts.isCallExpression(n)) {
        const callee = unwrap(n.expression);
        if (ts.isPropertyAccessExpression(callee)) {
          const field = compact(unwrap(callee.expression));
          const use = fields.get(field);
          const name = callee.name.text;
          if (use !== undefined) {
            if ((name === 'push' || name === 'unshift') && method !== undefined && grows(n, field, method)) use.firstPush ??= n;
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
