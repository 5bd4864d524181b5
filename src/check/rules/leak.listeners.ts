/**
 * Leaked listeners: `addEventListener('abort', …)` on an `AbortSignal` with neither `{ once: true }`, a `signal`
 * option, nor a matching `removeEventListener` in its class or module; and `.on(…)` / `.addListener(…)` on a
 * long-lived `EventEmitter` (a field or a module-level emitter) inside a function that runs per request or job,
 * with no `off` / `removeListener` of the same handler.
 */
import { ts } from 'ts-morph';
import { compact, enclosingClass, enclosingFunction, functionName, hasTypeNamed, isAsync, isStringLiteral, literalProperty, receiverOf, referenceExpression, referencesTo, symbolOf, unwrap } from '../ast.js';
import type { Rule, RuleContext } from '../rule.js';

const SIGNAL: ReadonlySet<string> = new Set(['AbortSignal']);
const EMITTER: ReadonlySet<string> = new Set(['EventEmitter']);
const PER_CALL = /(handle|request|job|task|process|run|execute|perform|send|fetch|call|serve|dispatch|submit|enqueue|subscribe|get|load)/i;

/** True when `handler` is passed to a removal (`removeEventListener` / `off` / `removeListener`) in `scope`. */
function removedIn(ctx: RuleContext, handler: ts.Expression, scope: ts.Node, removals: ReadonlySet<string>): boolean | null {
  const h = unwrap(handler);
  if (ts.isArrowFunction(h) || ts.isFunctionExpression(h)) return false;
  const symbol = symbolOf(ctx.checker, h);
  if (symbol === undefined) return null;
  for (const ref of referencesTo(ctx.checker, scope, symbol)) {
    const expr = referenceExpression(ref);
    const parent = expr.parent;
    if (ts.isCallExpression(parent) && parent.arguments.includes(expr as ts.Expression)) {
      const callee = unwrap(parent.expression);
      if (ts.isPropertyAccessExpression(callee) && removals.has(callee.name.text)) return true;
    }
  }
  return false;
}

/**
 * `controller.signal` where `controller` is a `new AbortController()` made inside a function: it lives as long as that
 * call. Also through a `const signal = controller.signal` alias (found on graphile-worker, bench/check-precision.md).
 */
function locallyCreatedController(ctx: RuleContext, receiver: ts.Expression): boolean {
  let r = unwrap(receiver);
  if (ts.isIdentifier(r)) {
    const alias = symbolOf(ctx.checker, r)?.valueDeclaration;
    if (alias === undefined || !ts.isVariableDeclaration(alias) || alias.initializer === undefined || !ts.isVariableDeclarationList(alias.parent) || (alias.parent.flags & ts.NodeFlags.Const) === 0) return false;
    r = unwrap(alias.initializer);
  }
  if (!ts.isPropertyAccessExpression(r) || r.name.text !== 'signal') return false;
  const symbol = symbolOf(ctx.checker, r.expression);
  const decl = symbol?.valueDeclaration;
  return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && ts.isNewExpression(unwrap(decl.initializer)) && enclosingFunction(decl) !== undefined;
}

function abortListener(call: ts.CallExpression, ctx: RuleContext): void {
  const [type, handler, options] = call.arguments;
  if (!isStringLiteral(type, 'abort') || handler === undefined) return;
  const receiver = receiverOf(call);
  if (receiver === undefined || !hasTypeNamed(ctx.checker, ctx.checker.getTypeAtLocation(receiver), SIGNAL)) return;
  if (options !== undefined) {
    const o = unwrap(options);
    if (!ts.isObjectLiteralExpression(o) || o.properties.some(ts.isSpreadAssignment)) return;
    const once = literalProperty(o, 'once');
    if (once !== undefined && !(ts.isPropertyAssignment(once) && once.initializer.kind === ts.SyntaxKind.FalseKeyword)) return;
    if (literalProperty(o, 'signal') !== undefined) return;
  }
  if (locallyCreatedController(ctx, receiver)) return;
  const removed = removedIn(ctx, handler, enclosingClass(call) ?? ctx.sourceFile, new Set(['removeEventListener']));
  if (removed !== false) return;
  ctx.report(call, `This abort listener on \`${receiver.getText()}\` is never removed: it has no { once: true }, no signal option and no removeEventListener.`);
}

function longLived(ctx: RuleContext, receiver: ts.Expression): boolean {
  const r = unwrap(receiver);
  if (ts.isPropertyAccessExpression(r) && r.expression.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (!ts.isIdentifier(r)) return false;
  const decl = symbolOf(ctx.checker, r)?.valueDeclaration;
  if (decl === undefined) return false;
  if (ts.isImportSpecifier(decl) || ts.isImportClause(decl)) return true;
  return ts.isVariableDeclaration(decl) && enclosingFunction(decl) === undefined;
}

function emitterListener(call: ts.CallExpression, ctx: RuleContext): void {
  const [event, handler] = call.arguments;
  if (event === undefined || handler === undefined || call.arguments.length !== 2) return;
  const receiver = receiverOf(call);
  if (receiver === undefined || !longLived(ctx, receiver)) return;
  if (!hasTypeNamed(ctx.checker, ctx.checker.getTypeAtLocation(receiver), EMITTER)) return;
  const fn = enclosingFunction(call);
  if (fn === undefined || ts.isConstructorDeclaration(fn)) return;
  // Only the function that is called per request or job, not a callback inside it, and not setup code.
  if (!(isAsync(fn) || PER_CALL.test(functionName(fn))) || /^(init|setup|start|listen|connect|register|attach|bootstrap|open|create|main|install|constructor)/i.test(functionName(fn))) return;
  const scope = enclosingClass(call) ?? ctx.sourceFile;
  const removed = removedIn(ctx, handler, scope, new Set(['off', 'removeListener']));
  if (removed !== false) return;
  // A removeAllListeners of the same event on the same emitter also releases it.
  let cleared = false;
  const key = compact(receiver);
  const visit = (n: ts.Node): void => {
    if (cleared) return;
    if (ts.isCallExpression(n)) {
      const callee = unwrap(n.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'removeAllListeners' && compact(callee.expression) === key) cleared = true;
    }
    n.forEachChild(visit);
  };
  visit(scope);
  if (cleared) return;
  ctx.report(call, `\`${receiver.getText()}\` outlives this call, and each call adds another listener that nothing removes.`);
}

/** The rule. */
export const leakListeners: Rule = {
  id: 'leak.listeners',
  scope: 'all',
  kinds: [ts.SyntaxKind.CallExpression],
  rationale:
    'A listener added on every call to a signal or emitter that lives longer than the call is never collected: the listener list grows with traffic, each listener keeps its closure alive, and Node warns with MaxListenersExceededWarning.',
  fix: "Add the listener with `{ once: true }` and remove it when the operation settles (`removeEventListener` in `finally`, or `events.addAbortListener(signal, fn)` and its disposable); for emitters use `once`, or `off` in `finally`. The kit's modules share one listener per signal: `npx concurrency-kit add worker-pool`.",
  visit(node, ctx) {
    const call = node as ts.CallExpression;
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return;
    const name = callee.name.text;
    if (name === 'addEventListener') abortListener(call, ctx);
    else if (name === 'on' || name === 'addListener') emitterListener(call, ctx);
  },
};
