/**
 * Poll-and-sleep: a loop in an async function whose only awaits are sleeps (`sleep`/`delay`/`wait`, `setTimeout`
 * from `timers/promises`, `new Promise((r) => setTimeout(r, ms))`) and which re-reads a flag (a variable or a field,
 * not a call) that the loop itself never writes, in its condition or in an `if (…) break`/`return` inside it. A
 * loop that does other awaited work is a periodic job, not a poll, and is not reported; nor is a counter.
 */
import { ts } from 'ts-morph';
import { calleeName, compact, isAssignment, isFunctionNode, isThenable, unwrap, walk } from '../ast.js';
import type { Rule, RuleContext } from '../rule.js';

const SLEEP_NAMES = /^(sleep|delay|wait|pause|timeout|setTimeout|setTimeoutPromise|waitFor|snooze)$/;

function isSleep(ctx: RuleContext, expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (ts.isCallExpression(e) && SLEEP_NAMES.test(calleeName(e))) return calleeName(e) !== 'setTimeout' || isThenable(ctx.checker, ctx.checker.getTypeAtLocation(e));
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise') {
    let timer = false;
    const executor = e.arguments?.[0];
    if (executor !== undefined) walk(executor, (n) => {
      if (ts.isCallExpression(n) && calleeName(n) === 'setTimeout') timer = true;
    });
    return timer;
  }
  return false;
}

/** The flags an expression reads: identifiers and property accesses compared for equality or negated. */
function flagsOf(expr: ts.Expression): ts.Expression[] | null {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return e.text === 'undefined' ? null : [e];
  if (ts.isPropertyAccessExpression(e)) return e.name.text === 'aborted' || e.name.text === 'length' ? null : [e];
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return flagsOf(e.operand);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken) {
      const l = flagsOf(e.left);
      const r = flagsOf(e.right);
      return l === null || r === null ? null : [...l, ...r];
    }
    if ([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(op)) {
      const literal = (x: ts.Expression): boolean => ts.isLiteralExpression(x) || [ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(x.kind) || (ts.isIdentifier(x) && x.text === 'undefined');
      if (literal(unwrap(e.right))) return flagsOf(e.left);
      if (literal(unwrap(e.left))) return flagsOf(e.right);
    }
  }
  return null;
}

function isForever(loop: ts.IterationStatement): boolean {
  if (ts.isForStatement(loop)) return loop.condition === undefined && loop.initializer === undefined && loop.incrementor === undefined;
  if (ts.isWhileStatement(loop) || ts.isDoStatement(loop)) return loop.expression.kind === ts.SyntaxKind.TrueKeyword;
  return false;
}

/** The rule. */
export const syncPollSleep: Rule = {
  id: 'sync.poll-sleep',
  scope: 'non-test',
  kinds: [ts.SyntaxKind.WhileStatement, ts.SyntaxKind.DoStatement, ts.SyntaxKind.ForStatement],
  rationale:
    'Sleeping in a loop until a flag flips adds up to a whole interval of latency to every wait, wakes the process for nothing in between, and hides the ordering between the writer and the waiter instead of expressing it.',
  fix: "Wait for the event itself: have the writer resolve a promise (a latch), emit an event (`await once(emitter, 'ready', { signal })`), or hand values over a channel: `npx concurrency-kit add channel` or `broadcast`.",
  visit(node, ctx) {
    const loop = node as ts.WhileStatement | ts.DoStatement | ts.ForStatement;
    let sleeps = 0;
    let other = false;
    const written = new Set<string>();
    walk(loop.statement, (n) => {
      if (isFunctionNode(n)) return false;
      if (ts.isAwaitExpression(n)) {
        if (isSleep(ctx, n.expression)) sleeps++;
        else other = true;
      }
      if (ts.isForOfStatement(n) && n.awaitModifier !== undefined) other = true;
      if (isAssignment(n)) written.add(compact(unwrap(n.left)));
      if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) written.add(compact(unwrap(n.operand)));
      return true;
    });
    if (sleeps === 0 || other) return;
    let flags: ts.Expression[] | null = null;
    if (isForever(loop)) {
      const body = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
      for (const s of body) {
        if (ts.isIfStatement(s) && (ts.isBreakStatement(s.thenStatement) || ts.isReturnStatement(s.thenStatement) || (ts.isBlock(s.thenStatement) && s.thenStatement.statements.length === 1 && (ts.isBreakStatement(s.thenStatement.statements[0]!) || ts.isReturnStatement(s.thenStatement.statements[0]!))))) {
          flags = flagsOf(s.expression);
          if (flags !== null) break;
        }
      }
    } else if (!ts.isForStatement(loop) || (loop.initializer === undefined && loop.incrementor === undefined && loop.condition !== undefined)) {
      const condition = ts.isForStatement(loop) ? loop.condition : loop.expression;
      if (condition !== undefined) flags = flagsOf(condition);
    }
    if (flags === null || flags.length === 0) return;
    if (flags.some((f) => written.has(compact(f)))) return;
    ctx.report(loop, `This loop sleeps until \`${flags.map((f) => f.getText()).join('`, `')}\` changes: wait for the event that changes it instead.`);
  },
};
