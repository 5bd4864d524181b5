/**
 * `node bench/ts7-probe.mjs <code base> <tsconfig>`: what TypeScript 7's own JavaScript API
 * (`typescript/unstable/sync`, a client of the native compiler) costs for the first questions `check` asks, on a code
 * base whose `node_modules/typescript` is 7 or later. bench/check.ts runs it next to `check` and `tsc --noEmit`.
 *
 * It loads the tsconfig's program, walks the AST of every file `check` would read (not declaration files, not
 * `node_modules`), asks the type of every call statement in one batched request (the question `errors.unhandled`
 * starts from) and whether each may be thenable (one request per type), then times 200 single `getSymbolAtLocation`
 * requests for the cost of one round trip. This is a floor for a `check` built on that API, not a port of it: the
 * rules ask many dependent questions, each a round trip unless batched.
 *
 * Prints one JSON line: files, AST nodes, call statements, thenable ones, and milliseconds per phase.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [base, tsconfig] = process.argv.slice(2);
if (base === undefined || tsconfig === undefined) throw new Error('usage: node bench/ts7-probe.mjs <code base> <tsconfig>');
const require = createRequire(resolve(base, 'package.json'));
const load = (specifier) => import(pathToFileURL(require.resolve(specifier)).href);
const { API, TypeFlags } = await load('typescript/unstable/sync');
const { SyntaxKind } = await load('typescript/unstable/ast');

const t0 = performance.now();
const api = new API({ cwd: resolve(base) });
const project = api.updateSnapshot({ openProjects: [resolve(tsconfig)] }).getProjects()[0];
if (project === undefined) throw new Error(`TypeScript 7 opened no project for ${tsconfig}`);
const { program, checker } = project;
const t1 = performance.now();

const calls = [];
const identifiers = [];
let nodes = 0;
const own = program.getSourceFileNames().filter((name) => !name.endsWith('.d.ts') && !name.includes('/node_modules/'));
for (const name of own) {
  const file = program.getSourceFile(name);
  if (file === undefined) continue;
  const visit = (node) => {
    nodes++;
    if (node.kind === SyntaxKind.ExpressionStatement && node.expression.kind === SyntaxKind.CallExpression) calls.push(node.expression);
    if (node.kind === SyntaxKind.Identifier && identifiers.length < 200) identifiers.push(node);
    node.forEachChild(visit);
  };
  file.forEachChild(visit);
}
const t2 = performance.now();

const thenable = (type) =>
  (type.flags & TypeFlags.Union) !== 0 ? type.getTypes().some(thenable) : checker.getPropertyOfType(type, 'then') !== undefined;
const types = calls.length === 0 ? [] : checker.getTypeAtLocation(calls);
const thenables = types.filter((type) => type !== undefined && thenable(type)).length;
const t3 = performance.now();

for (const identifier of identifiers) checker.getSymbolAtLocation(identifier);
const t4 = performance.now();
api.close();

console.log(
  JSON.stringify({
    files: own.length,
    nodes,
    callStatements: calls.length,
    thenable: thenables,
    loadMs: Math.round(t1 - t0),
    walkMs: Math.round(t2 - t1),
    typeMs: Math.round(t3 - t2),
    roundTripMs: identifiers.length === 0 ? null : Number(((t4 - t3) / identifiers.length).toFixed(3)),
  }),
);
