/**
 * Every generated module's own tests pass under the leak detector with nothing reported (include = the module
 * file and its module-side companions, wired as `verify` wires it), and a leak planted in a generated module is caught where it was planted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultContext, type TemplateContext } from '../../src/generate/context.js';
import { renderTemplate } from '../../src/generate/render.js';
import { listPatterns, loadPattern, templateOf } from '../../src/patterns/registry.js';
import { fileNameFor } from '../../src/generate/plan.js';
import { moduleSideCompanions } from '../../src/verify/find.js';
import { runUnderDetector } from '../helpers/leak-run.js';
import { createTempProject, esmProjectTree, type TempProject } from '../helpers/temp-project.js';

const patterns = listPatterns().map((m) => m.id);

function contextFor(id: string): TemplateContext {
  return defaultContext(loadPattern(id).manifest, { moduleFormat: 'esm', asyncDispose: false }, '0.0.0-test');
}

/** Renders a pattern's module and test with its defaults (as scripts/dev-render.ts does) into `dir`. */
function render(id: string, dir: string): { module: string; test: string; source: string } {
  const pattern = loadPattern(id);
  const context = contextFor(id);
  const source = renderTemplate(pattern.templates.module, context, `${id}/module.ts.hbs`);
  const files = { module: join(dir, `${id}.ts`), test: join(dir, `${id}.test.ts`), source };
  writeFileSync(files.module, source);
  writeFileSync(files.test, renderTemplate(pattern.templates.test, context, `${id}/test.ts.hbs`));
  // Companion files (a thread pool's worker side and example task) sit beside the module, as `add` writes them.
  for (const { role } of pattern.manifest.companions) {
    writeFileSync(join(dir, fileNameFor(id, role)), renderTemplate(templateOf(pattern, role), context, `${id}/${role}.ts.hbs`));
  }
  return files;
}

let project: TempProject;
beforeAll(() => {
  project = createTempProject({ ...esmProjectTree(), 'src/.keep': '' });
});
afterAll(() => project.cleanup());

describe('generated modules under the leak detector', () => {
  it('every pattern: all its tests pass and nothing is reported', async () => {
    const files = patterns.map((id) => ({ id, ...render(id, join(project.dir, 'src')) }));
    const include = files.flatMap((f) => [f.module, ...moduleSideCompanions(f.module, loadPattern(f.id).manifest)]);
    expect(include).toContain(join(project.dir, 'src', fileNameFor('thread-pool', 'thread')));
    const run = await runUnderDetector({ root: project.dir, testFiles: files.map((f) => f.test), include });
    expect(run.report).toEqual([]);
    const statuses = [...run.status.values()];
    expect(statuses.filter((s) => s === 'failed'), run.output).toEqual([]);
    expect(statuses.filter((s) => s === 'passed').length).toBeGreaterThan(100);
    expect(run.exitCode, run.output).toBe(0);
  }, 240_000);

  it('a setInterval planted in the WorkerPool constructor is caught as a timer leak in every test that builds a pool', async () => {
    const { module, test, source } = render('worker-pool', join(project.dir, 'src'));
    const anchor = '    this.#handler = handler;\n';
    expect(source).toContain(anchor);
    writeFileSync(module, source.replace(anchor, `${anchor}    setInterval(() => {}, 1000);\n`));
    const run = await runUnderDetector({ root: project.dir, testFiles: [test], include: [module] });
    const failed = [...run.status].filter(([, status]) => status === 'failed').map(([title]) => title);
    expect(failed.length, run.output).toBeGreaterThan(20);
    expect(run.report.length).toBeGreaterThan(0);
    for (const line of run.report) {
      expect(line.kind).toBe('timer');
      expect(line.message).toMatch(/^setInterval\(…, 1000 ms\) created during the test is still active/);
      expect(line.stack.split('\n')[0]).toMatch(/^at new WorkerPool \(.*\/src\/worker-pool\.ts:\d+:\d+\)$/);
    }
    // Every reported test failed; a test can also fail on its own assertions (leak.timers counts the pool's timers).
    const reported = new Set(run.report.map((line) => line.test));
    expect(reported.size).toBeGreaterThan(20);
    expect(failed).toEqual(expect.arrayContaining([...reported]));
  }, 240_000);
  it('a thread pool that never terminates its threads is caught as a worker leak, at the line that starts them', async () => {
    const { module, test, source } = render('thread-pool', join(project.dir, 'src'));
    // Stopping a thread (in the thread companion) no longer terminates it, and close() stops waiting for exits.
    const threadFile = join(project.dir, 'src', fileNameFor('thread-pool', 'thread'));
    const threadSource = readFileSync(threadFile, 'utf8');
    const terminate = '    void this.#worker.terminate().catch(() => undefined);\n';
    const waitForExits = '    if (this.#threads.size > 0) return;\n';
    expect(threadSource).toContain(terminate);
    expect(source).toContain(waitForExits);
    writeFileSync(threadFile, threadSource.replace(terminate, ''));
    writeFileSync(module, source.replace(waitForExits, ''));
    const titles = ['order.fifo', 'errors.propagate', 'transfer.detached'];
    const run = await runUnderDetector({ root: project.dir, testFiles: [test], include: [module], testNamePattern: titles.join('|') });
    expect(run.report.length, run.output).toBeGreaterThan(0);
    for (const line of run.report) {
      expect(line.kind).toBe('worker');
      expect(line.message).toBe('Worker created during the test is still running (never terminated)');
      // Where the Worker is created, then the pool's line that asked for the thread.
      const [created, caller] = line.stack.split('\n');
      expect(created).toMatch(/^at new PoolThread \(.*\/src\/thread-pool\.thread\.ts:\d+:\d+\)$/);
      expect(caller).toMatch(/^at ThreadPool\.#spawn \(.*\/src\/thread-pool\.ts:\d+:\d+\)$/);
    }
    const reported = new Set(run.report.map((line) => line.test.split(':')[0]));
    expect([...reported].sort()).toEqual([...titles].sort());
  }, 240_000);

  it('a promise that never settles, planted in the thread companion, is reported as the pool\'s leak (verify counts module-side companions)', async () => {
    const { module, test } = render('thread-pool', join(project.dir, 'src'));
    const threadFile = join(project.dir, 'src', fileNameFor('thread-pool', 'thread'));
    const threadSource = readFileSync(threadFile, 'utf8');
    const anchor = '  constructor(options: ThreadOptions, handlers: ThreadHandlers<J>) {\n';
    expect(threadSource).toContain(anchor);
    writeFileSync(threadFile, threadSource.replace(anchor, `${anchor}    void new Promise<void>(() => undefined);\n`));
    const include = [module, ...moduleSideCompanions(module, loadPattern('thread-pool').manifest)];
    const titles = ['order.fifo', 'errors.propagate'];
    const run = await runUnderDetector({ root: project.dir, testFiles: [test], include, testNamePattern: titles.join('|') });
    expect(run.report.length, run.output).toBeGreaterThan(0);
    for (const line of run.report) {
      expect(line.kind).toBe('promise');
      expect(line.stack.split('\n')[0]).toMatch(/^at new PoolThread \(.*\/src\/thread-pool\.thread\.ts:\d+:\d+\)$/);
    }
    // With the module alone, as verify counted before, the same leak goes unseen.
    const moduleOnly = await runUnderDetector({ root: project.dir, testFiles: [test], include: [module], testNamePattern: titles.join('|') });
    expect(moduleOnly.report.filter((line) => line.kind === 'promise')).toEqual([]);
    writeFileSync(threadFile, threadSource);
  }, 240_000);
});
