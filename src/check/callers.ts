/**
 * Who runs a function, program-wide: the two questions per-file rules cannot answer from the function alone. Can two
 * calls of it be in flight at once ({@link mayOverlap}, for `race.check-then-act`)? Does it run once, when the
 * process starts ({@link runsOnceAtStartup}, for `errors.unhandled` and `leak.listeners`)? Both look at the calls the
 * program itself makes, through the checker's symbols, never by name alone. Found in the precision study
 * (bench/check-precision.md): lazy loaders awaited one at a time, CLI entry code.
 */
import { ts } from 'ts-morph';
import { compact, enclosingFunction, isAssignment, isFunctionNode, isLoop, outermost, referenceExpression, resolveSymbol, unwrap, type FunctionNode } from './ast.js';
import type { RuleContext } from './rule.js';

/** What the questions need of a rule's context: the program, its checker, and which files are tests. */
export type Scope = Pick<RuleContext, 'program' | 'checker' | 'isTestFile'>;

/** Identifiers of the program's own (non-declaration) files, by text; built once per program, on first use. */
const indexes = new WeakMap<ts.Program, Map<string, ts.Identifier[]>>();

function identifiersNamed(program: ts.Program, name: string): readonly ts.Identifier[] {
  let index = indexes.get(program);
  if (index === undefined) {
    const built = new Map<string, ts.Identifier[]>();
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) {
        const list = built.get(n.text);
        if (list === undefined) built.set(n.text, [n]);
        else list.push(n);
      }
      n.forEachChild(visit);
    };
    for (const file of program.getSourceFiles()) if (!file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file)) visit(file);
    index = built;
    indexes.set(program, index);
  }
  return index.get(name) ?? [];
}

/** The name node a function is declared or stored under: its own, or the `const`, field or property holding it. */
function nameOf(fn: FunctionNode): ts.Identifier | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name !== undefined && ts.isIdentifier(fn.name)) return fn.name;
  const parent = fn.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.initializer === fn && ts.isIdentifier(parent.name)) return parent.name;
  return undefined;
}

/**
 * The symbols a call of `fn` may resolve to: its own, and for a method the members of the same name it overrides or
 * implements (a call through the base class or the interface runs it too).
 */
function symbolsOf(checker: ts.TypeChecker, fn: FunctionNode, name: ts.Identifier): Set<ts.Symbol> {
  const out = new Set<ts.Symbol>();
  const own = checker.getSymbolAtLocation(name);
  if (own !== undefined) out.add(own);
  const member = ts.isMethodDeclaration(fn) ? fn : ts.isPropertyDeclaration(fn.parent) ? fn.parent : undefined;
  const cls = member?.parent;
  if (cls === undefined || !ts.isClassLike(cls)) return out;
  const pending = (cls.heritageClauses ?? []).flatMap((h) => h.types.map((t) => checker.getTypeAtLocation(t)));
  for (let type = pending.pop(), steps = 0; type !== undefined && steps < 20; type = pending.pop(), steps++) {
    const inherited = type.getProperty(name.text);
    if (inherited !== undefined) out.add(inherited);
    if (type.isClassOrInterface()) pending.push(...checker.getBaseTypes(type));
  }
  return out;
}

/** How one reference uses the function: called (and whether the call is waited for), or handed on as a value. */
interface Use {
  readonly call: ts.CallExpression | undefined;
  /** The call is awaited or returned where it is made (`await f()`, `return f()`, `=> f()`, through `.catch`/`.then`). */
  readonly waited: boolean;
}

function useOf(ref: ts.Identifier): Use {
  const expr = referenceExpression(ref);
  const call = expr.parent;
  if (!ts.isCallExpression(call) || call.expression !== expr) return { call: undefined, waited: false };
  // Up through wrappers and `.then` / `.catch` / `.finally` chained on the call.
  let top = outermost(call);
  while (ts.isPropertyAccessExpression(top.parent) && ['then', 'catch', 'finally'].includes(top.parent.name.text) && ts.isCallExpression(top.parent.parent)) top = outermost(top.parent.parent);
  const p = top.parent;
  const waited = ts.isAwaitExpression(p) || ts.isReturnStatement(p) || (ts.isArrowFunction(p) && p.body === top);
  return { call, waited };
}

/**
 * Every use of `fn` in the program, or undefined when it has no name to be called by. Uses in test files are left
 * out when `fn` is not in one: a test calls its subject once per case, which says nothing of how the program does.
 */
function usesOf({ program, checker, isTestFile }: Scope, fn: FunctionNode): Use[] | undefined {
  const fromTests = isTestFile(fn.getSourceFile());
  const name = nameOf(fn);
  if (name === undefined) return undefined;
  // Compared by declaration: a member read through `this` resolves to a symbol instantiated for the `this` type.
  const declarations = new Set([...symbolsOf(checker, fn, name)].flatMap((s) => s.declarations ?? []));
  if (declarations.size === 0) return undefined;
  const out: Use[] = [];
  for (const ref of identifiersNamed(program, name.text)) {
    if (ref === name || ts.isTypeQueryNode(ref.parent) || ts.isImportSpecifier(ref.parent) || ts.isExportSpecifier(ref.parent) || ts.isImportClause(ref.parent)) continue;
    const symbol = resolveSymbol(checker, checker.getSymbolAtLocation(ref));
    if (symbol?.declarations?.some((d) => declarations.has(d)) !== true || (!fromTests && isTestFile(ref.getSourceFile()))) continue;
    // The name of a declaration (the base class's abstract member, an overload) is not a use.
    if (symbol.declarations?.some((d) => ts.getNameOfDeclaration(d) === ref) === true) continue;
    out.push(useOf(ref));
  }
  return out;
}

/** The call that runs `fn` on the spot: `(async () => { … })()`. */
function immediateCall(fn: FunctionNode): ts.CallExpression | undefined {
  let n: ts.Node = fn;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  return ts.isCallExpression(n.parent) && n.parent.expression === n ? n.parent : undefined;
}

/** `new Promise(executor)`, `p.then(cb)` / `.catch(cb)` / `.finally(cb)`: the callback runs once per call of its function. */
function runsOncePerEnclosingCall(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (ts.isNewExpression(parent)) return ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise';
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(fn as ts.Expression)) return false;
  const callee = unwrap(parent.expression);
  return ts.isPropertyAccessExpression(callee) && ['then', 'catch', 'finally'].includes(callee.name.text);
}

/** True when `node` sits in a loop of its own function (its body, not a nested function). */
function inLoop(node: ts.Node): boolean {
  for (let n = node.parent; n !== undefined && !isFunctionNode(n) && !ts.isSourceFile(n); n = n.parent) if (isLoop(n)) return true;
  return false;
}

/** How far up the callers {@link mayOverlap} looks for calls that are not waited for. */
const CALLER_DEPTH = 3;

/**
 * True when the program shows, or cannot rule out, that two calls of `fn` can be in flight at once: it is a callback
 * handed to other code (an event or route handler, a `.map` callback); it is passed or stored as a value; one of its
 * calls is not waited for (a call in module-level code outside loops runs once and is fine); nothing in the program
 * calls it or its direct callers (an API whose callers are out of sight); or one of its callers, up to three levels,
 * can overlap in turn. False when every call of it is awaited (or returned) where it is made, by callers that are
 * themselves awaited one at a time: a lazy loader that its own class awaits step by step. A callback of
 * `new Promise` or `.then` is judged by the function it sits in. Found in the precision study
 * (bench/check-precision.md): release-please's strategies memoise a file in a method their release steps await in turn.
 */
export function mayOverlap(scope: Scope, fn: FunctionNode, level = 0, seen = new Set<FunctionNode>()): boolean {
  if (level > CALLER_DEPTH || seen.has(fn)) return false;
  seen.add(fn);
  if (immediateCall(fn) !== undefined || runsOncePerEnclosingCall(fn)) {
    const outer = enclosingFunction(fn);
    return outer !== undefined && mayOverlap(scope, outer, level, seen);
  }
  const uses = usesOf(scope, fn);
  if (uses === undefined) return true;
  if (uses.length === 0) return level <= 1;
  let floatingAtTop = 0;
  for (const use of uses) {
    if (use.call === undefined) return true;
    const caller = enclosingFunction(use.call);
    if (caller === undefined) {
      if (inLoop(use.call) || (!use.waited && ++floatingAtTop > 1)) return true;
    } else if (!use.waited || mayOverlap(scope, caller, level + 1, seen)) return true;
  }
  return false;
}

/**
 * True when `fn` runs once per process, at startup: an IIFE in module-level code (not in a loop), or a named function
 * that the program calls, and only from module-level code outside loops (`main()` at the end of a file). Module code
 * runs once per process, so nothing it adds can pile up.
 */
export function runsOnceAtStartup(scope: Scope, fn: FunctionNode): boolean {
  const once = (call: ts.CallExpression): boolean => enclosingFunction(call) === undefined && !inLoop(call);
  const iife = immediateCall(fn);
  if (iife !== undefined) return once(iife);
  const uses = usesOf(scope, fn);
  return uses !== undefined && uses.length > 0 && uses.every((u) => u.call !== undefined && once(u.call));
}

/**
 * True for a program's entry file: one that starts with a `#!` line (a CLI's bin script), or whose module code tests
 * that it is the main module (`require.main === module`, `import.meta.main`, `process.argv[1]`). An unhandled
 * rejection there ends the process with the error printed and exit code 1, which is what the program's main does.
 */
export function isEntryFile(file: ts.SourceFile): boolean {
  if (file.text.startsWith('#!')) return true;
  return file.statements.some((s) => ts.isIfStatement(s) && /require\.main\s*===?\s*module|import\.meta\.main|process\.argv\[1\]/.test(s.expression.getText(file)));
}

/**
 * True when the method that a call of `method` runs is `method` itself, whatever the receiver: it is an instance
 * method (or a property holding a function), no class of the program that extends its class (through `extends` clauses) declares a member of that
 * name, and nothing in the program assigns the member. Static methods are left out: any module may reassign them. A subclass or
 * a patch outside the program could still replace it; the rules that ask accept that.
 */
export function notOverridden(program: ts.Program, checker: ts.TypeChecker, method: ts.MethodDeclaration | ts.PropertyDeclaration): boolean {
  const cls = method.parent;
  const isStatic = method.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) === true;
  if (!ts.isClassDeclaration(cls) || cls.name === undefined || !ts.isIdentifier(method.name) || isStatic) return false;
  const name = method.name.text;
  // Every class of the program below this one, by `extends` clauses; none may declare a member of the same name.
  const pending: ts.ClassDeclaration[] = [cls];
  const seen = new Set<ts.ClassDeclaration>();
  for (let c = pending.pop(); c !== undefined; c = pending.pop()) {
    if (seen.has(c) || c.name === undefined) continue;
    seen.add(c);
    const own = checker.getSymbolAtLocation(c.name);
    for (const ref of identifiersNamed(program, c.name.text)) {
      const heritage = ref.parent;
      if (!ts.isExpressionWithTypeArguments(heritage) || !ts.isHeritageClause(heritage.parent) || heritage.parent.token !== ts.SyntaxKind.ExtendsKeyword) continue;
      if (resolveSymbol(checker, checker.getSymbolAtLocation(ref)) !== own) continue;
      const sub = heritage.parent.parent;
      if (!ts.isClassDeclaration(sub) || sub.members.some((m) => m.name !== undefined && ts.isIdentifier(m.name) && m.name.text === name)) return false;
      pending.push(sub);
    }
  }
  return neverAssigned(program, checker, method);
}

/**
 * True when nothing in the program assigns the member (`x.m = …`, `this.m = …`), other than binding it to a receiver
 * in place (`this.m = this.m.bind(this)`, which runs the same code).
 */
export function neverAssigned(program: ts.Program, checker: ts.TypeChecker, member: ts.MethodDeclaration | ts.PropertyDeclaration): boolean {
  if (!ts.isIdentifier(member.name)) return false;
  return !identifiersNamed(program, member.name.text).some((ref) => reassigned(ref) && checker.getSymbolAtLocation(ref)?.declarations?.includes(member) === true);
}

/** True when `ref` (or the `x.ref` access it names) is assigned, other than being bound in place (`m = m.bind(…)`). */
export function reassigned(ref: ts.Node): boolean {
  const target = referenceExpression(ref);
  const parent = target.parent;
  if (!isAssignment(parent) || parent.left !== target) return false;
  const value = unwrap(parent.right);
  const callee = ts.isCallExpression(value) ? unwrap(value.expression) : undefined;
  return callee === undefined || !ts.isPropertyAccessExpression(callee) || callee.name.text !== 'bind' || compact(callee.expression) !== compact(target);
}
