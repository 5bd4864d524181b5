import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileNameFor, moduleSpecifier, planAdd, type PlanInput } from '../../src/generate/plan.js';
import { parseManifest } from '../../src/patterns/manifest.js';

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
