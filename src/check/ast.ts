/** Small syntax and type helpers shared by the rules (the raw TypeScript API, through ts-morph's `ts`). */
import { ts } from 'ts-morph';

/** A function-like node that has a body. */
export type FunctionNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

/** True for the function-like nodes rules treat as a scope. */
export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** The nearest function around `node` (not `node` itself), or undefined at module level. */
export function enclosingFunction(node: ts.Node): FunctionNode | undefined {
  for (let n = node.parent; n !== undefined; n = n.parent) if (isFunctionNode(n)) return n;
  return undefined;
}

/** The nearest class around `node`, or undefined. */
export function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n !== undefined; n = n.parent) if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return n;
  return undefined;
}

/** True when the function is `async`. */
export function isAsync(fn: FunctionNode): boolean {
  return (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0;
}

/** The name a function is known by: its own, or the variable or property it is assigned to; `''` when none. */
export function functionName(fn: FunctionNode | undefined): string {
  if (fn === undefined) return '';
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  if (fn.name !== undefined && !ts.isComputedPropertyName(fn.name)) return fn.name.text;
  if (fn.name !== undefined) return fn.name.getText();
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '';
}

/** Strips parentheses, type assertions, `!` and `satisfies`. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

/** The outermost of the wrappers around `node` that `unwrap` strips: the node as the code around it sees it. */
export function outermost(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isTypeAssertionExpression(n.parent)) n = n.parent;
  return n;
}

/** The called name: `f` for `f()`, `m` for `x.m()` / `x?.m()`; `''` otherwise. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
}

/** The receiver of a method call (`x` in `x.m()`), or undefined. */
export function receiverOf(call: ts.CallExpression): ts.Expression | undefined {
  const callee = unwrap(call.expression);
  return ts.isPropertyAccessExpression(callee) ? callee.expression : undefined;
}

/** The source text of a node with all whitespace removed, for comparing receivers and keys. */
export function compact(node: ts.Node): string {
  return node.getText().replace(/\s+/g, '');
}

/** Follows an import alias to the symbol it names. */
export function resolveSymbol(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  if (symbol !== undefined && (symbol.flags & ts.SymbolFlags.Alias) !== 0) return checker.getAliasedSymbol(symbol);
  return symbol;
}

/** True when every declaration of the symbol is in a declaration file (the platform's or a package's types). */
export function isDeclaredInLibrary(symbol: ts.Symbol | undefined): boolean {
  const decls = symbol?.declarations ?? [];
  return decls.length > 0 && decls.every((d) => d.getSourceFile().isDeclarationFile);
}

/** The symbol an expression names (`x`, `this.x`, `this.#x`, `a.b.c`), or undefined. */
export function symbolOf(checker: ts.TypeChecker, expr: ts.Expression): ts.Symbol | undefined {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return resolveSymbol(checker, checker.getSymbolAtLocation(e));
  if (ts.isPropertyAccessExpression(e)) return checker.getSymbolAtLocation(e.name);
  return undefined;
}

/** True when a type (or a member of a union) has a callable `then`: a Promise or another thenable. */
export function isThenable(checker: ts.TypeChecker, type: ts.Type): boolean {
  for (const t of type.isUnion() ? type.types : [type]) {
    const then = t.getProperty('then');
    if (then === undefined) continue;
    const thenType = checker.getTypeOfSymbol(then);
    if (thenType.getCallSignatures().length > 0) return true;
  }
  return false;
}

/** Types that instantiating a generic signature cannot change: primitives, literals, `void`, `never`, `any`, `object`. */
const CLOSED_FLAGS =
  ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.String | ts.TypeFlags.Number |
  ts.TypeFlags.BigInt | ts.TypeFlags.Boolean | ts.TypeFlags.ESSymbol | ts.TypeFlags.Literal | ts.TypeFlags.UniqueESSymbol | ts.TypeFlags.EnumLike |
  ts.TypeFlags.NonPrimitive | ts.TypeFlags.Never;

function isClosed(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.every(isClosed);
  return (type.flags & CLOSED_FLAGS) !== 0 && (type.flags & ts.TypeFlags.Instantiable) === 0;
}

/**
 * True for an object type whose members are fixed by its declarations (a class or interface, a reference to one, a
 * function type or type literal): instantiating its type parameters changes the members' types, never which members
 * it has. Mapped types, type parameters, conditional types and intersections are not.
 */
function hasFixedMembers(type: ts.Type): boolean {
  if ((type.flags & ts.TypeFlags.Object) === 0) return false;
  const flags = (type as ts.ObjectType).objectFlags;
  if ((flags & (ts.ObjectFlags.Mapped | ts.ObjectFlags.ReverseMapped)) !== 0) return false;
  if ((flags & ts.ObjectFlags.Reference) !== 0) return ((type as ts.TypeReference).target.objectFlags & ts.ObjectFlags.ClassOrInterface) !== 0;
  return (flags & (ts.ObjectFlags.ClassOrInterface | ts.ObjectFlags.Anonymous)) !== 0;
}

/** A type an expression may have: its own (`exact`), or a declared type of which its own is an instantiation. */
interface PossibleType {
  readonly type: ts.Type;
  readonly exact: boolean;
}

const isOptionalChain = (node: ts.Node): boolean => (node.flags & ts.NodeFlags.OptionalChain) !== 0;

/** At most this many distinct types per step: a chain of overloaded calls must not multiply them without end. */
const MAX_POSSIBLE_TYPES = 16;

/** Collects possible types without duplicates (a type seen as declared anywhere counts as declared); undefined past the cap. */
function distinct(types: readonly PossibleType[]): PossibleType[] | undefined {
  const seen = new Map<ts.Type, boolean>();
  for (const { type, exact } of types) seen.set(type, exact && (seen.get(type) ?? true));
  return seen.size > MAX_POSSIBLE_TYPES ? undefined : [...seen].map(([type, exact]) => ({ type, exact }));
}

/** `f(…)` or `f(…).a.b`: a value that no control flow narrows, so its type follows from the declarations. */
function isCallResult(expr: ts.Expression): boolean {
  if (isOptionalChain(expr)) return false;
  if (ts.isCallExpression(expr)) return true;
  return ts.isPropertyAccessExpression(expr) && isCallResult(expr.expression);
}

/**
 * The types `expr` may have, found without resolving any call: through a call, the return types of its callee's
 * signatures; through a property of a call's result, that property's declared type. Everything else is asked of the
 * checker. Undefined when a step is not decidable that way (a mapped or conditional type, no signature, no property).
 */
function possibleTypes(checker: ts.TypeChecker, expr: ts.Expression): PossibleType[] | undefined {
  if (ts.isCallExpression(expr) && !isOptionalChain(expr) && expr.expression.kind !== ts.SyntaxKind.SuperKeyword && expr.expression.kind !== ts.SyntaxKind.ImportKeyword) {
    const callees = possibleTypes(checker, expr.expression);
    if (callees === undefined) return undefined;
    const out: PossibleType[] = [];
    for (const callee of callees) {
      if (!callee.exact && !hasFixedMembers(callee.type)) return undefined;
      const signatures = checker.getApparentType(checker.getNonNullableType(callee.type)).getCallSignatures();
      if (signatures.length === 0) return undefined;
      for (const signature of signatures) out.push({ type: signature.getReturnType(), exact: callee.exact && (signature.typeParameters?.length ?? 0) === 0 });
    }
    return distinct(out);
  }
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.name) && !isOptionalChain(expr) && isCallResult(expr.expression)) {
    const owners = possibleTypes(checker, expr.expression);
    if (owners === undefined) return undefined;
    const out: PossibleType[] = [];
    for (const owner of owners) {
      if (!owner.exact && !hasFixedMembers(owner.type)) return undefined;
      const apparent = checker.getApparentType(checker.getNonNullableType(owner.type));
      const property = apparent.getProperty(expr.name.text);
      if (property !== undefined) out.push({ type: checker.getTypeOfSymbol(property), exact: owner.exact });
      // No such member and no index signature: were this the type, the access would be an error, typed as nothing
      // thenable (chai's `expect(val: any): Assertion` overload has no `toBe`; vitest's, chosen first, has).
      else if (checker.getIndexInfosOfType(apparent).length > 0) return undefined;
    }
    return distinct(out);
  }
  return [{ type: checker.getTypeAtLocation(expr), exact: true }];
}

/**
 * False when the call cannot evaluate to a thenable, decided without resolving it or the calls it is chained on (no
 * argument is checked and no type argument inferred, which is most of what typing a call costs): every type it may
 * have is known and not thenable. A declared type stands for its instantiations when it is a primitive or literal
 * (instantiation cannot change it) or has fixed members and no `then` (instantiation cannot add one), so
 * `expect(x).not.toBe(y)` is decided from vitest's declarations without typing `x`. True when it may be thenable,
 * and for calls typed by other means (`super(…)`, `import(…)`, `require(…)` in JavaScript).
 */
export function mayReturnThenable(checker: ts.TypeChecker, call: ts.CallExpression): boolean {
  if ((call.flags & ts.NodeFlags.JavaScriptFile) !== 0) return true;
  const possible = possibleTypes(checker, call);
  if (possible === undefined) return true;
  return possible.some(({ type, exact }) => {
    if (exact || isClosed(type)) return isThenable(checker, type);
    return !hasFixedMembers(type) || checker.getApparentType(type).getProperty('then') !== undefined;
  });
}

function namesOf(type: ts.Type): string[] {
  const out: string[] = [];
  const symbol = type.getSymbol();
  if (symbol !== undefined) out.push(symbol.getName());
  if (type.aliasSymbol !== undefined) out.push(type.aliasSymbol.getName());
  return out;
}

/**
 * True when the type, a member of a union, or one of its base classes / interfaces is named one of `names`
 * (e.g. `AbortSignal`, `EventEmitter`).
 */
export function hasTypeNamed(checker: ts.TypeChecker, type: ts.Type, names: ReadonlySet<string>, depth = 0): boolean {
  if (depth > 8) return false;
  for (const t of type.isUnion() ? type.types : [type]) {
    if (namesOf(t).some((n) => names.has(n))) return true;
    const target = (t.flags & ts.TypeFlags.Object) !== 0 && ((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) !== 0 ? (t as ts.TypeReference).target : t;
    if ((target.flags & ts.TypeFlags.Object) !== 0 && ((target as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface) !== 0) {
      for (const base of checker.getBaseTypes(target as ts.InterfaceType)) if (hasTypeNamed(checker, base, names, depth + 1)) return true;
    }
  }
  return false;
}

/**
 * True when running `node` can reject its async function: a `throw`, an `await` or a `for await` outside any `try`
 * whose `catch` (and `finally`) cannot fail in turn, or, even inside such a `try` (`guarded`), a `return` of a
 * promise, whose rejection no `try` catches. With `calls`, a call or `new` outside any `try` counts too: a synchronous
 * throw inside an async function rejects it (socket.io's `handshake()`, bench/check-precision.md). The code of a
 * `catch` or `finally` is taken to fail only through `throw` and `await`: logging, `reject(error)`, `emit('error')`.
 * Nested functions run on their own. A call that `safe` accepts (one the caller followed and found cannot reject) is
 * no failure when awaited or returned; its receiver and arguments still may be.
 */
export function mayFail(checker: ts.TypeChecker, node: ts.Node, guarded = false, calls = false, safe?: (call: ts.CallExpression) => boolean): boolean {
  if (isFunctionNode(node)) return false;
  const recurse = (child: ts.Node): boolean => mayFail(checker, child, guarded, calls, safe);
  // A call the caller knows cannot reject (`safe`), awaited or returned: only its receiver and arguments can fail.
  const operand = ts.isAwaitExpression(node) || ts.isReturnStatement(node) ? node.expression : undefined;
  const call = operand === undefined ? undefined : unwrap(operand);
  if (call !== undefined && ts.isCallExpression(call) && safe?.(call) === true) return [call.expression, ...call.arguments].some((c) => recurse(c));
  if (!guarded && (ts.isThrowStatement(node) || (ts.isForOfStatement(node) && node.awaitModifier !== undefined))) return true;
  if (!guarded && ts.isAwaitExpression(node) && !cannotReject(checker, node.expression)) return true;
  if (!guarded && calls && (ts.isCallExpression(node) || ts.isNewExpression(node))) return true;
  if (ts.isReturnStatement(node) && node.expression !== undefined && !ts.isAwaitExpression(unwrap(node.expression))) {
    if (isThenable(checker, checker.getTypeAtLocation(node.expression)) && !cannotReject(checker, node.expression)) return true;
  }
  if (ts.isTryStatement(node) && node.catchClause !== undefined) {
    const handlers = [node.catchClause.block, ...(node.finallyBlock === undefined ? [] : [node.finallyBlock])];
    return mayFail(checker, node.tryBlock, true, false, safe) || handlers.some((block) => mayFail(checker, block, guarded, false, safe));
  }
  return ts.forEachChild(node, (child) => recurse(child) || undefined) ?? false;
}

/**
 * True for a promise written so that it cannot reject: `p.catch(handler)` or `p.then(onFulfilled, onRejected)`
 * (either maybe followed by `.finally(…)`) whose handlers are functions written in place that cannot fail in turn
 * ({@link safeHandler}), and `new Promise(executor)` whose executor never names its `reject` and cannot throw. Found
 * in the precision study (bench/check-precision.md): lerna's `await removeTempLicenses(…).catch(log)`, Slack's
 * socket-mode `new Promise((res, _rej) => …)`.
 */
export function cannotReject(checker: ts.TypeChecker, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (ts.isNewExpression(e)) return onlyResolves(checker, e);
  if (!ts.isCallExpression(e) || !e.arguments.every((arg) => safeHandler(checker, arg))) return false;
  const callee = unwrap(e.expression);
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const name = callee.name.text;
  if (name === 'finally') return cannotReject(checker, callee.expression);
  return (name === 'catch' && e.arguments.length === 1) || (name === 'then' && e.arguments.length === 2);
}

/** A function written in place that cannot fail: nothing in it {@link mayFail}, and an expression body is no promise. */
export function safeHandler(checker: ts.TypeChecker, arg: ts.Expression): boolean {
  const fn = unwrap(arg);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  if (!ts.isBlock(fn.body) && isThenable(checker, checker.getTypeAtLocation(fn.body))) return false;
  return !mayFail(checker, fn.body);
}

/** `new Promise(executor)` (the platform's) whose executor, written in place, never names `reject` and cannot throw. */
function onlyResolves(checker: ts.TypeChecker, expr: ts.NewExpression): boolean {
  const ctor = unwrap(expr.expression);
  const executor = expr.arguments?.[0] === undefined ? undefined : unwrap(expr.arguments[0]);
  if (!ts.isIdentifier(ctor) || ctor.text !== 'Promise' || !isDeclaredInLibrary(resolveSymbol(checker, checker.getSymbolAtLocation(ctor)))) return false;
  if (executor === undefined || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) || isAsync(executor) || mayFail(checker, executor.body)) return false;
  const reject = executor.parameters[1];
  if (reject === undefined) return true;
  if (!ts.isIdentifier(reject.name)) return false;
  const symbol = checker.getSymbolAtLocation(reject.name);
  return symbol !== undefined && referencesTo(checker, executor.body, symbol).length === 0;
}

/** Calls `visit` for every descendant of `node`; `visit` returning false skips that node's children. */
export function walk(node: ts.Node, visit: (n: ts.Node) => boolean | void): void {
  node.forEachChild((child) => {
    if (visit(child) !== false) walk(child, visit);
  });
}

/** Every descendant of `scope` that refers to `symbol` (identifiers and property names). */
export function referencesTo(checker: ts.TypeChecker, scope: ts.Node, symbol: ts.Symbol): ts.Node[] {
  const out: ts.Node[] = [];
  const name = symbol.getName();
  walk(scope, (n) => {
    if ((ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) && n.text === name) {
      const s = resolveSymbol(checker, checker.getSymbolAtLocation(n));
      if (s === symbol) out.push(n);
    }
  });
  return out;
}

/** The expression a reference belongs to: `this.x` for the name `x` in `this.x`, else the reference itself. */
export function referenceExpression(ref: ts.Node): ts.Node {
  return ts.isPropertyAccessExpression(ref.parent) && ref.parent.name === ref ? ref.parent : ref;
}

/** True when `node` is a loop statement. */
export function isLoop(node: ts.Node): node is ts.IterationStatement {
  return ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node);
}

/** True when `inner` is `outer` or lies inside it. */
export function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end && inner.getSourceFile() === outer.getSourceFile();
}

/** True when `node` sits in the `finally` block of a `try` (looking no further out than `stop`). */
export function isInFinally(node: ts.Node, stop?: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent !== undefined && n !== stop; n = n.parent) {
    if (ts.isTryStatement(n.parent) && n.parent.finallyBlock === n) return true;
  }
  return false;
}

/** True when the statement always leaves its block: a `return` or `throw`, or a block that ends in one. */
export function exits(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  const last = ts.isBlock(statement) ? statement.statements[statement.statements.length - 1] : undefined;
  return last !== undefined && exits(last);
}

/**
 * The assignments (`=`, `??=`, …) to `target` (compared as {@link compact} text, `this.child`) that `scope`'s own code
 * makes before `before` starts, nested functions left out.
 */
export function assignmentsBefore(scope: ts.Node, target: ts.Node, before: ts.Node): ts.AssignmentExpression<ts.AssignmentOperatorToken>[] {
  const key = compact(target);
  const out: ts.AssignmentExpression<ts.AssignmentOperatorToken>[] = [];
  const visit = (n: ts.Node): void => {
    if (n.pos >= before.pos || (n !== scope && isFunctionNode(n))) return;
    if (isAssignment(n) && compact(unwrap(n.left)) === key) out.push(n);
    n.forEachChild(visit);
  };
  visit(scope);
  return out;
}

/** True for a variable declared with `const`. */
export function isConst(decl: ts.VariableDeclaration): boolean {
  return ts.isVariableDeclarationList(decl.parent) && (decl.parent.flags & ts.NodeFlags.Const) !== 0;
}

/** True for an assignment, plain or compound (`x = …`, `x += …`, `x ??= …`). */
export function isAssignment(node: ts.Node): node is ts.AssignmentExpression<ts.AssignmentOperatorToken> {
  return ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
}

/** True for a string literal (or no-substitution template) with the given text. */
export function isStringLiteral(node: ts.Node | undefined, text?: string): boolean {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && (text === undefined || node.text === text);
}

/** The property named `name` of an object literal, or undefined (undefined too when a spread could supply it). */
export function literalProperty(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return obj.properties.find((p) => p.name !== undefined && !ts.isComputedPropertyName(p.name) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name);
}

/** `using` / `await using` (the flags share a bit with `const`, so compare the block-scope bits exactly). */
export function isUsing(list: ts.VariableDeclarationList): boolean {
  const scoped = list.flags & ts.NodeFlags.BlockScoped;
  return scoped === ts.NodeFlags.Using || scoped === ts.NodeFlags.AwaitUsing;
}
