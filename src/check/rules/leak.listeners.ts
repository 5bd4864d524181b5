/**
 * Leaked listeners: `addEventListener('abort', …)` on an `AbortSignal` with neither `{ once: true }`, a `signal`
 * option, nor a matching `removeEventListener` in its class or module; and `.on(…)` / `.addListener(…)` on a
 * long-lived `EventEmitter` (a field or a module-level emitter) inside a function that runs per request or job
 * (for a listener in a `new Promise` executor, the function that makes the promise), with no `off` /
 * `removeListener` of the same handler, unless it reads a one-way stream to the end that settles the promise. Code
 * that runs once per process ({@link runsOnceAtStartup}: module level, an IIFE there, a `main()` only it calls) adds
 * each listener once and is not reported, nor is a listener on an emitter the same function has just made and stored,
 * nor the caller's own listener, passed in to be registered ({@link callersListener}).
 */
import { ts } from 'ts-morph';
import { assignmentsBefore, calleeName, compact, enclosingClass, enclosingFunction, functionName, hasTypeNamed, isConst, isAsync, isStringLiteral, literalProperty, receiverOf, referenceExpression, referencesTo, symbolOf, unwrap, type FunctionNode } from '../ast.js';
import { runsOnceAtStartup } from '../callers.js';
import type { Rule, RuleContext } from '../rule.js';

const SIGNAL: ReadonlySet<string> = new Set(['AbortSignal']);
const REQUEST: ReadonlySet<string> = new Set(['Request']);
const EMITTER: ReadonlySet<string> = new Set(['EventEmitter']);
const READABLE: ReadonlySet<string> = new Set(['Readable']);
const WRITABLE: ReadonlySet<string> = new Set(['Writable', 'Duplex']);
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
    if (alias === undefined || !ts.isVariableDeclaration(alias) || alias.initializer === undefined || !isConst(alias)) return false;
    r = unwrap(alias.initializer);
  }
  if (!ts.isPropertyAccessExpression(r) || r.name.text !== 'signal') return false;
  const symbol = symbolOf(ctx.checker, r.expression);
  const decl = symbol?.valueDeclaration;
  return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && ts.isNewExpression(unwrap(decl.initializer)) && enclosingFunction(decl) !== undefined;
}

/**
 * `request.signal` of a fetch `Request`: each request has its own signal, which goes with it, listeners and all.
 * Found in the precision study (bench/check-precision.md): tRPC's and hono's per-request handlers.
 */
function requestSignal(ctx: RuleContext, receiver: ts.Expression): boolean {
  const r = unwrap(receiver);
  return ts.isPropertyAccessExpression(r) && r.name.text === 'signal' && hasTypeNamed(ctx.checker, ctx.checker.getTypeAtLocation(r.expression), REQUEST);
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
  if (locallyCreatedController(ctx, receiver) || requestSignal(ctx, receiver)) return;
  const fn = enclosingFunction(call);
  if (fn === undefined || runsOnceAtStartup(ctx, fn)) return;
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
  const type = ctx.checker.getTypeAtLocation(receiver);
  if (!hasTypeNamed(ctx.checker, type, EMITTER)) return;
  // A promise executor runs once, synchronously, in the function that makes the promise: that function decides.
  const inner = enclosingFunction(call);
  const executor = inner !== undefined && isExecutor(inner) ? inner : undefined;
  const fn = executor === undefined ? inner : enclosingFunction(executor);
  if (fn === undefined || ts.isConstructorDeclaration(fn) || runsOnceAtStartup(ctx, fn)) return;
  // Only the function that is called per request or job, not a callback inside it, and not setup code.
  if (!(isAsync(fn) || PER_CALL.test(functionName(fn))) || /^[_#]*(init|setup|start|listen|connect|register|attach|bootstrap|open|create|main|install|constructor)/i.test(functionName(fn))) return;
  if (madeHere(ctx, receiver, call, fn) || callersListener(ctx, handler, fn)) return;
  if (executor !== undefined && readToEnd(ctx, receiver, type, event, executor)) return;
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

/**
 * True when the function itself put a new emitter in the field before adding the listener (`this.child =
 * spawn(…); this.child.on('error', …)`, `this.topology = new Topology(…)`): each call adds its listeners to a new
 * emitter, and they go with it. A value from `new`, or from a platform or package factory (a function of a declaration
 * file: `spawn`, `createConnection`), counts as new; a value from the project's own code may be a shared one. Found on
 * set I of the precision study (bench/check-precision.md): the MongoDB driver's `MongoClient._connect()` and
 * mongocryptd's `spawn()`.
 */
function madeHere(ctx: RuleContext, receiver: ts.Expression, call: ts.CallExpression, fn: ts.Node): boolean {
  return assignmentsBefore(fn, receiver, call).some((a) => {
    const value = unwrap(a.right);
    const declaration = ts.isCallExpression(value) ? ctx.checker.getResolvedSignature(value)?.getDeclaration() : undefined;
    return a.operatorToken.kind === ts.SyntaxKind.EqualsToken && (ts.isNewExpression(value) || (declaration !== undefined && declaration.getSourceFile().isDeclarationFile));
  });
}

/**
 * True when the listener is the caller's: a parameter of the function, or a local taken from its parameters (`const
 * [event, listener] = parse(args)`). Registering it is what the function is for (`subscribe(listener)`), and removing
 * it is the caller's business, through the matching `unsubscribe`. Found on set J of the precision study
 * (bench/check-precision.md): ably-js's `channel.subscribe()`, `presence.subscribe()`.
 */
function callersListener(ctx: RuleContext, handler: ts.Expression, fn: FunctionNode): boolean {
  const params = new Set(fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [symbolOf(ctx.checker, p.name)] : [])));
  // The parameter itself, a part of it (`args[1]`, `options.listener`), what a free function or a static method makes
  // of it (`parse(args)`, `Channel.processListenerArgs(args)`), or a local holding one of these; not a lookup in the
  // object's own state (`this.handlers.get(args.type)`), nor a function written here.
  const taken = (expr: ts.Expression, depth: number): boolean => {
    const e = unwrap(expr);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return taken(e.expression, depth);
    if (ts.isCallExpression(e)) {
      const callee = unwrap(e.expression);
      const free = ts.isIdentifier(callee) || (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && /^[A-Z]/.test(callee.expression.text));
      return free && e.arguments.some((a) => taken(a, depth));
    }
    if (!ts.isIdentifier(e)) return false;
    const symbol = symbolOf(ctx.checker, e);
    if (params.has(symbol)) return true;
    let decl: ts.Node | undefined = symbol?.valueDeclaration;
    while (decl !== undefined && ts.isBindingElement(decl)) decl = decl.parent.parent;
    return depth < 2 && decl !== undefined && ts.isVariableDeclaration(decl) && isConst(decl) && enclosingFunction(decl) === fn && decl.initializer !== undefined && taken(decl.initializer, depth + 1);
  };
  return taken(handler, 0);
}

/** The executor of a `new Promise(…)`. */
function isExecutor(fn: ts.Node): fn is ts.ArrowFunction | ts.FunctionExpression {
  const parent = fn.parent;
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isNewExpression(parent) && parent.arguments?.[0] === fn && ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise';
}

const CONSUMING: ReadonlySet<string> = new Set(['data', 'readable', 'end', 'close', 'error']);

/**
 * A listener that reads a one-way stream (a `Readable` that is not `Writable`: a response body, a file) in a promise
 * executor that settles when that stream ends or closes: the stream ends once, so these listeners serve one read and
 * cannot pile up with traffic (a socket, being `Duplex`, and a stream nobody waits to end still count). Found in the
 * precision study (bench/check-precision.md): actions/toolkit's `HttpClientResponse.readBody()`.
 */
function readToEnd(ctx: RuleContext, receiver: ts.Expression, type: ts.Type, event: ts.Expression, executor: ts.ArrowFunction | ts.FunctionExpression): boolean {
  if (!ts.isStringLiteral(event) || !CONSUMING.has(event.text)) return false;
  const settlers = executor.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [symbolOf(ctx.checker, p.name)] : []));
  const key = compact(receiver);
  // An `end` or `close` listener on the same stream whose handler is, or calls, the executor's resolve or reject.
  const settles = (n: ts.Node): boolean => {
    if (ts.isCallExpression(n) && ['on', 'once', 'addListener'].includes(calleeName(n))) {
      const [name, handler] = n.arguments;
      const r = receiverOf(n);
      if (r !== undefined && handler !== undefined && (isStringLiteral(name, 'end') || isStringLiteral(name, 'close')) && compact(r) === key) {
        if (settlers.some((s) => s !== undefined && (symbolOf(ctx.checker, handler) === s || referencesTo(ctx.checker, handler, s).length > 0))) return true;
      }
    }
    return ts.forEachChild(n, (c) => settles(c) || undefined) ?? false;
  };
  return settles(executor.body) && hasTypeNamed(ctx.checker, type, READABLE) && !hasTypeNamed(ctx.checker, type, WRITABLE);
}

/** The rule. */
export const leakListeners: Rule = {
  id: 'leak.listeners',
  scope: 'all',
  kinds: [ts.SyntaxKind.CallExpression],
  rationale:
    'A listener added on every call to a signal or emitter that lives longer than the call is never collected: the listener list grows with traffic, each listener keeps its closure alive, and Node warns with MaxListenersExceededWarning.',
  notReported:
    'A listener with `{ once: true }`, a `signal` option or a matching removal; a listener on an emitter the same function has just made and stored (`this.child = spawn(…)`, `this.topology = new Topology(…)`); a listener the caller passes in to be registered (`subscribe(event, listener)`), whose removal is up to the caller (`unsubscribe`); an abort listener on the signal of an `AbortController` made in the same function, or on the own `request.signal` of a fetch `Request`; `data`/`end`/`error`/`close` listeners that read a one-way stream (a `Readable` that is not writable) to the end that settles the promise; a listener added by code that runs once per process (module-level code, an IIFE there, a `main()` called only from there).',
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
