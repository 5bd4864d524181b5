/**
 * Floating promise: an expression statement whose value is a Promise (or another thenable) that is not awaited,
 * returned, `void`ed, or given a rejection handler (`.catch(…)`, `.then(…, onRejected)`, either followed by
 * `.finally(…)`), nor a call of an async function that catches its own failures. Calls that register
 * tests with vitest, jest or node:test (`describe`, `it`, `test`, hooks, `t.test`) are exempt, and so are calls the
 * type checker resolves to a platform method whose promise never rejects ({@link NEVER_REJECTS}).
 */
import { ts } from 'ts-morph';
import { isAsync, isFunctionNode, isThenable, symbolOf, unwrap, walk } from '../ast.js';
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
  const decl = symbolOf(checker, callee)?.valueDeclaration;
  if (decl === undefined || decl.getSourceFile().isDeclarationFile) return false;
  if (ts.isFunctionDeclaration(decl)) return catchesOwnFailures(decl);
  if (ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0 && decl.initializer !== undefined) {
    return catchesOwnFailures(unwrap(decl.initializer));
  }
  return false;
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
    if (ts.isCallExpression(expr) && (handled(expr) || registration(expr) || selfHandling(ctx.checker, expr) || returnsItsArgument(expr) || neverRejects(ctx.checker, expr))) return;
    if (!isThenable(ctx.checker, ctx.checker.getTypeAtLocation(expr))) return;
    ctx.report(expr, 'This promise is neither awaited, returned, voided nor given a rejection handler: a rejection would go unhandled.');
  },
};
