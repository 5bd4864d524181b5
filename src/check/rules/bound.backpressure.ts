/**
 * Ignored backpressure: inside a loop, `stream.write(…)` on a Node writable stream as a statement, its `false`
 * ("buffer full, wait for drain") dropped, in a loop that never waits for `'drain'`. `process.stdout` and
 * `process.stderr`, also as a CLI framework's context holds them (`this.context.stdout`), are not reported (terminal
 * output, and Node writes them synchronously to files and TTYs), nor is a
 * write that its block leaves the loop right after (`return`, `break`, `throw`): it writes once, not once per turn, nor
 * one to a stream named through the loop's variable (each turn writes once to another stream).
 */
import { ts } from 'ts-morph';
import { compact, contains, isFunctionNode, isLoop, isStringLiteral, receiverOf, unwrap, walk } from '../ast.js';
import type { Rule } from '../rule.js';

function nearestLoop(node: ts.Node): ts.IterationStatement | undefined {
  for (let n = node.parent; n !== undefined; n = n.parent) {
    if (isFunctionNode(n)) return undefined;
    if (isLoop(n)) return n;
  }
  return undefined;
}

/**
 * True when the statements after the write, in its own block, leave the loop (`return`, `break` without a label,
 * `throw`): the loop writes at most once. Found in the precision study: thelounge's identd reply.
 */
function leavesLoopAfter(statement: ts.Statement, loop: ts.IterationStatement): boolean {
  const block = statement.parent;
  if (!ts.isBlock(block)) return false;
  let inSwitch = false; // a `break` there leaves the switch, not the loop
  for (let n: ts.Node = block; n !== loop && n.parent !== undefined; n = n.parent) if (ts.isCaseBlock(n)) inSwitch = true;
  const rest = block.statements.slice(block.statements.indexOf(statement) + 1);
  return rest.some((s) => ts.isReturnStatement(s) || ts.isThrowStatement(s) || (ts.isBreakStatement(s) && s.label === undefined && !inSwitch));
}

/**
 * True when the stream written to is named through the loop's own variable (`for (const t of trackers)
 * t.stream.write(…)`, `streams[i].write(…)`): each turn writes once to another stream, so none of them builds up a
 * buffer. Found on set I of the precision study (bench/check-precision.md): Pub/Sub's `setStreamAckDeadline` tells each
 * stream of its pool once.
 */
function perTurnStream(checker: ts.TypeChecker, receiver: ts.Expression, loop: ts.IterationStatement): boolean {
  const head = ts.isForStatement(loop) || ts.isForOfStatement(loop) || ts.isForInStatement(loop) ? loop.initializer : undefined;
  if (head === undefined) return false;
  const declaredInHead = (n: ts.Node): boolean => {
    const decl = ts.isIdentifier(n) ? checker.getSymbolAtLocation(n)?.valueDeclaration : undefined;
    return decl !== undefined && contains(head, decl);
  };
  let found = declaredInHead(receiver);
  walk(receiver, (n) => {
    found ||= declaredInHead(n);
    return !found;
  });
  return found;
}

function mentionsDrain(node: ts.Node): boolean {
  let found = false;
  walk(node, (n) => {
    if (found) return false;
    if (isStringLiteral(n, 'drain') || (ts.isIdentifier(n) && /drain/i.test(n.text))) found = true;
    return true;
  });
  return found;
}

/** The rule. */
export const boundBackpressure: Rule = {
  id: 'bound.backpressure',
  scope: 'non-test',
  kinds: [ts.SyntaxKind.CallExpression],
  rationale:
    "`write()` returns false when the stream's buffer is past its high-water mark. A loop that ignores it buffers everything it produces in memory, however slow the consumer is.",
  notReported:
    "`process.stdout` and `process.stderr`, also when a CLI framework's context holds them (`this.context.stdout`); a loop that waits for `'drain'` anywhere in its function; a write its block leaves the loop right after (`return`, `break`, `throw`); a write to a stream named through the loop's variable (`for (const s of streams) s.write(…)`: each turn writes once to another stream).",
  fix: "When `write()` returns false, wait for `'drain'` (`await once(stream, 'drain')`) before writing more, or use `stream.pipeline` with a generator; a bounded producer-consumer stage is `npx concurrency-kit add pipeline`.",
  visit(node, ctx) {
    const call = node as ts.CallExpression;
    const callee = unwrap(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'write' || !ts.isExpressionStatement(call.parent)) return;
    const receiver = receiverOf(call);
    // The terminal: `process.stdout`, or the same stream held by a CLI framework's context (`this.context.stdout`).
    if (receiver === undefined || /(^|\.)(stdout|stderr)$/.test(compact(receiver))) return;
    const loop = nearestLoop(call);
    if (loop === undefined || leavesLoopAfter(call.parent, loop) || perTurnStream(ctx.checker, receiver, loop)) return;
    const type = ctx.checker.getNonNullableType(ctx.checker.getTypeAtLocation(receiver));
    if (type.getProperty('writableHighWaterMark') === undefined) return;
    const fn = ((): ts.Node => {
      for (let n: ts.Node = loop; n.parent !== undefined; n = n.parent) if (isFunctionNode(n)) return n;
      return ctx.sourceFile;
    })();
    if (mentionsDrain(fn)) return;
    ctx.report(call, `The result of \`${receiver.getText()}.write()\` is ignored in a loop: when the buffer is full the loop keeps writing into memory.`);
  },
};
