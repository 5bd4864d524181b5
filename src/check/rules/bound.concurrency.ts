/**
 * Unbounded fan-out: `Promise.all` / `allSettled` / `any` / `race` over `xs.map(…)` that starts a promise per
 * element, where `xs` holds data from outside the program: a parameter, a `declare`d variable, an awaited result, or
 * what is derived from them (`fromOutside`). A list of the program's own resources (a pool's children in a `this.`
 * field, a module-level registry of the servers it started, the result of its own synchronous code) is bounded by how
 * many it creates, and is not reported (bench/check-precision.md, round 2: such lists were 5 of the 12 false
 * positives and none of the true ones). Nor are literals, tuples, `.slice(…)`, chosen counts (`Array(n).fill(0)`,
 * `Array.from({ length: n })`), receivers named like a batch or chunk, a callback that only hands each element's
 * work, as a function, to a limiter (`limit(() => …)`, `queue.add(task)`, `pool.run(…)`): the limiter bounds it, or
 * one that dispatches to each element (`(listener) => listener(e)`, `(plugin) => plugin.hook?.()`): a list of hooks.
 */
import { ts } from 'ts-morph';
import { calleeName, contains, isDeclaredInLibrary, isThenable, receiverOf, referencesTo, symbolOf, unwrap } from '../ast.js';
import type { Rule } from '../rule.js';

const COMBINATORS: ReadonlySet<string> = new Set(['all', 'allSettled', 'any', 'race']);
const BOUNDED_NAME = /(chunk|batch|slice|page|window|group|pair|few)/i;

function isAsyncCallback(node: ts.Expression | undefined): boolean {
  if (node === undefined) return false;
  const fn = unwrap(node);
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0;
}

/** `Array(n)`, `new Array(n)`, `Array.from({ length: n })`, through `.fill(…)` / `.keys()`: a chosen count, not data. */
function isCountedArray(expr: ts.Expression): boolean {
  let e = unwrap(expr);
  while (ts.isCallExpression(e) && ['fill', 'keys'].includes(calleeName(e)) && ts.isPropertyAccessExpression(unwrap(e.expression))) {
    e = unwrap((unwrap(e.expression) as ts.PropertyAccessExpression).expression);
  }
  if ((ts.isCallExpression(e) || ts.isNewExpression(e)) && ts.isIdentifier(unwrap(e.expression)) && (unwrap(e.expression) as ts.Identifier).text === 'Array') {
    return e.arguments?.length === 1;
  }
  if (ts.isCallExpression(e) && calleeName(e) === 'from' && ts.isPropertyAccessExpression(unwrap(e.expression))) {
    const owner = unwrap((unwrap(e.expression) as ts.PropertyAccessExpression).expression);
    const first = e.arguments[0] === undefined ? undefined : unwrap(e.arguments[0]);
    return ts.isIdentifier(owner) && owner.text === 'Array' && first !== undefined && ts.isObjectLiteralExpression(first) && first.properties.some((p) => p.name?.getText() === 'length');
  }
  return false;
}

/**
 * True when the elements of `expr` come from outside the program, so nothing in it bounds their number: a parameter
 * (a callback's parameter of `forEach` / `map` / … is an element of that call's receiver instead), a `declare`d
 * variable, an awaited value, or anything derived from these — a property, a method's result, a library call
 * given one (`Object.keys(x)`, `Array.from(x)`, `new Set(x)`), a spread, a variable initialised, assigned or pushed
 * from one. The program's own state is bounded by what it creates: a `this.` field, a module-level registry it fills
 * with objects it made, the result of its own synchronous functions. Bounded shapes stop the search at every step.
 */
function fromOutside(checker: ts.TypeChecker, expr: ts.Expression, depth = 0): boolean {
  const e = unwrap(expr);
  const next = (x: ts.Expression | undefined): boolean => x !== undefined && fromOutside(checker, x, depth + 1);
  if (depth > 8 || isBounded(checker, e)) return false;
  if (ts.isAwaitExpression(e)) return true;
  if (ts.isIdentifier(e)) return identifierFromOutside(checker, e, next);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return next(e.expression);
  if (ts.isConditionalExpression(e)) return next(e.whenTrue) || next(e.whenFalse);
  if (ts.isBinaryExpression(e)) return next(e.left) || next(e.right);
  // A literal is as long as it is written, plus what its spreads hold.
  if (ts.isArrayLiteralExpression(e)) return e.elements.some((el) => ts.isSpreadElement(el) && next(el.expression));
  if (ts.isObjectLiteralExpression(e)) return e.properties.some((p) => ts.isSpreadAssignment(p) && next(p.expression));
  if (!ts.isCallExpression(e) && !ts.isNewExpression(e)) return false;
  const callee = unwrap(e.expression);
  if (ts.isPropertyAccessExpression(callee) && next(callee.expression)) return true;
  return isDeclaredInLibrary(symbolOf(checker, callee)) && (e.arguments ?? []).some(next);
}

const ELEMENT_CALLBACKS: ReadonlySet<string> = new Set(['forEach', 'map', 'flatMap', 'filter', 'find', 'findLast', 'some', 'every']);

/**
 * A name's data comes from outside when it is a parameter, a `declare`d variable, or a variable whose loop source,
 * initializer, assignments or pushes do: a push counts when it spreads such data or runs once per element of it.
 */
function identifierFromOutside(checker: ts.TypeChecker, name: ts.Identifier, next: (x: ts.Expression | undefined) => boolean): boolean {
  const symbol = symbolOf(checker, name);
  if (symbol?.valueDeclaration === undefined || isDeclaredInLibrary(symbol)) return false;
  let bound: ts.Node = symbol.valueDeclaration;
  while (ts.isBindingElement(bound)) bound = bound.parent.parent;
  const decl = bound;
  if (ts.isParameter(decl)) {
    const fn = decl.parent;
    const call = fn.parent;
    const first = fn.parameters[0] === decl && ts.isCallExpression(call) && call.arguments[0] === fn;
    return first && ELEMENT_CALLBACKS.has(calleeName(call)) && receiverOf(call) !== undefined ? next(receiverOf(call)) : true;
  }
  if (!ts.isVariableDeclaration(decl)) return false;
  if ((ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Ambient) !== 0) return true;
  const loop = decl.parent.parent;
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return next(loop.expression);
  if (next(decl.initializer)) return true;
  return referencesTo(checker, decl.getSourceFile(), symbol).some((ref) => {
    const parent = ref.parent;
    if (ts.isBinaryExpression(parent) && parent.left === ref && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return next(parent.right);
    const push = parent.parent;
    if (!ts.isPropertyAccessExpression(parent) || parent.expression !== ref || !['push', 'unshift'].includes(parent.name.text) || !ts.isCallExpression(push)) return false;
    return push.arguments.some((a) => ts.isSpreadElement(a) && next(a.expression)) || inLoopOverOutside(push, decl, next);
  });
}

/** True when `node` runs once per element of outside data: in a `for…of` / `for…in` or an element callback over it, inside `scope`. */
function inLoopOverOutside(node: ts.Node, scope: ts.Node, next: (x: ts.Expression | undefined) => boolean): boolean {
  for (let n = node.parent; !contains(n, scope); n = n.parent) {
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && next(n.expression)) return true;
    const call = n.parent;
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isCallExpression(call) && call.arguments[0] === n && ELEMENT_CALLBACKS.has(calleeName(call)) && next(receiverOf(call))) return true;
  }
  return false;
}

/** A tuple, a `.slice(…)` or a chosen count: bounded, whatever it was taken from. */
function isBounded(checker: ts.TypeChecker, r: ts.Expression): boolean {
  return (ts.isCallExpression(r) && calleeName(r) === 'slice') || isCountedArray(r) || checker.isTupleType(checker.getTypeAtLocation(r));
}

/** A receiver named like a batch or chunk (`chunk.map(…)`): its name says someone already bounded it. */
function isNamedBounded(receiver: ts.Expression): boolean {
  const r = unwrap(receiver);
  return BOUNDED_NAME.test(ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : '');
}

/** The rule. */
export const boundConcurrency: Rule = {
  id: 'bound.concurrency',
  scope: 'non-test',
  kinds: [ts.SyntaxKind.CallExpression],
  rationale:
    '`Promise.all(xs.map(work))` starts one operation per element at once: ten thousand users become ten thousand sockets, queries or file handles, and the service it calls sees the whole burst.',
  notReported:
    "A list of the program's own resources (a `this.` field, a module-level registry it fills once per resource it starts, such as a pool's children or the servers it started) is bounded by how many it creates: only lists from outside the program (a parameter, a `declare`d variable, an awaited result, or what is derived from them) are reported. Literals, tuples and `Object.keys/values/entries` of a constant object are fixed-size. A callback whose work all goes through a limiter (`await queue.add(() => …)`), and one that dispatches to each element (`(listener) => listener(event)`, `(hook) => hook.call(context)`, `(plugin) => plugin.hook?.()`): a list of listeners or plugins.",
  fix: 'Run the work through a bounded pool: `npx concurrency-kit add fan-out-fan-in` (or `worker-pool` for a long-lived queue) and submit each element, so at most a configured number run at a time.',
  visit(node, ctx) {
    const call = node as ts.CallExpression;
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || !COMBINATORS.has(callee.name.text)) return;
    const promise = unwrap(callee.expression);
    if (!ts.isIdentifier(promise) || promise.text !== 'Promise' || !isDeclaredInLibrary(symbolOf(ctx.checker, promise))) return;
    const arg = call.arguments[0];
    if (arg === undefined) return;
    const mapped = unwrap(arg);
    if (!ts.isCallExpression(mapped) || calleeName(mapped) !== 'map') return;
    const receiver = receiverOf(mapped);
    if (receiver === undefined || isNamedBounded(receiver) || submitsToLimiter(ctx.checker, mapped.arguments[0]) || dispatchesToElements(ctx.checker, mapped.arguments[0])) return;
    const startsPromises = isAsyncCallback(mapped.arguments[0]) || (startsWork(mapped.arguments[0]) && elementIsThenable(ctx.checker, mapped));
    // Last, as it may read the file for a variable's assignments and pushes.
    if (!startsPromises || !fromOutside(ctx.checker, receiver)) return;
    ctx.report(call, `Promise.${callee.name.text} starts one promise per element of \`${receiver.getText()}\` with no bound on how many run at once.`);
  },
};

/**
 * True when a callback starts work per element: a function reference (`xs.map(fetchUser)`), or a function whose
 * returned value is a call (`(x) => fetchUser(x)`). A callback that returns a field (`(f) => f.settled`) only
 * collects promises that are already running.
 */
function startsWork(callback: ts.Expression | undefined): boolean {
  if (callback === undefined) return false;
  const cb = unwrap(callback);
  if (ts.isIdentifier(cb) || ts.isPropertyAccessExpression(cb)) return true;
  if (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb)) return false;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(cb.body)) returned.push(cb.body);
  else {
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n)) return;
      if (ts.isReturnStatement(n) && n.expression !== undefined) returned.push(n.expression);
      n.forEachChild(visit);
    };
    cb.body.forEachChild(visit);
  }
  return returned.some((e) => {
    const r = unwrap(e);
    return ts.isCallExpression(r) || ts.isNewExpression(r);
  });
}

/** The expressions a callback's work comes down to: its concise body, or what its block awaits and the calls it returns. */
function workOf(cb: ts.ArrowFunction | ts.FunctionExpression): ts.Expression[] {
  if (!ts.isBlock(cb.body)) return [cb.body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isAwaitExpression(n)) out.push(n.expression);
    else if (ts.isReturnStatement(n) && n.expression !== undefined && asCall(n.expression) !== undefined) out.push(n.expression);
    else n.forEachChild(visit);
  };
  cb.body.forEachChild(visit);
  const only = cb.body.statements.length === 1 ? cb.body.statements[0] : undefined;
  if (out.length === 0 && only !== undefined && ts.isExpressionStatement(only)) out.push(only.expression);
  return out;
}

/**
 * True when `callback` is a function written in place whose work ({@link workOf}) is made only of calls, each of which
 * `test` accepts.
 */
function everyWorkCall(callback: ts.Expression | undefined, test: (call: ts.CallExpression, cb: ts.ArrowFunction | ts.FunctionExpression) => boolean): boolean {
  const cb = callback === undefined ? undefined : unwrap(callback);
  if (cb === undefined || (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb))) return false;
  const work = workOf(cb);
  return work.length > 0 && work.every((w) => {
    const call = asCall(w);
    return call !== undefined && test(call, cb);
  });
}

/** `x` itself, once `await` and parentheses are stripped, as a call: the call's node, else undefined. */
function asCall(expr: ts.Expression): ts.CallExpression | undefined {
  let e = unwrap(expr);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  return ts.isCallExpression(e) ? e : undefined;
}

const LIMITER_METHOD: ReadonlySet<string> = new Set(['add', 'run', 'schedule', 'submit', 'enqueue', 'runExclusive']);
const LIMITER_FUNCTION = /limit/i;

/**
 * True when all the work the callback waits for or returns is handed, as a function, to a limiter:
 * `(id) => limit(() => load(id))`, `async (task) => this.add(task)`, or a block whose only `await` is
 * `await queue.add(() => …)` followed by synchronous handling of the result. The limiter decides when the function
 * runs, so the map starts nothing unbounded. Found in the precision study (bench/check-precision.md): p-queue's
 * `addAll` maps every task through `this.add`; changesets awaits `npmRequestQueue.add(…)` per package.
 */
function submitsToLimiter(checker: ts.TypeChecker, callback: ts.Expression | undefined): boolean {
  return everyWorkCall(callback, (call) => {
    const callee = unwrap(call.expression);
    const isLimiter = ts.isIdentifier(callee) ? LIMITER_FUNCTION.test(callee.text) : ts.isPropertyAccessExpression(callee) && LIMITER_METHOD.has(callee.name.text);
    return isLimiter && call.arguments.some((arg) => {
      const a = unwrap(arg);
      return ts.isArrowFunction(a) || ts.isFunctionExpression(a) || checker.getTypeAtLocation(a).getCallSignatures().length > 0;
    });
  });
}

/**
 * True when the callback dispatches to each element rather than working on it: it calls the element itself
 * (`(listener) => listener(event)`) or an optional hook of it (`(plugin) => plugin.serverWillStop?.()`). Such a list
 * holds listeners or plugins, as many as the program and its configuration register, not data; each hook decides what
 * it starts. Found on set G of the precision study (bench/check-precision.md): apollo-server fires every plugin hook
 * this way (17 findings); vite calls its sorted plugin hooks with `hook.call(context, …)` (set J). An element's required method (`(user) => user.save()`) is still work on data.
 */
function dispatchesToElements(checker: ts.TypeChecker, callback: ts.Expression | undefined): boolean {
  return everyWorkCall(callback, (call, cb) => {
    const param = cb.parameters[0];
    const element = param !== undefined && ts.isIdentifier(param.name) ? checker.getSymbolAtLocation(param.name) : undefined;
    const isElement = (e: ts.Expression): boolean => element !== undefined && ts.isIdentifier(unwrap(e)) && symbolOf(checker, unwrap(e)) === element;
    const callee = unwrap(call.expression);
    if (isElement(callee)) return true;
    // `hook.call(context, …)` / `hook.apply(context, args)` calls the element too (vite's sorted plugin hooks).
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'call' || callee.name.text === 'apply') && isElement(callee.expression)) return true;
    return call.questionDotToken !== undefined && (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) && isElement(callee.expression);
  });
}

function elementIsThenable(checker: ts.TypeChecker, mapped: ts.CallExpression): boolean {
  const type = checker.getTypeAtLocation(mapped);
  const element = checker.isArrayType(type) ? checker.getTypeArguments(type as ts.TypeReference)[0] : undefined;
  return element !== undefined && isThenable(checker, element);
}
