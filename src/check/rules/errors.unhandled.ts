/**
 * Floating promise: an expression statement whose value is a Promise (or another thenable) that is not awaited,
 * returned, `void`ed, or given a rejection handler (`.catch(…)`, `.then(…, onRejected)`, either followed by
 * `.finally(…)`), nor a call of a project function that catches its own failures or returns a promise it already
 * handles. Calls that register
 * tests with vitest, jest or node:test (`describe`, `it`, `test`, hooks, `t.test`) are exempt, and so are calls the
 * type checker resolves to a platform method whose promise never rejects ({@link NEVER_REJECTS}).
 */
import { ts } from 'ts-morph';
import { enclosingFunction, isAsync, isFunctionNode, isThenable, mayReturnThenable, referencesTo, symbolOf, unwrap, walk } from '../ast.js';
import type { Rule } from '../rule.js';

const TEST_REGISTRATION: ReadonlySet<string> = new Set([
  'describe', 'it', 'test', 'suite', 'bench', 'context', 'before', 'after', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll',
]);

/** The first identifier of a callee chain: `it` for `it.only.each(…)(…)`, `t` for `t.test`. */
function registration(expr: ts.Expression): boolean {
  let e = unwrap(expr);
  for (;;) {
    if (ts.isCallExpression(e)) e = unwrap(e.expression);
    else if (ts.isPropertyAccessExpression(e)) {
      if (TEST_REGISTRATION.has(e.name.text) && ts.isIdentifier(e.expression) && /^(t|test|ctx|context|suite)$/.test(e.expression.text)) return true;
      e = unwrap(e.expression);
    } else if (ts.isTaggedTemplateExpression(e)) e = unwrap(e.tag);
    else break;
  }
  return ts.isIdentifier(e) && TEST_REGISTRATION.has(e.text);
}

/** An async function whose every await and throw sits in a `try` with a `catch`: its promise cannot reject. */
function catchesOwnFailures(fn: ts.Node | undefined): boolean {
  if (fn === undefined || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) && !ts.isFunctionDeclaration(fn)) || !isAsync(fn) || fn.body === undefined || !ts.isBlock(fn.body)) return false;
  const risky = (node: ts.Node): boolean => {
    let found = false;
    walk(node, (n) => {
      if (found || isFunctionNode(n)) return false;
      if (ts.isAwaitExpression(n) || ts.isThrowStatement(n) || (ts.isForOfStatement(n) && n.awaitModifier !== undefined)) found = true;
      return true;
    });
    return found || ts.isThrowStatement(node);
  };
  return fn.body.statements.every((s) => (ts.isTryStatement(s) && s.catchClause !== undefined) || !risky(s));
}

/**
 * A call of an async function that catches its own failures ({@link catchesOwnFailures}): an IIFE, or a function of
 * the project's own code called by name (`const start = async () => { try { … } catch … }; start();`). Methods are
 * not followed: a subclass may override them. Found in the precision study (bench/check-precision.md): bullmq's
 * sandbox `initChild()`.
 */
function selfHandling(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) return catchesOwnFailures(callee);
  if (!ts.isIdentifier(callee)) return false;
  const fn = projectFunction(checker, callee);
  return fn !== undefined && (catchesOwnFailures(fn) || returnsHandledPromise(checker, fn));
}

/** The function a name refers to when the project declares it: a function declaration or a `const` function. */
function projectFunction(checker: ts.TypeChecker, name: ts.Identifier): ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | undefined {
  const decl = symbolOf(checker, name)?.valueDeclaration;
  if (decl === undefined || decl.getSourceFile().isDeclarationFile) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && isConst(decl) && decl.initializer !== undefined) {
    const init = unwrap(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

function isConst(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/**
 * A non-async function every `return` of which hands back a `const` promise (`p`, or `Promise.resolve(p)`, which is
 * `p` itself) that a statement in the scope declaring `p` gives a rejection handler (`p.then(ok, onError)`,
 * `p.catch(…)`). The promise is already handled, so whoever floats the call cannot cause an unhandled rejection.
 * Found in the precision study (bench/check-precision.md): graphile-worker's `release()`.
 */
function returnsHandledPromise(checker: ts.TypeChecker, fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression): boolean {
  if (isAsync(fn) || fn.body === undefined) return false;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(fn.body)) returned.push(fn.body);
  else {
    let bare = false;
    walk(fn.body, (n) => {
      if (isFunctionNode(n)) return false;
      if (ts.isReturnStatement(n)) {
        if (n.expression === undefined) bare = true;
        else returned.push(n.expression);
      }
      return true;
    });
    if (bare) return false;
  }
  return returned.length > 0 && returned.every((e) => handledConst(checker, e));
}

function handledConst(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  let e = unwrap(expr);
  if (ts.isCallExpression(e) && e.arguments.length === 1 && e.arguments[0] !== undefined) {
    const callee = unwrap(e.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'resolve' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Promise') e = unwrap(e.arguments[0]);
  }
  if (!ts.isIdentifier(e)) return false;
  const symbol = symbolOf(checker, e);
  const decl = symbol?.valueDeclaration;
  if (symbol === undefined || decl === undefined || !ts.isVariableDeclaration(decl) || !isConst(decl)) return false;
  const scope = enclosingFunction(decl) ?? decl.getSourceFile();
  return referencesTo(checker, scope, symbol).some((ref) => {
    const access = ref.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== ref || !ts.isCallExpression(access.parent)) return false;
    // The handler call must be a statement of its own (or the head of one), not a value someone else awaits.
    let top: ts.Node = access.parent;
    while (ts.isPropertyAccessExpression(top.parent) || (ts.isCallExpression(top.parent) && top.parent.expression === top)) top = top.parent;
    return ts.isExpressionStatement(top.parent) && handled(access.parent);
  });
}

/** `Object.defineProperties(promise, …)` and the like return the object they were given, not a new promise. */
function returnsItsArgument(call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && (callee.expression.text === 'Object' || callee.expression.text === 'Reflect');
}

/**
 * A call that handles rejection: `.catch(…)`, `.then(…, onRejected)`, or either followed by `.finally(…)` calls
 * (`p.catch(report).finally(cleanup)`: the chain rejects only if a handler itself throws). Found in the precision
 * study (bench/check-precision.md): bullmq's `this.connect().catch(…).finally(…)`.
 */
function handled(call: ts.CallExpression): boolean {
  for (let c = call; ; ) {
    const callee = unwrap(c.expression);
    if (!ts.isPropertyAccessExpression(callee)) return false;
    const name = callee.name.text;
    if (name === 'catch' || (name === 'then' && c.arguments.length >= 2)) return true;
    const inner = unwrap(callee.expression);
    if (name !== 'finally' || !ts.isCallExpression(inner)) return false;
    c = inner;
  }
}

/**
 * Platform methods whose returned promise never rejects, by the module that declares them (`node:` prefix dropped),
 * the class or interface, and the member. Matched on the declaration the checker resolves the call to, never by name:
 * a project's own `Worker` class with a `terminate()` is still checked. Found in the precision study
 * (bench/check-precision.md): tsup floats `worker.terminate()`.
 * - `worker_threads` `Worker.terminate()`: resolves with the exit code once the thread stops; Node's implementation has
 *   no rejection path.
 */
export const NEVER_REJECTS: readonly { readonly module: string; readonly owner: string; readonly member: string }[] = [
  { module: 'worker_threads', owner: 'Worker', member: 'terminate' },
];

function neverRejects(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const decl = checker.getResolvedSignature(call)?.declaration;
  if (decl === undefined || !decl.getSourceFile().isDeclarationFile) return false;
  if ((!ts.isMethodDeclaration(decl) && !ts.isMethodSignature(decl)) || !ts.isIdentifier(decl.name)) return false;
  const owner = decl.parent;
  if ((!ts.isClassDeclaration(owner) && !ts.isInterfaceDeclaration(owner)) || owner.name === undefined) return false;
  let module: string | undefined;
  for (let n: ts.Node | undefined = owner.parent; n !== undefined && module === undefined; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) module = n.name.text.replace(/^node:/, '');
  }
  const member = decl.name.text;
  const ownerName = owner.name.text;
  return NEVER_REJECTS.some((m) => m.module === module && m.owner === ownerName && m.member === member);
}

/** The rule. */
export const errorsUnhandled: Rule = {
  id: 'errors.unhandled',
  scope: 'all',
  kinds: [ts.SyntaxKind.ExpressionStatement],
  rationale:
    'A promise nobody awaits or handles rejects into the void: Node reports an unhandledRejection (and by default exits), the caller never learns of the failure, and the task runs on with no owner to wait for it.',
  fix: 'Await it, return it, or attach a rejection handler (`.catch(report)`); when running it in the background is intended, say so with `void` and handle its errors inside, or hand it to a task group that owns it: `npx concurrency-kit add task-group`.',
  visit(node, ctx) {
    const expr = unwrap((node as ts.ExpressionStatement).expression);
    if (!ts.isCallExpression(expr) && !ts.isNewExpression(expr)) return;
    if (ts.isCallExpression(expr)) {
      if (handled(expr) || registration(expr) || returnsItsArgument(expr)) return;
      // Cheapest first: most statement calls cannot return a promise at all, decided from declarations alone.
      if (!mayReturnThenable(ctx.checker, expr)) return;
      if (selfHandling(ctx.checker, expr) || neverRejects(ctx.checker, expr)) return;
    }
    if (!isThenable(ctx.checker, ctx.checker.getTypeAtLocation(expr))) return;
    ctx.report(expr, 'This promise is neither awaited, returned, voided nor given a rejection handler: a rejection would go unhandled.');
  },
};
