/**
 * Unbounded fan-out: `Promise.all` / `allSettled` / `any` / `race` over `xs.map(…)` that starts a promise per
 * element, where `xs` is not an array literal or a fixed-length tuple. Receivers named like a batch or chunk,
 * `.slice(…)` results, arrays of a chosen count (`Array(n).fill(0)`, `Array.from({ length: n })`), the keys, values
 * or entries of an object literal this module declares and never adds to, array literals that spread only such
 * sources (`[...Array(n).keys()]`), a `const` of this file holding one of these that nothing grows, and `.filter(…)`
 * of any of these are already
 * bounded and are not reported, nor is a callback that only hands each element's work, as a function,
 * to a limiter (`limit(() => …)`, `queue.add(task)`, `pool.run(…)`): the limiter bounds it.
 */
import { ts } from 'ts-morph';
import { calleeName, isDeclaredInLibrary, isThenable, receiverOf, referencesTo, symbolOf, unwrap } from '../ast.js';
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
 * `Object.keys|values|entries(X)` where `X` is a `const` of this file initialised with an object literal (no spread;
 * `Object.freeze({…})` too)
 * and no reference to `X` in the file adds a key: none is assigned through (`X[k] = …`, `X.k = …`), deleted from, or
 * handed to a call that could (`Object.assign(X, …)`). Its size is the number of properties written in the source.
 */
function isFixedObjectListing(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  if (!ts.isCallExpression(expr) || !['keys', 'values', 'entries'].includes(calleeName(expr)) || expr.arguments.length !== 1) return false;
  const owner = receiverOf(expr);
  if (owner === undefined || !ts.isIdentifier(unwrap(owner)) || (unwrap(owner) as ts.Identifier).text !== 'Object' || !isDeclaredInLibrary(symbolOf(checker, owner))) return false;
  const target = unwrap(expr.arguments[0] as ts.Expression);
  if (!ts.isIdentifier(target)) return false;
  const symbol = symbolOf(checker, target);
  const decl = symbol?.valueDeclaration;
  if (symbol === undefined || decl === undefined || !ts.isVariableDeclaration(decl) || decl.getSourceFile() !== expr.getSourceFile()) return false;
  if (!ts.isVariableDeclarationList(decl.parent) || (decl.parent.flags & ts.NodeFlags.Const) === 0 || decl.initializer === undefined) return false;
  let init = unwrap(decl.initializer);
  if (ts.isCallExpression(init) && readsOnly(init) && calleeName(init) === 'freeze' && init.arguments[0] !== undefined) init = unwrap(init.arguments[0]);
  if (!ts.isObjectLiteralExpression(init) || init.properties.some(ts.isSpreadAssignment)) return false;
  return referencesTo(checker, expr.getSourceFile(), symbol).every((ref) => {
    const parent = ref.parent;
    if ((ts.isElementAccessExpression(parent) || ts.isPropertyAccessExpression(parent)) && parent.expression === ref) {
      const use = parent.parent;
      if (ts.isDeleteExpression(use)) return false;
      return !(ts.isBinaryExpression(use) && use.left === parent && use.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && use.operatorToken.kind <= ts.SyntaxKind.LastAssignment);
    }
    const passed = (ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.some((a) => unwrap(a) === ref) === true;
    return !passed || (ts.isCallExpression(parent) && readsOnly(parent));
  });
}

/** `Object.keys|values|entries|hasOwn|freeze(x)`: reads `x` (or freezes it), adds no key. */
function readsOnly(call: ts.CallExpression): boolean {
  const owner = receiverOf(call);
  return owner !== undefined && ts.isIdentifier(unwrap(owner)) && (unwrap(owner) as ts.Identifier).text === 'Object' && ['keys', 'values', 'entries', 'hasOwn', 'freeze'].includes(calleeName(call));
}

const GROWS: ReadonlySet<string> = new Set(['push', 'unshift', 'splice', 'length']);

/**
 * The initializer of a `const` array of this file that nothing grows: no `push` / `unshift` / `splice` / `length`
 * write or element assignment through any reference, and never handed to a call. Else undefined.
 */
function unchangedConstArray(checker: ts.TypeChecker, name: ts.Identifier): ts.Expression | undefined {
  const symbol = symbolOf(checker, name);
  const decl = symbol?.valueDeclaration;
  if (symbol === undefined || decl === undefined || !ts.isVariableDeclaration(decl) || decl.initializer === undefined || decl.getSourceFile() !== name.getSourceFile()) return undefined;
  if (!ts.isVariableDeclarationList(decl.parent) || (decl.parent.flags & ts.NodeFlags.Const) === 0) return undefined;
  const untouched = referencesTo(checker, name.getSourceFile(), symbol).every((ref) => {
    const parent = ref.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === ref && GROWS.has(parent.name.text)) return false;
    if (ts.isElementAccessExpression(parent) && parent.expression === ref) return false;
    return !((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.some((a) => unwrap(a) === ref) === true);
  });
  return untouched ? decl.initializer : undefined;
}

function isBounded(checker: ts.TypeChecker, receiver: ts.Expression, depth = 0): boolean {
  const r = unwrap(receiver);
  if (depth > 4) return false;
  if (ts.isIdentifier(r)) {
    const init = unchangedConstArray(checker, r);
    if (init !== undefined && isBounded(checker, init, depth + 1)) return true;
  }
  // A literal is as long as it is written, plus what its spreads hold: `[...Array(n).keys()]` is a chosen count.
  if (ts.isArrayLiteralExpression(r)) return r.elements.every((e) => !ts.isSpreadElement(e) || isBounded(checker, e.expression, depth + 1));
  if (ts.isCallExpression(r) && calleeName(r) === 'filter' && receiverOf(r) !== undefined) return isBounded(checker, receiverOf(r) as ts.Expression, depth + 1);
  if (isFixedObjectListing(checker, r)) return true;
  if (checker.isTupleType(checker.getTypeAtLocation(r))) return true;
  if (ts.isCallExpression(r) && calleeName(r) === 'slice') return true;
  if (isCountedArray(r)) return true;
  const name = ts.isIdentifier(r) ? r.text : ts.isPropertyAccessExpression(r) ? r.name.text : '';
  return BOUNDED_NAME.test(name);
}

/** The rule. */
export const boundConcurrency: Rule = {
  id: 'bound.concurrency',
  scope: 'non-test',
  kinds: [ts.SyntaxKind.CallExpression],
  rationale:
    '`Promise.all(xs.map(work))` starts one operation per element at once: ten thousand users become ten thousand sockets, queries or file handles, and the service it calls sees the whole burst.',
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
    if (receiver === undefined || isBounded(ctx.checker, receiver)) return;
    if (submitsToLimiter(ctx.checker, mapped.arguments[0])) return;
    const startsPromises = isAsyncCallback(mapped.arguments[0]) || (startsWork(mapped.arguments[0]) && elementIsThenable(ctx.checker, mapped));
    if (!startsPromises) return;
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

const LIMITER_METHOD: ReadonlySet<string> = new Set(['add', 'run', 'schedule', 'submit', 'enqueue', 'runExclusive']);
const LIMITER_FUNCTION = /limit/i;

/**
 * True when the callback's only work is one call that passes a function to a limiter: `(id) => limit(() => load(id))`,
 * `async (task) => this.add(task)`. The limiter decides when the function runs, so the map starts nothing unbounded.
 * Found in the precision study (bench/check-precision.md): p-queue's `addAll` maps every task through `this.add`.
 */
function submitsToLimiter(checker: ts.TypeChecker, callback: ts.Expression | undefined): boolean {
  if (callback === undefined) return false;
  const cb = unwrap(callback);
  if (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb)) return false;
  let work: ts.Expression | undefined;
  if (!ts.isBlock(cb.body)) work = cb.body;
  else if (cb.body.statements.length === 1) {
    const only = cb.body.statements[0];
    if (only !== undefined && ts.isReturnStatement(only)) work = only.expression;
    else if (only !== undefined && ts.isExpressionStatement(only)) work = only.expression;
  }
  if (work === undefined) return false;
  let call = unwrap(work);
  if (ts.isAwaitExpression(call)) call = unwrap(call.expression);
  if (!ts.isCallExpression(call)) return false;
  const callee = unwrap(call.expression);
  const isLimiter = ts.isIdentifier(callee) ? LIMITER_FUNCTION.test(callee.text) : ts.isPropertyAccessExpression(callee) && LIMITER_METHOD.has(callee.name.text);
  if (!isLimiter) return false;
  return call.arguments.some((arg) => {
    const a = unwrap(arg);
    return ts.isArrowFunction(a) || ts.isFunctionExpression(a) || checker.getTypeAtLocation(a).getCallSignatures().length > 0;
  });
}

function elementIsThenable(checker: ts.TypeChecker, mapped: ts.CallExpression): boolean {
  const type = checker.getTypeAtLocation(mapped);
  const element = checker.isArrayType(type) ? checker.getTypeArguments(type as ts.TypeReference)[0] : undefined;
  return element !== undefined && isThenable(checker, element);
}
