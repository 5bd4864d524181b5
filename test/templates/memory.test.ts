/**
 * The generated `leak.memory` tests can fail: each pattern is rendered twice into a temp project, once as is and
 * once with a deliberate retention leak (its constructor pushes about 1 KiB to a module-level array that nothing
 * ever empties), and the generated test is run under `NODE_OPTIONS=--expose-gc` with the kit's vitest. The leaky
 * copy must fail with the test's message, the unmodified one must pass (and must have run, not been skipped).
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/generate/render.js';
import { defaultContext } from '../../src/generate/context.js';
import { listPatterns, loadPattern, templateOf } from '../../src/patterns/registry.js';
import { fileNameFor } from '../../src/generate/plan.js';
import { createTempProject, esmProjectTree, REPO, type TempProject, type Tree } from '../helpers/temp-project.js';

/** Where each module gets its leak: a line of its (primary) constructor that occurs exactly once. */
const CONSTRUCTOR_LINES: Readonly<Record<string, string>> = {
  'worker-pool': '    this.#handler = handler;\n',
  'rate-limiter': '    this.#bucket = new Bucket({ ...this.#options, listeners: new AbortListeners() }, this.#options.now());\n',
  'sharded-cache': '    this.#shards = list;\n',
  // fanOut and fanOutSettled are functions: the leak goes into the FanIn constructor, which each round runs once.
  'fan-out-fan-in': '    this.#sources = [...sources];\n',
  broadcast: '    this.options = Object.freeze(resolved);\n',
  mutex: '    this.#core = new LockCore(new AbortListeners(), () => { this.#closing.idle(); });\n',
  pipeline: '    this.#runs = runs;\n',
  channel: '    this.#capacity = capacity;\n',
  semaphore: '    this.#available = capacity;\n',
  'task-group': '    this.#parent = options?.signal;\n',
  // Function-only module: this line runs once per withTimeout call (several per round).
  deadline: '    const controller = new AbortController();\n',
  'object-pool': '    this.options = resolveOptions(options);\n',
  // Each round constructs a pool (and destroys it before it starts a thread), so the constructor runs once per round.
  'thread-pool': '    this.options = resolveOptions(options);\n',
};

/** About 1 KiB per constructed instance (128 tagged slots of 8 bytes, plus headers), kept forever. */
const LEAK = '    RETAINED_BY_INJECTED_LEAK.push(new Array(128).fill(0));\n';
const LEAK_ARRAY = '\nconst RETAINED_BY_INJECTED_LEAK: unknown[] = [];\n';

const TEST_NAME = 'leak.memory: 2,000 create/use/close rounds retain no heap';
const FAILURE = /leak\.memory: retained heap grew by (\d+) bytes per round over 2000 rounds \(tolerance 256 bytes per round\)/;

function render(id: string, role: string): string {
  const pattern = loadPattern(id);
  const context = defaultContext(pattern.manifest, { moduleFormat: 'esm', asyncDispose: true }, '0.0.0-test');
  return renderTemplate(templateOf(pattern, role), context, `${id}/${role}.ts.hbs`);
}

/** A pattern's companion files (a thread pool's worker side and task file), which its test needs beside it. */
function companions(id: string): Record<string, string> {
  return Object.fromEntries(loadPattern(id).manifest.companions.map((c) => [fileNameFor(id, c.role), render(id, c.role)]));
}

/** The rendered module with the leak injected; throws unless the anchor line occurs exactly once. */
function withLeak(id: string, module: string): string {
  const line = CONSTRUCTOR_LINES[id];
  if (line === undefined) throw new Error(`no leak injection point for pattern ${id}: add one to CONSTRUCTOR_LINES`);
  const parts = module.split(line);
  if (parts.length !== 2) throw new Error(`${id}: the injection line occurs ${parts.length - 1} times in the rendered module, expected once`);
  return parts.join(line + LEAK) + LEAK_ARRAY;
}

interface AssertionJson {
  readonly title: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

const patterns = listPatterns().map((m) => m.id);

describe('the generated leak.memory tests', () => {
  let project: TempProject | undefined;
  let results: Map<string, AssertionJson>;

  beforeAll(async () => {
    const tree: Tree = esmProjectTree();
    for (const id of patterns) {
      const module = render(id, 'module');
      const test = render(id, 'test');
      tree[`clean/${id}.ts`] = module;
      tree[`clean/${id}.test.ts`] = test;
      tree[`leaky/${id}.ts`] = withLeak(id, module);
      tree[`leaky/${id}.test.ts`] = test;
      for (const [name, text] of Object.entries(companions(id))) {
        tree[`clean/${name}`] = text;
        tree[`leaky/${name}`] = text;
      }
    }
    const { dir } = (project = createTempProject(tree));
    const outputFile = join(dir, 'results.json');
    // One vitest run for all six files, only the leak.memory test of each.
    const run = await execa(
      process.execPath,
      [join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir, '-t', TEST_NAME, '--reporter=json', `--outputFile=${outputFile}`],
      {
        cwd: dir,
        reject: false,
        timeout: 150_000,
        env: { CI: 'true', NO_COLOR: '1', NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --expose-gc`.trim() },
      },
    );
    const json = ((): { testResults?: { name: string; assertionResults: AssertionJson[] }[] } => {
      try {
        return JSON.parse(readFileSync(outputFile, 'utf8')) as { testResults?: { name: string; assertionResults: AssertionJson[] }[] };
      } catch {
        throw new Error(`vitest wrote no results (exit ${run.exitCode}):\n${String(run.stdout)}\n${String(run.stderr)}`);
      }
    })();
    results = new Map();
    for (const file of json.testResults ?? []) {
      const test = file.assertionResults.find((a) => a.title.startsWith(TEST_NAME));
      if (test !== undefined) results.set(relative(dir, file.name).split(sep).join('/'), test);
    }
  }, 180_000);

  afterAll(() => project?.cleanup());

  for (const id of patterns) {
    it(`${id}: the unmodified module passes (the test ran under --expose-gc, it was not skipped)`, () => {
      const result = results.get(`clean/${id}.test.ts`);
      expect(result?.failureMessages.join('\n')).toBe('');
      expect(result?.status).toBe('passed');
    });

    it(`${id}: a module that retains about 1 KiB per instance fails with the measured growth, the tolerance and the rounds`, () => {
      const result = results.get(`leaky/${id}.test.ts`);
      expect(result?.status).toBe('failed');
      const message = result?.failureMessages.join('\n') ?? '';
      const growth = Number(FAILURE.exec(message)?.[1]);
      expect(growth, message.slice(0, 600)).toBeGreaterThan(256);
    });
  }

  it('injects the leak at exactly one place of each module', () => {
    for (const id of patterns) {
      const module = render(id, 'module');
      const leaky = withLeak(id, module);
      expect(leaky.split(LEAK).length).toBe(2);
      expect(leaky.length).toBe(module.length + LEAK.length + LEAK_ARRAY.length);
    }
  });
});
