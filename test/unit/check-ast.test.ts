/**
 * `mayReturnThenable`: the shortcut the rules take before typing a call. It must never say "not thenable" for a call
 * the checker types as thenable, and it must stay cheap on long chains of overloaded calls.
 */
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { afterEach, describe, expect, it } from 'vitest';
import { isThenable, mayReturnThenable } from '../../src/check/ast.js';
import { programInputs } from '../../src/check/files.js';
import { createCheckProgram } from '../../src/check/program.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';

const TSCONFIG = { compilerOptions: { target: 'ES2022', lib: ['ES2022'], module: 'ESNext', moduleResolution: 'Bundler', types: [], strict: true, noEmit: true }, include: ['src'] };
const chain = (n: number): string => Array.from({ length: n }, (_, i) => `.add('${String(i)}')`).join('');

const SOURCE = `
declare class Suite {
  add(name: string): Suite;
  add(name: string, fn: () => void): Suite;
  add(options: { name: string }): Suite;
  run(): void;
  start(): Promise<void>;
}
declare const suite: Suite;
interface Assertion<T> { toBe(expected: T): void; not: Assertion<T>; resolves: { [K in keyof Assertion<T>]: (...args: unknown[]) => Promise<void> } }
declare const expectLike: { <T>(actual: T): Assertion<T>; (val: any): { other(): void } };
declare function table(): Record<string, () => Promise<void>>;
declare function box<T>(value: T): { get(): T };
suite${chain(40)}.run();
suite${chain(40)}.start();
expectLike(1).toBe(1);
expectLike(1).not.toBe(2);
expectLike(Promise.resolve(1)).resolves.toBe(1);
table().load();
box(Promise.resolve(1)).get();
box(1).get();
`;

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('mayReturnThenable', () => {
  it('says "may be thenable" for every call the checker types as thenable, and decides long overloaded chains', () => {
    project = createTempProject({ 'package.json': { name: 'p', private: true, type: 'module' }, 'tsconfig.json': TSCONFIG, 'src/a.ts': SOURCE }, { linkModules: false });
    const [input] = programInputs(join(project.dir, 'tsconfig.json'), project.dir);
    const program = createCheckProgram(input!);
    const checker = program.getTypeChecker();
    const file = program.getSourceFile(join(project.dir, 'src', 'a.ts'))!;
    const calls = file.statements.filter(ts.isExpressionStatement).map((s) => s.expression as ts.CallExpression);
    const thenable = calls.map((c) => isThenable(checker, checker.getTypeAtLocation(c)));
    const may = calls.map((c) => mayReturnThenable(checker, c));
    expect(thenable).toEqual([false, true, false, false, true, true, true, false]);
    // Never "not thenable" where the checker says thenable. Decided without typing: the 40-call chains, chai's
    // overload without \`toBe\`. Left to the checker: a mapped type, an index signature, a generic return (\`box(1)\`).
    expect(may).toEqual([false, true, false, false, true, true, true, true]);
  });
});
