/**
 * Lock not released on every path: an `acquire()` / `lock()` whose release (`release()`, `unlock()`, or calling the
 * releaser it returned) exists in the same function but not in a `finally`, and is not a `using` declaration. When
 * the function has no release at all, or the releaser escapes, the lock is managed elsewhere and is not reported.
 */
import { ts } from 'ts-morph';
import { calleeName, compact, enclosingFunction, isFunctionNode, isInFinally, isUsing, receiverOf, referencesTo } from '../ast.js';
import type { Rule } from '../rule.js';

const ACQUIRE: ReadonlySet<string> = new Set(['acquire', 'lock', 'acquireLock', 'acquireRead', 'acquireWrite', 'writeLock', 'readLock']);
const RELEASE: ReadonlySet<string> = new Set(['release', 'unlock', 'releaseLock', 'dispose']);

/** The rule. */
export const lockRelease: Rule = {
  id: 'lock.release',
  scope: 'all',
  kinds: [ts.SyntaxKind.CallExpression],
  rationale:
    'A lock or permit released only on the success path stays taken when the work throws or is aborted: every later caller waits forever, and the service deadlocks one failure at a time.',
  fix: 'Release in `finally` (`const release = await lock.acquire(); try { … } finally { release(); }`), or hold it with `using`; the kit\'s `npx concurrency-kit add mutex` and `semaphore` return disposable permits.',
  visit(node, ctx) {
    const call = node as ts.CallExpression;
    if (!ACQUIRE.has(calleeName(call))) return;
    const receiver = receiverOf(call);
    const fn = enclosingFunction(call);
    if (receiver === undefined || fn === undefined || fn.body === undefined) return;
    let expr: ts.Node = call;
    while (ts.isAwaitExpression(expr.parent) || ts.isParenthesizedExpression(expr.parent)) expr = expr.parent;
    const parent = expr.parent;
    const releases: ts.CallExpression[] = [];
    if (ts.isVariableDeclaration(parent) && parent.initializer === expr && ts.isIdentifier(parent.name)) {
      if (ts.isVariableDeclarationList(parent.parent) && isUsing(parent.parent)) return;
      const symbol = ctx.checker.getSymbolAtLocation(parent.name);
      if (symbol === undefined) return;
      for (const ref of referencesTo(ctx.checker, fn.body, symbol)) {
        if (ref === parent.name) continue;
        const p = ref.parent;
        if (ts.isCallExpression(p) && p.expression === ref) releases.push(p);
        else if (ts.isPropertyAccessExpression(p) && p.expression === ref && RELEASE.has(p.name.text) && ts.isCallExpression(p.parent)) releases.push(p.parent);
        else if (!ts.isPropertyAccessExpression(p)) return; // passed on, returned or stored: released elsewhere
      }
    } else if (ts.isExpressionStatement(parent)) {
      const key = compact(receiver);
      const visit = (n: ts.Node): void => {
        if (isFunctionNode(n)) return;
        if (ts.isCallExpression(n) && RELEASE.has(calleeName(n))) {
          const r = receiverOf(n);
          if (r !== undefined && compact(r) === key) releases.push(n);
        }
        n.forEachChild(visit);
      };
      fn.body.forEachChild(visit);
    } else return;
    if (releases.length === 0 || releases.some((r) => isInFinally(r, fn))) return;
    ctx.report(call, `This ${calleeName(call)}() is released only on the success path (line ${String(ctx.sourceFile.getLineAndCharacterOfPosition(releases[0]?.getStart(ctx.sourceFile) ?? 0).line + 1)}), not in a finally: a throw or an abort keeps it forever.`);
  },
};
