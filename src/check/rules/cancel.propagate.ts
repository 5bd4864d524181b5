/**
 * Signal not propagated: inside a function that has an `AbortSignal` in scope (a parameter or local of that type,
 * or a parameter whose type has a `signal` property), a call that returns a promise and whose signature accepts a
 * signal (a parameter of type `AbortSignal`, or an options parameter with a `signal` property: `fetch`,
 * `setTimeout` from `timers/promises`, `events.once`, the kit's modules) but does not pass one. An options argument
 * that is not an object literal may carry the signal and is not reported, nor is a call in a branch where the signal
 * is absent (`if (!signal) { … }`), nor `setImmediate` from `timers/promises` (one turn of the event loop).
 */
import { ts } from 'ts-morph';
import { calleeName, exits, hasTypeNamed, isFunctionNode, isThenable, receiverOf, unwrap, walk, type FunctionNode } from '../ast.js';
import type { Rule, RuleContext } from '../rule.js';

const SIGNAL: ReadonlySet<string> = new Set(['AbortSignal']);
const SKIPPED_CALLEES: ReadonlySet<string> = new Set(['addEventListener', 'removeEventListener', 'any', 'timeout', 'abort', 'throwIfAborted']);

const inScope = new WeakMap<ts.Node, string | null>();

function isSignal(checker: ts.TypeChecker, type: ts.Type): boolean {
  return hasTypeNamed(checker, checker.getNonNullableType(type), SIGNAL);
}

function signalProperty(checker: ts.TypeChecker, type: ts.Type): boolean {
  const t = checker.getNonNullableType(type);
  if (t.isUnion()) return false;
  const prop = t.getProperty('signal');
  return prop !== undefined && isSignal(checker, checker.getTypeOfSymbol(prop));
}

/**
 * A declaration whose type the checker can only infer by checking other code (a callback's parameter, typed by the
 * call it is passed to; a local, typed by its initializer) is asked about only when its text names a signal
 * (`signal`, `{ signal }`, `= controller.signal`, `AbortSignal.timeout(…)`). Asking about every one of them in every
 * function was most of `check`'s time (a third to a half of a full `tsc` check; bench/check-precision.md, Speed).
 * Annotated parameters and locals are always asked: their type is read from the annotation.
 */
const NAMES_SIGNAL = /signal/i;

function worthAsking(declaration: ts.ParameterDeclaration | ts.VariableDeclaration | ts.BindingElement): boolean {
  if (!ts.isBindingElement(declaration) && declaration.type !== undefined) return true;
  if (ts.isParameter(declaration) && declaration.initializer !== undefined) return true;
  return NAMES_SIGNAL.test(declaration.getText());
}

/** The name of a signal the function holds (`signal`, `options.signal`), or null. */
function ownSignal(checker: ts.TypeChecker, fn: FunctionNode): string | null {
  const cached = inScope.get(fn);
  if (cached !== undefined) return cached;
  let found: string | null = null;
  for (const param of fn.parameters) {
    if (!worthAsking(param)) continue;
    const type = checker.getTypeAtLocation(param);
    if (ts.isIdentifier(param.name)) {
      if (isSignal(checker, type)) found = param.name.text;
      else if (signalProperty(checker, type)) found = `${param.name.text}.signal`;
    } else if (ts.isObjectBindingPattern(param.name)) {
      for (const el of param.name.elements) if (ts.isIdentifier(el.name) && isSignal(checker, checker.getTypeAtLocation(el))) found = el.name.text;
    }
    if (found !== null) break;
  }
  if (found === null && fn.body !== undefined) {
    walk(fn.body, (n) => {
      if (found !== null || isFunctionNode(n)) return false;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && worthAsking(n) && isSignal(checker, checker.getTypeAtLocation(n.name))) found = n.name.text;
      if (ts.isBindingElement(n) && ts.isIdentifier(n.name) && worthAsking(n) && isSignal(checker, checker.getTypeAtLocation(n.name))) found = n.name.text;
      return true;
    });
  }
  inScope.set(fn, found);
  return found;
}

function signalInScope(checker: ts.TypeChecker, node: ts.Node): string | null {
  for (let n = node.parent; n !== undefined; n = n.parent) {
    if (isFunctionNode(n)) {
      const own = ownSignal(checker, n);
      if (own !== null) return own;
    }
  }
  return null;
}

/**
 * True when `call` runs only where the signal is absent: in the `then` branch of `if (!signal)` /
 * `if (signal === undefined)` / `if (signal == null)`, in the `else` branch of `if (signal)`, or after an
 * `if (signal) … return`. There is no signal to pass there. The test may name the signal as the rule found it
 * (`options.signal`) or by its last segment (`signal`, a local copy). Found on set F of the precision study
 * (bench/check-precision.md): kysely keeps its signal-free path apart.
 */
function signalAbsent(call: ts.Node, name: string): boolean {
  const norm = (text: string): string => text.replace(/[\s?]+/g, '');
  const keys = new Set([norm(name), norm(name).split('.').pop() ?? '']);
  const names = (e: ts.Expression): boolean => keys.has(norm(unwrap(e).getText()));
  const absent = (e: ts.Expression): boolean => {
    const c = unwrap(e);
    if (ts.isPrefixUnaryExpression(c) && c.operator === ts.SyntaxKind.ExclamationToken) return names(c.operand);
    if (!ts.isBinaryExpression(c) || ![ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken].includes(c.operatorToken.kind)) return false;
    const empty = (x: ts.Expression): boolean => x.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(x) && x.text === 'undefined');
    return (names(c.left) && empty(unwrap(c.right))) || (names(c.right) && empty(unwrap(c.left)));
  };
  for (let n: ts.Node = call; n.parent !== undefined; n = n.parent) {
    const p = n.parent;
    if (ts.isIfStatement(p) && ((p.thenStatement === n && absent(p.expression)) || (p.elseStatement === n && names(p.expression)))) return true;
    if (ts.isBlock(p) || ts.isSourceFile(p)) {
      const before = p.statements.slice(0, p.statements.indexOf(n as ts.Statement));
      if (before.some((s) => ts.isIfStatement(s) && s.elseStatement === undefined && names(s.expression) && exits(s.thenStatement))) return true;
    }
  }
  return false;
}

/**
 * The platform's `setImmediate` from `timers/promises`: a wait of one turn of the event loop, over before an abort
 * could matter. Found on set I of the precision study (bench/check-precision.md): elasticsearch-js's semaphores yield
 * with `pImmediate(send)`.
 */
function oneTick(declaration: ts.Declaration): boolean {
  return ts.isFunctionDeclaration(declaration) && declaration.name?.text === 'setImmediate' && declaration.getSourceFile().isDeclarationFile;
}

function check(call: ts.CallExpression, ctx: RuleContext): void {
  const name = calleeName(call);
  if (SKIPPED_CALLEES.has(name)) return;
  const inScopeName = signalInScope(ctx.checker, call);
  if (inScopeName === null) return;
  const receiver = receiverOf(call);
  if (receiver !== undefined && isSignal(ctx.checker, ctx.checker.getTypeAtLocation(receiver))) return;
  if (!isThenable(ctx.checker, ctx.checker.getTypeAtLocation(call))) return;
  if (signalAbsent(call, inScopeName)) return;
  const signature = ctx.checker.getResolvedSignature(call);
  const declaration = signature?.getDeclaration();
  if (signature === undefined || declaration === undefined || oneTick(declaration)) return;
  const params = signature.getParameters();
  for (let i = 0; i < params.length; i++) {
    const param = params[i];
    if (param === undefined) continue;
    const decl = param.valueDeclaration;
    if (decl !== undefined && ts.isParameter(decl) && decl.dotDotDotToken !== undefined) return;
    const type = ctx.checker.getTypeOfSymbolAtLocation(param, call);
    const direct = isSignal(ctx.checker, type);
    const options = !direct && signalProperty(ctx.checker, type);
    if (!direct && !options) continue;
    const arg = call.arguments[i];
    if (arg !== undefined) {
      if (direct) return;
      const o = unwrap(arg);
      if (!ts.isObjectLiteralExpression(o)) return;
      if (o.properties.some((p) => ts.isSpreadAssignment(p) || (p.name !== undefined && p.name.getText() === 'signal'))) return;
    }
    ctx.report(call, `\`${name || call.expression.getText()}\` accepts a signal, but this call does not pass \`${inScopeName}\`: it keeps running after the caller aborts.`);
    return;
  }
}

/** The rule. */
export const cancelPropagate: Rule = {
  id: 'cancel.propagate',
  scope: 'non-test',
  kinds: [ts.SyntaxKind.CallExpression],
  rationale:
    'An abort only stops what hears it. A function that receives a signal and then calls `fetch`, a timer or another cancellable operation without passing it leaves that work running, holding sockets and memory, after the caller has given up.',
  notReported: 'A call whose options argument is not an object literal, or spreads one (it may carry the signal); a call in a branch where the signal is absent (`if (!signal) { … }`, the `else` of `if (signal)`, after `if (signal) return …`); `setImmediate` from `timers/promises`, a wait of one turn of the event loop.',
  fix: 'Pass the signal on: `fetch(url, { signal })`, `setTimeout(ms, value, { signal })` from `node:timers/promises`, `once(emitter, name, { signal })`; for a deadline over several calls use `npx concurrency-kit add deadline`.',
  visit(node, ctx) {
    check(node as ts.CallExpression, ctx);
  },
};
