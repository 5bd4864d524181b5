import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileNameFor, moduleSpecifier, planAdd, type PlanInput } from '../../src/generate/plan.js';
import { parseManifest } from '../../src/patterns/manifest.js';
import { rolesFor } from '../../src/patterns/registry.js';

const roles = ['module', 'test', 'bench'] as const;
const budget = { throughputOpsPerSec: 1000, p99Ms: 5, heapGrowthBytes: 1_000_000 };
const manifest = parseManifest('m', { id: 'worker-pool', description: 'd', defaultName: 'WorkerPool', options: [], budget, checklist: { agent: 'concurrency-specialist', proofs: {} } }, 'worker-pool');
const cwd = join('/', 'work', 'app');
const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  manifest,
  options: {},
  name: 'WorkerPool',
  cwd,
  outDir: join(cwd, 'src', 'concurrency'),
  importStyle: 'js',
  moduleFormat: 'esm',
  asyncDispose: true,
  kitVersion: '1.2.3',
  roles: ['module', 'test', 'bench'],
  existing: new Set(),
  overwrite: false,
  ...over,
});

describe('planning', () => {
  it('plans companion files as <id>.<role><ext> beside the module, with their specifiers and stems in the context', () => {
    const companions = [
      { role: 'worker', with: 'module', description: 'w' },
      { role: 'task', with: 'tests', description: 't' },
    ];
    const withCompanions = parseManifest('m', { id: 'thread-pool', description: 'd', defaultName: 'ThreadPool', options: [], budget, checklist: { agent: 'concurrency-specialist', proofs: {} }, companions, testDependencies: ['tsx'] }, 'thread-pool');
    expect(rolesFor(withCompanions, { test: true, bench: true })).toEqual(['module', 'worker', 'test', 'bench', 'task']);
    expect(rolesFor(withCompanions, { test: false, bench: true })).toEqual(['module', 'worker', 'bench', 'task']);
    expect(rolesFor(withCompanions, { test: false, bench: false })).toEqual(['module', 'worker']);
    const plan = planAdd(input({ manifest: withCompanions, name: 'ThreadPool', roles: rolesFor(withCompanions, { test: true, bench: true }), extension: '.mts', testNaming: 'spec' }));
    expect(plan.files.map((f) => f.displayPath)).toEqual([
      'src/concurrency/thread-pool.mts',
      'src/concurrency/thread-pool.worker.mts',
      'src/concurrency/thread-pool.spec.mts',
      'src/concurrency/thread-pool.bench.mts',
      'src/concurrency/thread-pool.task.mts',
    ]);
    expect(plan.context.specifiers).toEqual({ module: './thread-pool.mjs', worker: './thread-pool.worker.mjs', task: './thread-pool.task.mjs' });
    expect(plan.context.stems).toEqual({ module: 'thread-pool', worker: 'thread-pool.worker', task: 'thread-pool.task' });
  });

  it('refuses a manifest companion that is malformed, reserved or declared twice', () => {
    const parse = (companions: unknown, testDependencies?: unknown): unknown =>
      parseManifest('m.json', { id: 'p', description: 'd', defaultName: 'P', options: [], budget, checklist: { agent: 'concurrency-specialist', proofs: {} }, companions, testDependencies }, 'p');
    expect(() => parse([{ role: 'test', with: 'tests', description: 'x' }])).toThrow(/companions\[0\]\.role "test" is reserved/);
    expect(() => parse([{ role: 'Worker', with: 'module', description: 'x' }])).toThrow(/must be kebab-case/);
    expect(() => parse([{ role: 'worker', with: 'both', description: 'x' }])).toThrow(/companions\[0\]\.with must be "module" or "tests"/);
    expect(() => parse([{ role: 'worker', with: 'module', description: 'x' }, { role: 'worker', with: 'tests', description: 'y' }])).toThrow(/declared twice/);
    expect(() => parse([], ['tsx', 'Not A Package'])).toThrow(/testDependencies must be an array of npm package names/);
    expect(parse(undefined)).toMatchObject({ companions: [], testDependencies: [] });
  });

  it('names files after the pattern id', () => {
    expect(roles.map((r) => fileNameFor('sharded-cache', r))).toEqual(['sharded-cache.ts', 'sharded-cache.test.ts', 'sharded-cache.bench.ts']);
  });

  it('names the test file *.spec.ts under spec naming; the bench stays *.bench.ts', () => {
    expect(roles.map((r) => fileNameFor('sharded-cache', r, { testNaming: 'spec' }))).toEqual(['sharded-cache.ts', 'sharded-cache.spec.ts', 'sharded-cache.bench.ts']);
    expect(roles.map((r) => fileNameFor('sharded-cache', r, { testNaming: 'spec', extension: '.mts' }))).toEqual([
      'sharded-cache.mts',
      'sharded-cache.spec.mts',
      'sharded-cache.bench.mts',
    ]);
  });

  it('writes import specifiers in the style asked for (.js, .ts or none), always POSIX', () => {
    expect(moduleSpecifier('worker-pool', 'js')).toBe('./worker-pool.js');
    expect(moduleSpecifier('worker-pool', 'ts')).toBe('./worker-pool.ts');
    expect(moduleSpecifier('worker-pool', 'none')).toBe('./worker-pool');
    expect(moduleSpecifier('worker-pool', 'js', '.mts')).toBe('./worker-pool.mjs');
    expect(moduleSpecifier('worker-pool', 'ts', '.cts')).toBe('./worker-pool.cts');
  });

  it('plans *.spec.ts test files and their specifier under spec naming and .ts imports', () => {
    const plan = planAdd(input({ testNaming: 'spec', importStyle: 'ts' }));
    expect(plan.files.map((f) => f.displayPath)).toEqual(['src/concurrency/worker-pool.ts', 'src/concurrency/worker-pool.spec.ts', 'src/concurrency/worker-pool.bench.ts']);
    expect(plan.context.moduleSpecifier).toBe('./worker-pool.ts');
  });

  it('plans three creates with POSIX display paths and a typed context', () => {
    const plan = planAdd(input());
    expect(plan.files.map((f) => [f.role, f.displayPath, f.action])).toEqual([
      ['module', 'src/concurrency/worker-pool.ts', 'create'],
      ['test', 'src/concurrency/worker-pool.test.ts', 'create'],
      ['bench', 'src/concurrency/worker-pool.bench.ts', 'create'],
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.context).toMatchObject({
      kit: { name: 'concurrency-kit', version: '1.2.3' },
      pattern: { id: 'worker-pool' },
      name: 'WorkerPool',
      moduleSpecifier: './worker-pool.js',
      target: { moduleFormat: 'esm', asyncDispose: true },
    });
  });

  it('drops roles turned off with --no-test/--no-bench', () => {
    expect(planAdd(input({ roles: ['module'] })).files.map((f) => f.role)).toEqual(['module']);
  });

  it('reports existing files as conflicts unless overwrite is on', () => {
    const existing = new Set([join(cwd, 'src', 'concurrency', 'worker-pool.ts')]);
    const refused = planAdd(input({ existing }));
    expect(refused.conflicts.map((f) => f.displayPath)).toEqual(['src/concurrency/worker-pool.ts']);
    const allowed = planAdd(input({ existing, overwrite: true }));
    expect(allowed.conflicts).toEqual([]);
    expect(allowed.files[0]!.action).toBe('overwrite');
  });
});
