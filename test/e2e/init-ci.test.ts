/**
 * `concurrency-kit init --ci github`: one workflow that runs check (SARIF uploaded to code scanning) and verify on
 * pull requests, installed with the project's package manager; idempotent; an edited workflow is kept unless --force.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: { concurrency: { steps: { uses?: string; run?: string; with?: Record<string, string> }[] } };
}

describe('init --ci github', () => {
  it('writes one workflow that checks, uploads SARIF and verifies on pull requests; a second run changes nothing', async () => {
    project = createTempProject({ 'package.json': { name: 'app', private: true }, 'package-lock.json': '{}' }, { linkModules: false });
    const first = await runCli(['init', '--ci', 'github', '--json'], project.dir);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ path: WORKFLOW, action: 'created' });
    const doc = parse(readFileSync(join(project.dir, WORKFLOW), 'utf8')) as Workflow;
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
});
