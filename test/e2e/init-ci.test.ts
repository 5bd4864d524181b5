/**
 * `concurrency-kit init --ci github`: one workflow that runs check (SARIF uploaded to code scanning) and verify on
 * pull requests, installed with the project's package manager; idempotent; an edited workflow is kept unless --force.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempProject, snapshotTree, type TempProject } from '../helpers/temp-project.js';
import { runCli } from '../helpers/run-cli.js';

let project: TempProject | undefined;
afterEach(() => {
  project?.cleanup();
  project = undefined;
});

const WORKFLOW = '.github/workflows/concurrency-kit.yml';

/** The workflow at `path`, parsed as YAML after GitHub's own workflow parser found no error in it. */
function readWorkflow(path: string): Workflow {
  const content = readFileSync(path, 'utf8');
  const errors = parseWorkflow({ name: path, content }, new NoOperationTraceWriter()).context.errors.getErrors();
  expect(errors.map((e) => e.message)).toEqual([]);
  return parse(content) as Workflow;
}

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  name: string;
  jobs: { concurrency: { steps: { uses?: string; run?: string; with?: Record<string, string>; 'working-directory'?: string }[] } };
}

describe('init --ci github', () => {
  it('writes one workflow that checks, uploads SARIF and verifies on pull requests; a second run changes nothing', async () => {
    project = createTempProject({ 'package.json': { name: 'app', private: true }, 'package-lock.json': '{}' }, { linkModules: false });
    const first = await runCli(['init', '--ci', 'github', '--json'], project.dir);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ path: WORKFLOW, action: 'created' });
    const doc = readWorkflow(join(project.dir, WORKFLOW));
    expect(Object.keys(doc.on)).toContain('pull_request');
    expect(doc.permissions['security-events']).toBe('write');
    const steps = doc.jobs.concurrency.steps;
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npx concurrency-kit check --format sarif --output-file concurrency-kit.sarif', 'npx concurrency-kit verify', 'exit 1']);
    expect(steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))?.with?.['sarif_file']).toBe('concurrency-kit.sarif');
    const before = snapshotTree(project.dir);
    const second = await runCli(['init', '--ci', 'github', '--json'], project.dir);
    expect(JSON.parse(second.stdout)).toEqual({ path: WORKFLOW, action: 'unchanged' });
    expect(snapshotTree(project.dir)).toEqual(before);
    expect(Object.keys(before).filter((p) => p.endsWith('.yml'))).toEqual([WORKFLOW]);
  });

  it('keeps an edited workflow (and says so) unless --force; follows pnpm; refuses an unknown CI without writing', async () => {
    project = createTempProject({ 'package.json': { name: 'app', private: true }, 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }, { linkModules: false });
    expect((await runCli(['init', '--ci', 'github'], project.dir)).exitCode).toBe(0);
    const path = join(project.dir, WORKFLOW);
    expect(readFileSync(path, 'utf8')).toContain('run: pnpm install --frozen-lockfile');
    // No `packageManager` field for pnpm/action-setup to read: the workflow names a version.
    expect(readFileSync(path, 'utf8')).toContain('      - uses: pnpm/action-setup@v4\n        with:\n          version: 10\n');
    readWorkflow(path);
    writeFileSync(path, `${readFileSync(path, 'utf8')}# our own step\n`);
    const kept = await runCli(['init', '--ci', 'github'], project.dir);
    expect(kept.exitCode).toBe(0);
    expect(kept.stderr.replace(/\n\s*/g, ' ')).toContain('differs from what the kit writes (edited?); kept it. Pass --force to replace it.');
    expect(readFileSync(path, 'utf8')).toContain('# our own step');
    expect((await runCli(['init', '--ci', 'github', '--force'], project.dir)).exitCode).toBe(0);
    expect(readFileSync(path, 'utf8')).not.toContain('# our own step');
    const before = snapshotTree(project.dir);
    const bad = await runCli(['init', '--ci', 'jenkins'], project.dir);
    expect(bad.exitCode).toBe(2);
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('in one package of a monorepo: the workflow goes to the repository root, named after the package, installs at the lockfile and runs in the package', async () => {
    project = createTempProject(
      { 'package.json': { name: 'mono', private: true, workspaces: ['packages/*'] }, 'package-lock.json': '{}', 'packages/app/package.json': { name: 'app', private: true } },
      { linkModules: false },
    );
    execFileSync('git', ['init', '-q'], { cwd: project.dir });
    const app = join(project.dir, 'packages', 'app');
    const path = '.github/workflows/concurrency-kit-packages-app.yml';
    const first = await runCli(['init', '--ci', 'github', '--json'], app);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ path: `../../${path}`, action: 'created' });
    expect(existsSync(join(app, '.github'))).toBe(false);
    const doc = readWorkflow(join(project.dir, path));
    expect(doc.name).toBe('concurrency-kit (packages/app)');
    const steps = doc.jobs.concurrency.steps;
    const step = (run: string) => steps.find((s) => s.run === run);
    expect(step('npm ci')?.['working-directory']).toBeUndefined();
    expect(step('npx concurrency-kit check --format sarif --output-file concurrency-kit.sarif')?.['working-directory']).toBe('packages/app');
    expect(step('npx concurrency-kit verify')?.['working-directory']).toBe('packages/app');
    expect(steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))?.with).toEqual({ sarif_file: 'packages/app/concurrency-kit.sarif', category: 'concurrency-kit-packages-app' });
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with).toEqual({ 'node-version': 'lts/*', cache: 'npm' });
    const before = snapshotTree(project.dir);
    expect(JSON.parse((await runCli(['init', '--ci', 'github', '--json'], app)).stdout)).toEqual({ path: `../../${path}`, action: 'unchanged' });
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('a project in a folder of a repository with its own lockfile: installs there, and tells setup-node where the lockfile is', async () => {
    project = createTempProject(
      { 'README.md': '# docs and a web app\n', 'web/package.json': { name: 'web', private: true, packageManager: 'pnpm@10.12.1' }, 'web/pnpm-lock.yaml': "lockfileVersion: '9.0'\n" },
      { linkModules: false },
    );
    execFileSync('git', ['init', '-q'], { cwd: project.dir });
    const r = await runCli(['init', '--ci', 'github', '--json'], join(project.dir, 'web'));
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = readWorkflow(join(project.dir, '.github/workflows/concurrency-kit-web.yml'));
    const steps = doc.jobs.concurrency.steps;
    expect(steps.find((s) => s.run === 'pnpm install --frozen-lockfile')?.['working-directory']).toBe('web');
    expect(steps.find((s) => s.run?.startsWith('pnpm exec concurrency-kit check'))?.['working-directory']).toBe('web');
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with).toEqual({ 'node-version': 'lts/*', cache: 'pnpm', 'cache-dependency-path': 'web/pnpm-lock.yaml' });
    expect(steps.find((s) => s.uses?.startsWith('pnpm/action-setup@'))?.with).toEqual({ package_json_file: 'web/package.json' });
  });
});
