/**
 * End to end: `concurrency-kit mcp` started as a coding agent starts it (stdio) and driven with the official SDK's
 * client: tools/list answers the tools, list_patterns and add_pattern return the CLI's own JSON, dryRun writes
 * nothing, and a failing call is an error result, not a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { listPatterns } from '../../src/patterns/registry.js';
import { CLI, createTempProject, esmProjectTree, snapshotTree, type TempProject } from '../helpers/temp-project.js';

let project: TempProject;
let client: Client;

beforeAll(async () => {
  project = createTempProject(esmProjectTree());
  client = new Client({ name: 'concurrency-kit-test', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], cwd: project.dir, stderr: 'pipe' }));
});
afterAll(async () => {
  await client.close();
  project.cleanup();
});

const text = (result: unknown): string => {
  const content = (result as { content: { type: string; text: string }[] }).content;
  return content[0]?.text ?? '';
};

describe('concurrency-kit mcp', () => {
  it('tools/list answers the four tools (list_patterns, add_pattern, verify, check), with JSON schemas', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names.sort()).toEqual(['add_pattern', 'check', 'list_patterns', 'verify']);
    const add = tools.find((t) => t.name === 'add_pattern');
    expect(add?.inputSchema.required).toEqual(['pattern']);
    expect(Object.keys(add?.inputSchema.properties ?? {})).toEqual(expect.arrayContaining(['pattern', 'dir', 'name', 'options', 'dryRun']));
  });

  it('list_patterns returns the JSON of list --json', async () => {
    const result = await client.callTool({ name: 'list_patterns', arguments: {} });
    const ids = (JSON.parse(text(result)) as { id: string }[]).map((p) => p.id);
    expect(ids).toEqual(listPatterns().map((m) => m.id));
  });

  it('add_pattern with dryRun returns the plan and writes nothing', async () => {
    const before = snapshotTree(project.dir);
    const result = await client.callTool({ name: 'add_pattern', arguments: { pattern: 'worker-pool', dryRun: true } });
    expect((result as { isError?: boolean }).isError ?? false).toBe(false);
    const plan = JSON.parse(text(result)) as { pattern: string; files: { path: string; action: string }[] };
    expect(plan.pattern).toBe('worker-pool');
    expect(plan.files).toContainEqual({ path: 'src/concurrency/worker-pool.ts', action: 'would-create' });
    expect(snapshotTree(project.dir)).toEqual(before);
  });

  it('a bad option is an error result naming the problem, and the server keeps serving', async () => {
    const result = (await client.callTool({ name: 'add_pattern', arguments: { pattern: 'worker-pool', options: { concurrency: 0 }, dryRun: true } })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    expect(result.isError).toBe(true);
    expect(result.content.map((c) => c.text).join('\n')).toMatch(/concurrency/);
    const again = await client.callTool({ name: 'list_patterns', arguments: {} });
    expect(text(again)).toContain('worker-pool');
  });
});
