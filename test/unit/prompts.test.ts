/**
 * The interactive flows, with @inquirer/prompts mocked: which questions are asked, in which order, and what the
 * answers do (the add flow runs the real generator into a temp project).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../src/patterns/manifest.js';
import { promptOptions, promptInit } from '../../src/cli/prompts.js';
import { addCommand, type AddFlags } from '../../src/cli/commands/add.js';
import { Output } from '../../src/cli/output.js';
import { CancelledError, InterruptedError } from '../../src/errors.js';
import { createTempProject, esmProjectTree, snapshotTree, type TempProject } from '../helpers/temp-project.js';

interface Asked {
  readonly kind: 'input' | 'select' | 'confirm';
  readonly message: string;
  readonly config: { default?: unknown; validate?: (value: string) => string | true | Promise<string | true>; choices?: { value: unknown }[] };
}

const asked: Asked[] = [];
let respond: (question: Asked) => unknown = (q) => q.config.default;

vi.mock('@inquirer/prompts', () => {
  const ask = (kind: Asked['kind']) => async (config: Asked['config'] & { message: string }) => {
    const question = { kind, message: config.message, config };
    asked.push(question);
    return respond(question);
  };
  return { input: ask('input'), select: ask('select'), confirm: ask('confirm') };
});

beforeEach(() => {
  asked.length = 0;
  respond = (q) => q.config.default;
});

const manifest = parseManifest(
  'm.json',
  {
    id: 'demo',
    description: 'd',
    defaultName: 'Demo',
    checklist: { agent: 'concurrency-specialist', proofs: {} },
    options: [
      { name: 'concurrency', type: 'integer', default: 4, min: 1, max: 64, description: 'c' },
      { name: 'overflow', type: 'enum', choices: ['reject', 'wait'], default: 'reject', description: 'o' },
      { name: 'waitingCapacity', type: 'integer', default: 16, min: 0, max: 100, description: 'w', when: { overflow: 'wait' } },
    ],
    budget: { throughputOpsPerSec: 1000, p99Ms: 5, heapGrowthBytes: 1_000_000 },
  },
  'demo',
);

const optionQuestions = (): string[] => asked.map((q) => q.message.split(':')[0]!);

describe('option prompts', () => {
  it('skip an option whose condition does not hold (waitingCapacity after overflow: reject)', async () => {
    const result = await promptOptions(manifest, new Map(), undefined);
    expect(optionQuestions()).toEqual(['Name of the exported class', 'concurrency', 'overflow']);
    expect(result.options.has('waitingCapacity')).toBe(false);
  });

  it('ask it when the condition holds', async () => {
    respond = (q) => (q.message.startsWith('overflow') ? 'wait' : q.message.startsWith('waitingCapacity') ? '8' : q.config.default);
    const result = await promptOptions(manifest, new Map(), 'Pool');
    expect(optionQuestions()).toEqual(['concurrency', 'overflow', 'waitingCapacity']);
    expect(result).toEqual({ name: 'Pool', options: new Map<string, unknown>([['concurrency', '4'], ['overflow', 'wait'], ['waitingCapacity', '8']]) });
  });

  it('take the condition from --set, and ask nothing --set answered', async () => {
    await promptOptions(manifest, new Map([['overflow', 'reject']]), 'Pool');
    expect(optionQuestions()).toEqual(['concurrency']);
    asked.length = 0;
    await promptOptions(manifest, new Map([['overflow', 'wait']]), 'Pool');
    expect(optionQuestions()).toEqual(['concurrency', 'waitingCapacity']);
  });

  it('refuse a name that is not an identifier or that the given check rejects, in the prompt', async () => {
    await promptOptions(manifest, new Map(), undefined, (name) => {
      if (name === 'Taken') throw new Error('Taken is taken');
    });
    const validate = asked[0]!.config.validate!;
    expect(await validate('Ünïcode')).toBe(true);
    expect(await validate('1abc')).toMatch(/not a valid TypeScript identifier/);
    expect(await validate('Taken')).toBe('Taken is taken');
  });

  it('turn Ctrl-C into an interrupt', async () => {
    respond = () => {
      const error = new Error('User force closed the prompt');
      error.name = 'ExitPromptError';
      throw error;
    };
    await expect(promptOptions(manifest, new Map(), undefined)).rejects.toThrow(InterruptedError);
  });
});

describe('init prompts', () => {
  it('ask only for the settings no flag gave, detected values pre-filled', async () => {
    const answers = await promptInit({ targetDir: 'src/concurrency', testNaming: 'test', formatter: 'prettier' }, { formatter: 'biome' }, () => undefined);
    expect(asked.map((q) => [q.kind, q.config.default])).toEqual([
      ['input', 'src/concurrency'],
      ['select', 'test'],
    ]);
    expect(answers).toEqual({ targetDir: 'src/concurrency', testNaming: 'test', formatter: 'biome' });
  });
});

describe('the interactive add flow', () => {
  let project: TempProject;
  const tty = { stdin: process.stdin.isTTY, stderr: process.stderr.isTTY };
  beforeEach(() => {
    project = createTempProject(esmProjectTree());
    Object.defineProperty(process.stdin, 'isTTY', { value: true, configurable: true });
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    vi.stubEnv('CI', '');
  });
  afterEach(() => {
    Object.defineProperty(process.stdin, 'isTTY', { value: tty.stdin, configurable: true });
    Object.defineProperty(process.stderr, 'isTTY', { value: tty.stderr, configurable: true });
    vi.unstubAllEnvs();
    project.cleanup();
  });

  const flags = (dir: string): AddFlags => ({ set: [], yes: false, dryRun: false, overwrite: false, test: true, bench: true, json: false, cwd: dir });
  const quiet = (): Output => new Output(false, { stdout: { write: () => true }, stderr: { write: () => true }, env: {} });
  const existing = (dir: string): void => {
    mkdirSync(join(dir, 'src', 'concurrency'), { recursive: true });
    writeFileSync(join(dir, 'src', 'concurrency', 'worker-pool.ts'), 'export const mine = 1;\n');
  };

  it('asks for the folder first, and on existing files offers overwrite, another folder or cancel', async () => {
    existing(project.dir);
    respond = (q) => {
      if (q.message.includes('exists already')) return 'another-folder';
      if (q.message.startsWith('Folder') && asked.filter((a) => a.message.startsWith('Folder')).length === 2) return 'src\\other';
      return q.config.default;
    };
    const code = await addCommand('worker-pool', undefined, flags(project.dir), quiet());
    expect(code).toBe(0);
    const conflict = asked.find((q) => q.message.includes('exists already'))!;
    expect(conflict.message).toBe('src/concurrency/worker-pool.ts exists already. What do you want to do?');
    expect(conflict.config.choices?.map((c) => c.value)).toEqual(['overwrite', 'another-folder', 'cancel']);
    // Folder, conflict, folder again: all before the name and the options.
    expect(asked.slice(0, 4).map((q) => q.message.split(' ')[0])).toEqual(['Folder', 'src/concurrency/worker-pool.ts', 'Folder', 'Name']);
    expect(asked[0]!.config.default).toBe('src/concurrency');
    expect(existsSync(join(project.dir, 'src', 'other', 'worker-pool.ts'))).toBe(true);
    expect(readFileSync(join(project.dir, 'src', 'concurrency', 'worker-pool.ts'), 'utf8')).toBe('export const mine = 1;\n');
  });

  it('cancel writes nothing and exits as an interrupt', async () => {
    existing(project.dir);
    respond = (q) => (q.message.includes('exists already') ? 'cancel' : q.config.default);
    const before = snapshotTree(project.dir);
    await expect(addCommand('worker-pool', undefined, flags(project.dir), quiet())).rejects.toThrow(CancelledError);
    expect(asked.map((q) => q.kind)).toEqual(['input', 'select']);
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('overwrite replaces the files without asking for --overwrite', async () => {
    existing(project.dir);
    respond = (q) => (q.message.includes('exists already') ? 'overwrite' : q.config.default);
    expect(await addCommand('worker-pool', 'src/concurrency', flags(project.dir), quiet())).toBe(0);
    expect(asked[0]!.message).toMatch(/exists already/); // [dir] given: no folder question
    expect(readFileSync(join(project.dir, 'src', 'concurrency', 'worker-pool.ts'), 'utf8')).toMatch(/^\/\/ Generated by concurrency-kit/);
  });
});
