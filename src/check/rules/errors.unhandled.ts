/**
 * Floating promise: an expression statement whose value is a Promise (a thenable that is a `Promise`, `PromiseLike` or
 * extends one; a query builder's own `then` starts nothing until called) that is not awaited,
 * returned, `void`ed, or given a rejection handler (`.catch(…)`, `.then(…, onRejected)`, either followed by
 * `.finally(…)`). Exempt, because the call cannot reject: a call of a function or method that is known to be the one
 * that runs (a project function, a `private` / `#private` method) and catches its own failures or returns a promise
 * it already handles; a call of a module-private function's parameter that only ever receives synchronous functions;
 * a platform method whose promise never rejects ({@link NEVER_REJECTS}), and its `.then(…)` with a handler written in
 * place that catches its own failures. Exempt, because its failure goes elsewhere: a call given an error-first
 * completion callback (`query(sql, (err, rows) => …)`, by the parameter's type). Calls that register tests with vitest,
 * jest or node:test (`describe`, `it`, `test`, hooks, `t.test`) are exempt too, and so is the startup code of an entry
 * file (a `#!` script or a `require.main === module` block), where an unhandled rejection ends the process with exit
 * code 1 as its main would.
 */
import { ts } from 'ts-morph';
import { cannotReject, enclosingFunction, hasTypeNamed, isAsync, isConst, isDeclaredInLibrary, isFunctionNode, isThenable, mayFail, mayReturnThenable, referencesTo, safeHandler, symbolOf, unwrap, walk } from '../ast.js';
import { isEntryFile, neverAssigned, notOverridden, reassigned, runsOnceAtStartup } from '../callers.js';
import type { Rule, RuleContext } from '../rule.js';

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

type Followed = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

/** How many calls deep a followed function's awaited or returned calls are followed (`persist()` returning `write()`). */
const RETURN_DEPTH = 3;

/**
 * A call of an async function that catches its own failures (nothing in it {@link mayFail}; what it awaits or returns
 * is followed in turn, {@link RETURN_DEPTH} calls deep), or of a function that returns a promise it already handles
 * ({@link returnsHandledPromise}): an IIFE, a function of the project's own code
 * called by name (`const start = async () => { try { … } catch … }; start();`), or a method no subclass can replace
 * ({@link fixedMethod}). Found in the precision study (bench/check-precision.md): bullmq's sandbox `initChild()`,
 * socket.io's postgres emitter's private `publish()`, hono's `StreamingApi.close()`.
 */
function selfHandling(program: ts.Program, checker: ts.TypeChecker, call: ts.CallExpression, depth = 0): boolean {
  const callee = unwrap(call.expression);
  let fn: Followed | undefined;
  let strict = false;
  if (ts.isArrowFunction(callee) || ts.isFunctionExpression(callee)) fn = callee;
  else if (ts.isIdentifier(callee)) fn = projectFunction(checker, callee);
  else if (ts.isPropertyAccessExpression(callee)) {
    const member = fixedMethod(program, checker, callee);
    fn = member === undefined ? undefined : ts.isMethodDeclaration(member) ? member : functionOf(member);
    // A public or protected method must guard its calls too: a synchronous throw rejects it just the same, and unlike a
    // module's own function its calls come from everywhere (socket.io's `handshake()` throws from a user's listener).
    strict = member !== undefined && !ts.isPrivateIdentifier(member.name) && member.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword) !== true;
  }
  if (fn === undefined) return false;
  // What it awaits or returns may be followed in turn: `await this.flush()` cannot fail when flush() cannot.
  const safe = (inner: ts.CallExpression): boolean => depth < RETURN_DEPTH && selfHandling(program, checker, inner, depth + 1);
  if (isAsync(fn)) return fn.body !== undefined && ts.isBlock(fn.body) && !mayFail(checker, fn.body, false, strict, safe);
  return returnsHandledPromise(program, checker, fn, depth);
}

/** The function a name refers to when the project declares it: a function declaration or a `const` function. */
function projectFunction(checker: ts.TypeChecker, name: ts.Identifier): Followed | undefined {
  const decl = symbolOf(checker, name)?.valueDeclaration;
  if (decl === undefined || decl.getSourceFile().isDeclarationFile) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && isConst(decl) && decl.initializer !== undefined) {
    const init = unwrap(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return undefined;
}

/**
 * The method a call runs whatever the receiver's class: a `#private` method (invisible to subclasses, and not
 * writable), or a `private` or `#private` one (the checker rejects a subclass that declares the same name) that its
 * class never assigns (`this.m = …`; nothing outside the class can name it), or a public or protected one of a class
 * that no class of the program extends and whose member nothing in the program assigns ({@link notOverridden}). A
 * property initialised with a function (`handle = async (…) => { … }`) counts as a method, and so does a method of an
 * object literal that nothing in the program assigns; binding a method in place (`this.m = this.m.bind(this)`) runs
 * the same code. Found in the precision study
 * (bench/check-precision.md): hono's `StreamingApi.close()` catches its own failures, as does hocuspocus's
 * `private handleQueueingMessage = async (…) => …`, apollo-server's subscription object's `completeSubscription()` and
 * node-amqp-connection-manager's bound `_onConnect()`.
 */
function fixedMethod(program: ts.Program, checker: ts.TypeChecker, callee: ts.PropertyAccessExpression): ts.MethodDeclaration | ts.PropertyDeclaration | undefined {
  const symbol = checker.getSymbolAtLocation(callee.name);
  const decl = symbol?.valueDeclaration;
  if (symbol === undefined || decl === undefined || decl.getSourceFile().isDeclarationFile) return undefined;
  if (!ts.isMethodDeclaration(decl) && !(ts.isPropertyDeclaration(decl) && functionOf(decl) !== undefined)) return literalMethod(checker, callee);
  if (ts.isPrivateIdentifier(decl.name) && ts.isMethodDeclaration(decl)) return decl;
  if (ts.isObjectLiteralExpression(decl.parent)) return neverAssigned(program, checker, decl) ? decl : undefined;
  if (!ts.isPrivateIdentifier(decl.name) && decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword) !== true) return notOverridden(program, checker, decl) ? decl : undefined;
  return referencesTo(checker, decl.parent, symbol).some(reassigned) ? undefined : decl;
}

/**
 * The method of the object literal a local `const` holds (`const helper: BulkHelper = { abort() { … } }`), for a call
 * `helper.abort()` that the checker types through the variable's declared interface: that literal's method is what
 * runs, unless the code assigns `helper.abort` or a spread after it may replace it. Only consts declared in a
 * function, which no other module can reach. Found on set I of the precision study (bench/check-precision.md):
 * elasticsearch-js's bulk helper.
 */
function literalMethod(checker: ts.TypeChecker, callee: ts.PropertyAccessExpression): ts.MethodDeclaration | undefined {
  const receiver = unwrap(callee.expression);
  const symbol = ts.isIdentifier(receiver) ? symbolOf(checker, receiver) : undefined;
  const decl = symbol?.valueDeclaration;
  if (symbol === undefined || decl === undefined || !ts.isVariableDeclaration(decl) || !isConst(decl) || decl.initializer === undefined) return undefined;
  const scope = enclosingFunction(decl);
  const literal = unwrap(decl.initializer);
  if (scope === undefined || !ts.isObjectLiteralExpression(literal)) return undefined;
  const name = callee.name.text;
  const index = literal.properties.findIndex((p) => ts.isMethodDeclaration(p) && ts.isIdentifier(p.name) && p.name.text === name);
  const method = literal.properties[index];
  if (method === undefined || !ts.isMethodDeclaration(method) || literal.properties.slice(index + 1).some(ts.isSpreadAssignment)) return undefined;
  const replaced = referencesTo(checker, scope, symbol).some((ref) => {
    const access = ref.parent;
    return ts.isPropertyAccessExpression(access) && access.expression === ref && access.name.text === name && reassigned(access.name);
  });
  return replaced ? undefined : method;
}

/** The function a property is initialised with (`handle = async (…) => { … }`), or undefined. */
function functionOf(property: ts.PropertyDeclaration): ts.ArrowFunction | ts.FunctionExpression | undefined {
  const init = property.initializer === undefined ? undefined : unwrap(property.initializer);
  return init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
}

/**
 * A non-async function every `return` of which hands back nothing (a bare `return;` of a `void | Promise` function), a
 * `const` promise (`p`, or `Promise.resolve(p)`, which is `p` itself) that a statement in the scope declaring `p` gives
 * a rejection handler (`p.then(ok, onError)`, `p.catch(…)`), a promise that {@link cannotReject}, or the call of a
 * function that is itself self-handling, followed {@link RETURN_DEPTH} calls deep. The promise is already handled, so
 * whoever floats the call cannot cause an unhandled rejection. Found in the precision study
 * (bench/check-precision.md): graphile-worker's `release()`, ably-js's `persist()` returning `loggedStorageWrites(…)`.
 */
function returnsHandledPromise(program: ts.Program, checker: ts.TypeChecker, fn: Followed, depth: number): boolean {
  if (isAsync(fn) || fn.body === undefined) return false;
  const returned: ts.Expression[] = [];
  if (!ts.isBlock(fn.body)) returned.push(fn.body);
  else {
    walk(fn.body, (n) => {
      if (isFunctionNode(n)) return false;
      if (ts.isReturnStatement(n) && n.expression !== undefined) returned.push(n.expression);
      return true;
    });
  }
  return returned.length > 0 && returned.every((e) => {
    const call = unwrap(e);
    if (handledConst(checker, e) || cannotReject(checker, e)) return true;
    return depth < RETURN_DEPTH && ts.isCallExpression(call) && selfHandling(program, checker, call, depth + 1);
  });
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

/**
 * A call of a parameter of a function that never leaves its module (not exported, named only as the callee of its
 * calls), when every one of those calls passes a function that is not async and returns no promise in its place: the
 * parameter's declared type may admit a promise, but it only ever holds those functions. Found in the precision study
 * (bench/check-precision.md): graphile-worker's `batch()` `errorHandler`.
 */
function onlySyncArguments(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  const param = ts.isIdentifier(callee) ? symbolOf(checker, callee) : undefined;
  const decl = param?.valueDeclaration;
  if (param === undefined || decl === undefined || !ts.isParameter(decl) || decl.dotDotDotToken !== undefined) return false;
  const fn = decl.parent;
  if (!ts.isFunctionDeclaration(fn) || fn.name === undefined || fn.body === undefined || fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true) return false;
  const self = checker.getSymbolAtLocation(fn.name);
  if (self === undefined || referencesTo(checker, fn.body, param).some(reassigned)) return false;
  const index = fn.parameters.indexOf(decl);
  const calls = referencesTo(checker, fn.getSourceFile(), self).filter((ref) => ref !== fn.name);
  return calls.length > 0 && calls.every((ref) => {
    const arg = ts.isCallExpression(ref.parent) && ref.parent.expression === ref ? ref.parent.arguments[index] : undefined;
    const f = arg === undefined ? undefined : unwrap(arg);
    if (f === undefined || !(ts.isArrowFunction(f) || ts.isFunctionExpression(f)) || isAsync(f)) return false;
    const returned = checker.getSignatureFromDeclaration(f)?.getReturnType();
    return returned !== undefined && !isThenable(checker, returned);
  });
}

/**
 * A call given a completion callback: an argument that is a function (not possibly `undefined`) in the place of a
 * parameter whose type is, or includes, a function that takes an `Error` first and returns `void`
 * (`(err: Error | null, result?: T) => void`). An API that takes one reports its failures to it (ioredis commands,
 * standard-as-callback's `asCallback(promise, cb)`, dual callback/promise APIs), so no rejection is left for whoever
 * drops the promise it may also return. A `then` callback returns a value, not `void`, and an `any` or `unknown` first
 * parameter is not an error. Found on ioredis (`asCallback(this.promise, callback)`, `redis.cluster('SLOTS', cb)`),
 * and, where ioredis types the callback as the last element of a variadic tuple, on hocuspocus (`sub.subscribe(key, cb)`).
 */
function completionCallback(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  if (call.arguments.length === 0) return false;
  const error = checker.resolveName('Error', undefined, ts.SymbolFlags.Type, false);
  if (error === undefined) return false;
  const errorType = checker.getDeclaredTypeOfSymbol(error);
  return call.arguments.some((arg) => {
    if (ts.isSpreadElement(arg)) return false;
    const argType = checker.getTypeAtLocation(arg);
    if (checker.getNonNullableType(argType) !== argType || argType.getCallSignatures().length === 0) return false;
    // The type the call expects in this place, also where a rest parameter's tuple types it (`...args: [...keys, cb]`).
    const expected = checker.getContextualType(arg);
    if (expected === undefined) return false;
    const type = checker.getNonNullableType(expected);
    return (type.isUnion() ? type.types : [type]).some((member) => {
      const signatures = member.getCallSignatures();
      return signatures.length > 0 && signatures.every((signature) => takesErrorFirst(checker, signature, errorType));
    });
  });
}

function takesErrorFirst(checker: ts.TypeChecker, signature: ts.Signature, errorType: ts.Type): boolean {
  const first = signature.parameters[0];
  if (first === undefined || (signature.getReturnType().flags & ts.TypeFlags.Void) === 0) return false;
  const type = checker.getNonNullableType(checker.getTypeOfSymbol(first));
  return (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) === 0 && checker.isTypeAssignableTo(type, errorType);
}

/**
 * A method call that returns its own receiver (`run(): this`, or a method whose every `return` is `return this`):
 * it makes no new promise, the statement's value is the object the call was made on, and whoever holds that object
 * awaits or handles it. Found on set F of the precision study (bench/check-precision.md): zx's `ProcessPromise.run()`
 * and `timeout()`, colyseus's query builder; the method may be one of a local const's object literal ({@link literalMethod}).
 */
function returnsReceiver(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const signature = checker.getResolvedSignature(call)?.declaration;
  if (signature === undefined || ts.isJSDocSignature(signature)) return false;
  if (signature.type !== undefined && ts.isThisTypeNode(signature.type)) return true;
  const decl = ts.isMethodDeclaration(signature) && signature.body !== undefined ? signature : literalMethod(checker, callee);
  if (decl === undefined || decl.body === undefined || (decl.type !== undefined && !ts.isThisTypeNode(decl.type))) return false;
  let returns = 0;
  let other = false;
  walk(decl.body, (n) => {
    if (isFunctionNode(n) || other) return false;
    if (ts.isReturnStatement(n)) {
      if (n.expression !== undefined && unwrap(n.expression).kind === ts.SyntaxKind.ThisKeyword) returns++;
      else other = true;
    }
    return true;
  });
  return returns > 0 && !other;
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
 * `source.then(onFulfilled)` where `source` is a call that never rejects ({@link neverRejects}), or a chain that
 * {@link cannotReject} (`p.catch(log).then(…)`: ably-js's channel release), and `onFulfilled` is a
 * function written in place that catches its own failures (nothing in it {@link mayFail}; an expression body is not a
 * promise): only the handler could reject the chain, and it does not. Found on ioredis:
 * `Promise.allSettled(replies).then((results) => { … })`.
 */
function settledChain(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  const arg = call.arguments.length === 1 && call.arguments[0] !== undefined ? unwrap(call.arguments[0]) : undefined;
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'then' || arg === undefined) return false;
  const source = unwrap(callee.expression);
  if (!ts.isCallExpression(source) || !safeHandler(checker, arg)) return false;
  return neverRejects(checker, source) || cannotReject(checker, source);
}

/**
 * Platform methods whose returned promise never rejects, by the module that declares them (`node:` prefix dropped),
 * the class or interface, and the member. Matched on the declaration the checker resolves the call to, never by name:
 * a project's own `Worker` class with a `terminate()` is still checked. Found in the precision study
 * (bench/check-precision.md): tsup floats `worker.terminate()`.
 * - `worker_threads` `Worker.terminate()`: resolves with the exit code once the thread stops; Node's implementation has
 *   no rejection path.
 * - the global `Promise.allSettled(…)` (no module): resolves once every input settles, whatever their outcome.
 */
export const NEVER_REJECTS: readonly { readonly module?: string; readonly owner: string; readonly member: string }[] = [
  { module: 'worker_threads', owner: 'Worker', member: 'terminate' },
  { owner: 'PromiseConstructor', member: 'allSettled' },
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

/**
 * Code of a program's entry file ({@link isEntryFile}) that runs once, at startup: module-level statements, an IIFE
 * there, or a `main()` called only from there. A rejection it leaves unhandled ends the process with the error
 * printed and exit code 1 (Node's default since 15), which is what a CLI's main does on failure; nothing runs on.
 * Found in the precision study (bench/check-precision.md): npm-check-updates', release-please's and probot's bin
 * scripts.
 */
function startupCode(ctx: RuleContext, statement: ts.Node): boolean {
  if (!isEntryFile(ctx.sourceFile)) return false;
  const fn = enclosingFunction(statement);
  return fn === undefined || runsOnceAtStartup(ctx, fn);
}

/**
 * `Promise.reject(error);` as a statement: a rejected promise made only to be left unhandled, which is how a library
 * reports an error nobody listens for (Node then prints it and, by default, exits). Found on set G of the precision
 * study (bench/check-precision.md): openai-node's realtime and streaming clients.
 */
function deliberateRejection(ctx: RuleContext, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'reject') return false;
  const owner = unwrap(callee.expression);
  return ts.isIdentifier(owner) && owner.text === 'Promise' && isDeclaredInLibrary(symbolOf(ctx.checker, owner));
}

/**
 * `x.name(…)` where the receiver's type has no member `name` and the call is typed through an index signature (a
 * mapped type over `any` keys): the type says every name is such a function, so it says nothing about the method that
 * really runs. Found on set G of the precision study (bench/check-precision.md): node-redis's `RedisClientType<any, …>`
 * types `client.on('error', …)` as a Redis command returning a promise, where the EventEmitter's `on` returns the client.
 */
function undeclaredMember(ctx: RuleContext, call: ts.CallExpression): boolean {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) && ctx.checker.getSymbolAtLocation(callee.name) === undefined;
}

const PROMISE: ReadonlySet<string> = new Set(['Promise', 'PromiseLike']);

/**
 * True when the type, or a member of a union, is a thenable that is a Promise: `Promise`, `PromiseLike`, or a class or
 * interface that extends one. A thenable of its own kind (a class or interface declaring its own `then`, like a query
 * builder) is left out: only a promise can reject unhandled, and such an object usually starts its work only when
 * `then` is called (Knex's and Drizzle's query builders, Mongoose's queries), so a statement that drops it drops
 * nothing that runs. Found on set I of the precision study (bench/check-precision.md): feathers' Knex adapter,
 * `builder.limit(…)` and the like (7 findings).
 */
function mayBePromise(checker: ts.TypeChecker, type: ts.Type): boolean {
  return (type.isUnion() ? type.types : [type]).some((t) => isThenable(checker, t) && hasTypeNamed(checker, t, PROMISE));
}

/** The rule. */
export const errorsUnhandled: Rule = {
  id: 'errors.unhandled',
  scope: 'all',
  kinds: [ts.SyntaxKind.ExpressionStatement],
  rationale:
    'A promise nobody awaits or handles rejects into the void: Node reports an unhandledRejection (and by default exits), the caller never learns of the failure, and the task runs on with no owner to wait for it.',
  notReported:
    "A thenable that is not a Promise (a lazy query builder with its own `then`: nothing runs until it is awaited). A call that cannot reject: a project function, a `private` / `#private` method, a method of a class nothing in the program extends, or a method of an object literal nothing reassigns (a property holding a function counts as a method), that catches its own failures (a wait on `p.catch(handler)` whose handler cannot fail does not count as a failure) or returns a promise it already handles (also through the calls it returns) or one that only resolves (`new Promise((resolve) => …)`), a module-private function's callback parameter that only ever receives synchronous functions, platform promises that never reject (`Promise.allSettled`, worker_threads' `terminate()`), and their `.then(…)`, or that of a chain that catches first (`p.catch(log).then(…)`), with a handler written in place that cannot fail. A call whose failure goes elsewhere: one given an error-first completion callback (by the parameter's type). A method call that returns its own receiver (`run(): this`, `return this`, also a method of the object literal a local `const` holds): it makes no new promise. A `Promise.reject(error)` statement (a deliberate unhandled rejection), and a method the receiver's type does not declare, typed only through an index signature. Test registrations (`describe`, `it`, `test`, hooks). The startup code of an entry file (a `#!` script, a `require.main === module` block: module-level code, an IIFE there, a `main()` called only from there), where an unhandled rejection ends the process with the error and exit code 1, as a CLI's main should.",
  fix: 'Await it, return it, or attach a rejection handler (`.catch(report)`); when running it in the background is intended, say so with `void` and handle its errors inside, or hand it to a task group that owns it: `npx concurrency-kit add task-group`.',
  visit(node, ctx) {
    const expr = unwrap((node as ts.ExpressionStatement).expression);
    if (!ts.isCallExpression(expr) && !ts.isNewExpression(expr)) return;
    if (ts.isCallExpression(expr)) {
      if (handled(expr) || registration(expr) || returnsItsArgument(expr)) return;
      // Cheapest first: most statement calls cannot return a promise at all, decided from declarations alone.
      if (!mayReturnThenable(ctx.checker, expr)) return;
      if (returnsReceiver(ctx.checker, expr) || selfHandling(ctx.program, ctx.checker, expr) || neverRejects(ctx.checker, expr) || onlySyncArguments(ctx.checker, expr) || completionCallback(ctx.checker, expr) || settledChain(ctx.checker, expr)) return;
    }
    if (!mayBePromise(ctx.checker, ctx.checker.getTypeAtLocation(expr))) return;
    if (startupCode(ctx, node) || (ts.isCallExpression(expr) && (deliberateRejection(ctx, expr) || undeclaredMember(ctx, expr)))) return;
    ctx.report(expr, 'This promise is neither awaited, returned, voided nor given a rejection handler: a rejection would go unhandled.');
  },
};
