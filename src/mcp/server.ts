/**
 * `concurrency-kit mcp`: a Model Context Protocol server over stdio (the official SDK) exposing the kit's commands as
 * tools to a coding agent: `list_patterns`, `add_pattern`, `verify` and `check`. Each tool
 * runs the CLI itself with `--json` in a child process and returns exactly the JSON the CLI prints, so an agent
 * reads the same document through MCP as through a shell. A non-zero exit marks the result `isError`, with the
 * CLI's stderr after the JSON.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { listPatterns } from '../patterns/registry.js';
import { KIT_VERSION } from '../version.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

/** The tool result of one CLI run. */
interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  isError?: boolean;
}

/** Runs the CLI with `args` in `cwd` and wraps its output as a tool result. */
async function runKit(args: readonly string[], cwd: string, signal: AbortSignal): Promise<ToolResult> {
  const r = await execa(process.execPath, [CLI, ...args], { cwd, reject: false, cancelSignal: signal, env: { CI: 'true', NO_COLOR: '1' }, stdin: 'ignore' });
  const stdout = String(r.stdout).trim();
  const stderr = String(r.stderr).trim();
  const failed = r.exitCode !== 0;
  const content: ToolResult['content'] = [{ type: 'text', text: stdout === '' ? '{}' : stdout }];
  if (failed && stderr !== '') content.push({ type: 'text', text: `exit code ${String(r.exitCode)}\n${stderr}` });
  return failed ? { content, isError: true } : { content };
}

const cwdField = z.string().optional().describe('project folder to run in (default: the folder the server was started in)');

/** Builds the server with the kit's tools registered. `root` is the default working folder. */
export function createMcpServer(root: string = process.cwd()): McpServer {
  const server = new McpServer({ name: 'concurrency-kit', version: KIT_VERSION });
  const at = (cwd: string | undefined): string => resolve(root, cwd ?? '.');
  const ids = listPatterns().map((m) => m.id);

  server.registerTool(
    'list_patterns',
    {
      title: 'List patterns',
      description: 'The patterns concurrency-kit can generate, with their descriptions and options (the JSON of `concurrency-kit list --json`).',
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    async (_input, extra) => runKit(['list', '--json'], root, extra.signal),
  );

  server.registerTool(
    'add_pattern',
    {
      title: 'Add a pattern',
      description:
        "Generate a pattern's module, its vitest test and its benchmark into the project, type-checked by the project's own compiler before anything is written (`concurrency-kit add <pattern> [dir] --yes --json`). With dryRun: true nothing is written and the plan is returned.",
      inputSchema: {
        pattern: z.enum(ids as [string, ...string[]]).describe('pattern id, see list_patterns'),
        dir: z.string().optional().describe("output folder relative to cwd (default: concurrency-kit.json's targetDir, else src/concurrency)"),
        name: z.string().optional().describe('identifier of the primary export'),
        options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('pattern options, as list_patterns describes them'),
        test: z.boolean().optional().describe('generate the test file (default true)'),
        bench: z.boolean().optional().describe('generate the benchmark file (default true)'),
        overwrite: z.boolean().optional().describe('replace existing files (default false)'),
        install: z.boolean().optional().describe('install vitest / @types/node when the project does not declare them (default false)'),
        dryRun: z.boolean().optional().describe('render, format and type-check, write nothing, return the plan (default false)'),
        cwd: cwdField,
      },
      annotations: { destructiveHint: false, idempotentHint: false },
    },
    async (input, extra) => {
      const args = ['add', input.pattern, ...(input.dir === undefined ? [] : [input.dir]), '--yes', '--json'];
      if (input.name !== undefined) args.push('--name', input.name);
      for (const [key, value] of Object.entries(input.options ?? {})) args.push('--set', `${key}=${String(value)}`);
      if (input.test === false) args.push('--no-test');
      if (input.bench === false) args.push('--no-bench');
      if (input.overwrite === true) args.push('--overwrite');
      if (input.install === true) args.push('--install');
      if (input.dryRun === true) args.push('--dry-run');
      return runKit(args, at(input.cwd), extra.signal);
    },
  );

  server.registerTool(
    'verify',
    {
      title: 'Verify generated modules',
      description:
        "Prove the project's generated modules against the specialist checklist: their tests under the leak check and, with bench, the benchmark against its budget (the JSON of `concurrency-kit verify --json`; isError when any module fails).",
      inputSchema: {
        paths: z.array(z.string()).optional().describe('files or folders to search for generated modules (default: every recorded module)'),
        bench: z.boolean().optional().describe('also run the benchmarks against their budgets (default false)'),
        leaks: z.boolean().optional().describe('run the leak check (default true)'),
        budget: z.array(z.string()).optional().describe('budget overrides key=value or <pattern>.key=value (with bench)'),
        cwd: cwdField,
      },
      annotations: { readOnlyHint: true },
    },
    async (input, extra) => {
      const args = ['verify', ...(input.paths ?? []), '--json'];
      if (input.bench === true) args.push('--bench');
      if (input.leaks === false) args.push('--no-leaks');
      for (const b of input.budget ?? []) args.push('--budget', b);
      return runKit(args, at(input.cwd), extra.signal);
    },
  );

  server.registerTool(
    'check',
    {
      title: 'Check code against the checklist',
      description:
        "Find places in the project's own TypeScript that break an item of the specialist checklist (unbounded fan-out, leaked timers and listeners, check-then-act across await, floating promises, ...), each with its fix (the JSON of `concurrency-kit check --format json`; isError when findings reach the failure level).",
      inputSchema: {
        paths: z.array(z.string()).optional().describe("files or folders to check (default: the tsconfig's files)"),
        rules: z.array(z.string()).optional().describe('rule settings <id>=off|warning|error'),
        failOn: z.enum(['error', 'warning', 'never']).optional().describe('the severity that makes the result an error (default error)'),
        project: z.string().optional().describe('the tsconfig to read (default: the one governing the project)'),
        changedSince: z.string().optional().describe('only files changed since this git ref'),
        cwd: cwdField,
      },
      annotations: { readOnlyHint: true },
    },
    async (input, extra) => {
      const args = ['check', ...(input.paths ?? []), '--format', 'json'];
      for (const r of input.rules ?? []) args.push('--rule', r);
      if (input.failOn !== undefined) args.push('--fail-on', input.failOn);
      if (input.project !== undefined) args.push('--project', input.project);
      if (input.changedSince !== undefined) args.push('--changed-since', input.changedSince);
      return runKit(args, at(input.cwd), extra.signal);
    },
  );

  return server;
}

/** Serves the tools over stdio until the client disconnects. */
export async function serveStdio(root: string = process.cwd()): Promise<void> {
  const server = createMcpServer(root);
  await server.connect(new StdioServerTransport());
  await new Promise<void>((done) => {
    server.server.onclose = done;
  });
}
