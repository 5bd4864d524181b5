/** Which files are written and what is installed, given what the project declares. */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { addAgainCommand, dependencyWarnings, installDependencies, planDependencies, type DependencyInput } from '../../src/generate/dependencies.js';
import { ProjectError } from '../../src/errors.js';
import { createTempProject, type TempProject } from '../helpers/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const templates = { module: 'export class Pool {}\n', test: "import { it } from 'vitest';\nimport { once } from 'node:events';\n", bench: "import { bench } from 'vitest';\n" };
const input = (over: Partial<DependencyInput> = {}): DependencyInput => ({
  roles: ['module', 'test', 'bench'],
  testSide: new Set(['test', 'bench']),
  testDependencies: [],
  declared: new Set(['vitest', '@types/node']),
  templates,
  packageManager: 'npm',
  install: false,
  kitVitestVersion: '4.1.12',
  nodeMajor: 20,
  ...over,
});
const again = { pattern: 'worker-pool', dir: 'src/concurrency', name: undefined, options: new Map<string, string | number | boolean>(), cwd: undefined };

describe('planning dependencies', () => {
  it('companions follow their side: a module-side one is kept without vitest, a test-side one is skipped with the test and bench', () => {
    const plan = planDependencies(input({
      roles: ['module', 'worker', 'test', 'bench', 'task'],
      testSide: new Set(['test', 'bench', 'task']),
      declared: new Set(['@types/node']),
      templates: { ...templates, worker: 'export {};\n', task: 'export {};\n' },
    }));
    expect(plan.roles).toEqual(['module', 'worker']);
    expect(plan.skipped).toEqual(['test', 'bench', 'task']);
    expect(plan.missing).toEqual(['vitest@^4.1']);
  });

  it("a manifest's test dependency missing skips the test-side files like vitest does, and --install installs it", () => {
    const over = { roles: ['module', 'test', 'bench'], testDependencies: ['tsx'], declared: new Set(['vitest', '@types/node']) } as const;
    const skipped = planDependencies(input(over));
    expect(skipped).toMatchObject({ roles: ['module'], skipped: ['test', 'bench'], skipReason: 'test-dependency-not-declared', missing: ['tsx'], installCommand: ['npm', 'install', '--save-dev', 'tsx'], install: false });
    expect(dependencyWarnings(skipped, again)[0]).toContain('files need tsx to run');
    expect(planDependencies(input({ ...over, install: true }))).toMatchObject({ roles: ['module', 'test', 'bench'], skipped: [], missing: ['tsx'], install: true });
    // Declared: nothing to do. Without test-side files: not needed at all.
    expect(planDependencies(input({ ...over, declared: new Set(['vitest', 'tsx', '@types/node']) })).missing).toEqual([]);
    expect(planDependencies(input({ ...over, roles: ['module'] })).missing).toEqual([]);
  });

  it('add --yes installs a missing test dependency when vitest is declared, and never vitest itself', () => {
    const over = { roles: ['module', 'test', 'bench'], testDependencies: ['tsx'], installTestDependencies: true } as const;
    const yes = planDependencies(input(over));
    expect(yes).toMatchObject({ roles: ['module', 'test', 'bench'], skipped: [], missing: [], installCommand: null, testDependencyCommand: ['npm', 'install', '--save-dev', 'tsx'] });
    expect(dependencyWarnings(yes, again)).toEqual([]);
    // Without vitest the test side is skipped as before: nothing is installed, the warning names both.
    const noVitest = planDependencies(input({ ...over, declared: new Set(['@types/node']) }));
    expect(noVitest).toMatchObject({ roles: ['module'], skipped: ['test', 'bench'], skipReason: 'vitest-not-declared', missing: ['vitest@^4.1', 'tsx'], testDependencyCommand: null });
    // With --install everything missing goes in the one install command.
    expect(planDependencies(input({ ...over, install: true }))).toMatchObject({ missing: ['tsx'], install: true, testDependencyCommand: null });
  });

  it('writes everything and installs nothing when the project declares vitest and @types/node', () => {
    expect(planDependencies(input())).toEqual({ roles: ['module', 'test', 'bench'], skipped: [], skipReason: null, missing: [], installCommand: null, install: false, testDependencyCommand: null });
  });

  it('without vitest declared: the module only, the test and bench skipped, the install command for its package manager', () => {
    const plan = planDependencies(input({ declared: new Set(['@types/node']), packageManager: 'pnpm' }));
    expect(plan).toEqual({
      roles: ['module'],
      skipped: ['test', 'bench'],
      skipReason: 'vitest-not-declared',
      missing: ['vitest@^4.1'],
      installCommand: ['pnpm', 'add', '--save-dev', 'vitest@^4.1'],
      install: false,
      testDependencyCommand: null,
    });
    expect(dependencyWarnings(plan, again)).toEqual([
      'the project does not declare vitest in package.json, so only the module was written: its test and bench files import vitest and would break `tsc` without it. Install with `pnpm add --save-dev vitest@^4.1`, then add them with `npx concurrency-kit add worker-pool src/concurrency --overwrite --yes` (or run add with --install).',
    ]);
  });

  it('with --install: keeps every file and installs vitest, and @types/node when a file imports node:*', () => {
    const plan = planDependencies(input({ declared: new Set(), install: true, packageManager: 'yarn' }));
    expect(plan).toMatchObject({ roles: ['module', 'test', 'bench'], skipped: [], missing: ['vitest@^4.1', '@types/node@^20'], install: true });
    expect(plan.installCommand).toEqual(['yarn', 'add', '--dev', 'vitest@^4.1', '@types/node@^20']);
    expect(dependencyWarnings(plan, again)).toEqual([]);
  });

  it('asks for @types/node only when a written file imports node:* modules', () => {
    const withoutTypes = planDependencies(input({ declared: new Set(['vitest']) }));
    expect(withoutTypes.missing).toEqual(['@types/node@^20']);
    expect(dependencyWarnings(withoutTypes, again)).toEqual([
      'the project does not declare @types/node in package.json, which the new files import: install with `npm install --save-dev @types/node@^20` (or run add with --install).',
    ]);
    expect(planDependencies(input({ declared: new Set(['vitest']), roles: ['module', 'bench'] })).missing).toEqual([]);
    // Skipped tests need neither.
    expect(planDependencies(input({ declared: new Set() })).missing).toEqual(['vitest@^4.1']);
  });

  it('needs nothing for a module alone (--no-test --no-bench)', () => {
    expect(planDependencies(input({ declared: new Set(), roles: ['module'] }))).toMatchObject({ roles: ['module'], skipped: [], installCommand: null });
  });

  it('repeats the name, options and --cwd in the command that adds the skipped files', () => {
    const command = addAgainCommand({ pattern: 'rate-limiter', dir: 'src/limits', name: 'Bucket', options: new Map([['capacity', 10]]), cwd: 'apps/api' });
    expect(command).toEqual(['npx', 'concurrency-kit', 'add', 'rate-limiter', 'src/limits', '--name', 'Bucket', '--set', 'capacity=10', '--cwd', 'apps/api', '--overwrite', '--yes']);
  });
});

describe('installing', () => {
  it('runs the command in the project root', async () => {
    project = createTempProject({}, { linkModules: false });
    await installDependencies([process.execPath, '-e', "require('node:fs').writeFileSync('installed', '')"], project.dir);
    expect(existsSync(join(project.dir, 'installed'))).toBe(true);
  });

  it('throws ERR_INSTALL naming the command when it fails', async () => {
    project = createTempProject({}, { linkModules: false });
    const failing = installDependencies([process.execPath, '-e', 'process.exit(7)'], project.dir);
    await expect(failing).rejects.toThrow(ProjectError);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_INSTALL', message: expect.stringMatching(/failed \(exit 7\); nothing was generated/) });
  });
});
