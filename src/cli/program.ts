/**
 * Builds the commander program. Exported so flag parsing is unit-tested without a child process.
 * Command modules are imported lazily so `list` and `--help` never load ts-morph, prettier or execa.
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, KitError, type ExitCodeValue } from '../errors.js';
import { KIT_VERSION } from '../version.js';
import { Output } from './output.js';

/** The outcome of one CLI run, filled by the command actions. */
export interface RunState {
  exitCode: ExitCodeValue;
  /** The output channel of the command that ran (for error reporting under --json). */
  output: Output | null;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Creates the program; `signal` is aborted on SIGINT. */
export function buildProgram(state: RunState, signal: AbortSignal): Command {
  const program = new Command();
  program
    .name('concurrency-kit')
    .description('Scaffold dependency-free, cancellable, leak-free concurrency modules into your TypeScript project, and verify them on your machine.')
    .version(KIT_VERSION, '-v, --version', 'print the kit version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

  program
    .command('list')
    .description('list the patterns with their descriptions and options')
    .option('--json', 'print a JSON array of { id, description, options }', false)
    .action(async (flags: { json: boolean }) => {
      const out = (state.output = new Output(flags.json));
      const { listCommand } = await import('./commands/list.js');
      state.exitCode = listCommand(out);
    });

  program
    .command('add')
    .description('generate a pattern module, its vitest test and its benchmark into your project')
    .argument('[pattern]', 'pattern id (see `concurrency-kit list`); prompted for on a TTY when omitted')
    .argument('[dir]', "output directory, relative to the current directory (default: concurrency-kit.json's targetDir, else src/concurrency, from the project root); prompted for on a TTY")
    .option('--name <Identifier>', 'name of the primary export (a TypeScript identifier)')
    .option('--set <key=value>', 'set a pattern option (repeatable); see `concurrency-kit list`', collect, [])
    .option('-y, --yes', 'never prompt: use defaults for everything not given', false)
    .option('--dry-run', 'render, format and type-check, print the plan, write nothing', false)
    .option('--overwrite', 'replace existing files (on a TTY, existing files are asked about)', false)
    .option('--install', "install what the new files need and the project does not declare (vitest, @types/node) with its package manager", false)
    .option('--no-test', 'do not generate the test file')
    .option('--no-bench', 'do not generate the benchmark file')
    .option('--json', 'print one JSON document { pattern, files: [{ path, action }], record: { path, action }, skipped?, install?, lint? }', false)
    .option('--cwd <dir>', 'run as if started in <dir>')
    .action(async (pattern: string | undefined, dir: string | undefined, flags: Record<string, unknown>) => {
      const out = (state.output = new Output(flags['json'] === true));
      const { addCommand } = await import('./commands/add.js');
      state.exitCode = await addCommand(
        pattern,
        dir,
        {
          ...(typeof flags['name'] === 'string' ? { name: flags['name'] } : {}),
          set: (flags['set'] as string[] | undefined) ?? [],
          yes: flags['yes'] === true,
          dryRun: flags['dryRun'] === true,
          overwrite: flags['overwrite'] === true,
          install: flags['install'] === true,
          test: flags['test'] !== false,
          bench: flags['bench'] !== false,
          json: flags['json'] === true,
          ...(typeof flags['cwd'] === 'string' ? { cwd: flags['cwd'] } : {}),
        },
        out,
        signal,
      );
    });

  program
    .command('verify')
    .description(
      "prove the generated modules against the specialist checklist: their tests under the leak check, and with --bench the benchmark against its budget (exit 1 when any module fails)",
    )
    .argument('[paths...]', "files or directories to search for generated modules (default: every module concurrency-kit.json records, and every module with the kit's banner in the project)", [])
    .addOption(new Option('--json', 'print one JSON report { ok, modules: [...] } on stdout (progress stays on stderr)').default(false))
    .option('--no-leaks', 'skip the leak check (leak items of the checklist become manual)')
    .option('--bench', "run each module's benchmark: throughput, then an open load at the budgeted rate (default 7,000 requests/s for 3 s) with p50/p99/max and heap growth, against its budget", false)
    .option(
      '--budget <key=value>',
      'override a budget (with --bench): throughputOpsPerSec, p99Ms (added over a no-op baseline), p99CeilingMs, ratePerSec, durationMs or heapGrowthBytes, for every pattern or as <pattern>.key=value (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--cwd <dir>', 'run as if started in <dir>')
    .option('--timeout <seconds>', 'stop the test run after this many seconds (default 600)')
    .option(
      '--format <format>',
      'print findings for CI instead of the report for people: json (the envelope of check --format json), sarif, github (annotations) or junit; each failed test, leak, missed budget and failed checklist item is one finding in the module file',
    )
    .option('--output-file <path>', 'write the --format output to this file instead of stdout')
    .action(
      async (
        paths: string[],
        flags: { json: boolean; leaks: boolean; bench: boolean; budget: string[]; cwd?: string; timeout?: string; format?: string; outputFile?: string },
      ) => {
        const out = (state.output = new Output(flags.json || (flags.format === 'json' && flags.outputFile === undefined)));
        const { verifyCommand } = await import('./commands/verify.js');
        state.exitCode = await verifyCommand(paths, flags, out, signal);
      },
    );

  program
    .command('init')
    .description('write concurrency-kit.json at the project root: where add writes, how test files are named, which formatter runs (asks on a TTY)')
    .option('--target-dir <dir>', 'folder add writes to when no [dir] is given, relative to the current directory (default src/concurrency from the project root)')
    .addOption(new Option('--test-naming <naming>', 'name test and bench files <name>.test.ts or <name>.spec.ts').choices(['test', 'spec']))
    .addOption(new Option('--formatter <name>', 'formatter run on generated files').choices(['prettier', 'biome', 'dprint', 'oxfmt']))
    .option('--force', 'replace an existing concurrency-kit.json (its record of generated modules is kept), or with --ci an edited workflow', false)
    .option('--ci <provider>', 'instead of the config, write a CI workflow that runs check and verify on pull requests: github (.github/workflows/concurrency-kit.yml)')
    .option('-y, --yes', 'never prompt: detected values for everything not given', false)
    .option('--json', 'print one JSON document { path, action, config }', false)
    .option('--cwd <dir>', 'run as if started in <dir>')
    .action(async (flags: Record<string, unknown>) => {
      const out = (state.output = new Output(flags['json'] === true));
      const { initCommand } = await import('./commands/init.js');
      const naming = flags['testNaming'];
      const formatter = flags['formatter'];
      state.exitCode = await initCommand(
        {
          ...(typeof flags['targetDir'] === 'string' ? { targetDir: flags['targetDir'] } : {}),
          ...(naming === 'test' || naming === 'spec' ? { testNaming: naming } : {}),
          ...(formatter === 'prettier' || formatter === 'biome' || formatter === 'dprint' || formatter === 'oxfmt' ? { formatter } : {}),
          force: flags['force'] === true,
          ...(typeof flags['ci'] === 'string' ? { ci: flags['ci'] } : {}),
          yes: flags['yes'] === true,
          json: flags['json'] === true,
          ...(typeof flags['cwd'] === 'string' ? { cwd: flags['cwd'] } : {}),
        },
        out,
        signal,
      );
    });

  const agents = program
    .command('agents')
    .description("put the kit's specialist agents and skill into your coding agent (Claude Code, Codex, Cursor, Copilot), list or remove them, lint agent files");
  const installFlags = (command: Command, verb: string): Command =>
    command
      .option('--target <list>', `harnesses to ${verb}, comma-separated: claude, codex, cursor, copilot, or all (default: asked on a TTY, else all)`)
      .addOption(new Option('--scope <scope>', 'project (from its root) or user (the home folder)').choices(['project', 'user']).default('project'))
      .option('--dry-run', 'print what would change, change nothing', false)
      .option('--overwrite', `also ${verb === 'install' ? 'replace' : 'remove'} files edited since the kit wrote them`, false)
      .option('-y, --yes', 'never prompt', false)
      .option('--json', 'print one JSON document', false)
      .option('--cwd <dir>', 'run as if started in <dir>');
  type InstallCliFlags = { target?: string; scope: string; dryRun: boolean; overwrite: boolean; claudeMd?: boolean; mcp?: boolean; yes: boolean; json: boolean; cwd?: string };
  const toFlags = (f: InstallCliFlags): import('./commands/agents.js').AgentsInstallFlags => ({ ...f, claudeMd: f.claudeMd === true, mcp: f.mcp === true });
  installFlags(agents.command('install').description('write the agents and the skill in each harness\'s format; a re-run changes nothing, edited files are kept (said so)'), 'install')
    .option('--claude-md', 'also add the line @AGENTS.md to CLAUDE.md, so Claude Code reads the AGENTS.md block (asked on a TTY)', false)
    .option('--mcp', "also register `concurrency-kit mcp` in each target's project MCP config (.mcp.json, .codex/config.toml, .cursor/mcp.json, .vscode/mcp.json)", false)
    .action(async (flags: InstallCliFlags) => {
      const out = (state.output = new Output(flags.json));
      const { agentsInstallCommand } = await import('./commands/agents.js');
      state.exitCode = await agentsInstallCommand(toFlags(flags), out, signal);
    });
  agents
    .command('list')
    .description('show what agents install wrote, and whether each file is current, outdated (a newer kit writes it differently), edited or missing')
    .addOption(new Option('--scope <scope>', 'project or user').choices(['project', 'user']).default('project'))
    .option('--json', 'print one JSON document { scope, root, targets, files: [{ path, targets, status, kitVersion }] }', false)
    .option('--cwd <dir>', 'run as if started in <dir>')
    .action(async (flags: { scope: string; json: boolean; cwd?: string }) => {
      const out = (state.output = new Output(flags.json));
      const { agentsListCommand } = await import('./commands/agents.js');
      state.exitCode = agentsListCommand(flags, out);
    });
  installFlags(agents.command('uninstall').description('remove what agents install wrote and nobody edited (edited files are kept, said so)'), 'uninstall').action(
    async (flags: InstallCliFlags) => {
      const out = (state.output = new Output(flags.json));
      const { agentsUninstallCommand } = await import('./commands/agents.js');
      state.exitCode = await agentsUninstallCommand(toFlags(flags), out);
    },
  );
  agents
    .command('lint')
    .description(
      "check agent definitions, skills and rule files against each coding-agent harness's rules: frontmatter keys and types, name, description, body length, relative links (exit 1 on any finding)",
    )
    .argument('[paths...]', 'files or folders to check (default: AGENTS.md, agents/, skills/, .claude/, .agents/skills/, .cursor/rules/, .github/instructions/, .github/agents/ where they exist)', [])
    .option('--format <format>', 'output format, as check takes: pretty, json, sarif, github or junit (default: github under GITHUB_ACTIONS=true, else pretty)')
    .option('--json', 'the same as --format json', false)
    .option('--output-file <path>', 'write the report to this file instead of stdout')
    .option('--cwd <dir>', 'run as if started in <dir>')
    .action(async (paths: string[], flags: { json: boolean; format?: string; outputFile?: string; cwd?: string }) => {
      const out = (state.output = new Output(flags.json));
      const { agentsLintCommand } = await import('./commands/agents.js');
      state.exitCode = agentsLintCommand(paths, flags, out);
    });

  program
    .command('mcp')
    .description('serve list_patterns, add_pattern, verify and check as Model Context Protocol tools over stdio, for coding agents (see the README for each harness\'s config)')
    .option('--cwd <dir>', 'the project the tools work on (default: the current directory)')
    .action(async (flags: { cwd?: string }) => {
      const { serveStdio } = await import('../mcp/server.js');
      await serveStdio(flags.cwd ?? process.cwd());
      state.exitCode = ExitCode.ok;
    });

  program
    .command('check')
    .description(
      "check the project's own TypeScript against the specialist checklist (unbounded fan-out, leaked timers and listeners, check-then-act across await, floating promises, ...); exit 1 on findings at or above --fail-on",
    )
    .argument('[paths...]', "files or folders to check (default: every file of the governing tsconfig, without declaration files, node_modules and the kit's generated modules)", [])
    .addOption(new Option('--format <format>', 'output format (default: github under GITHUB_ACTIONS=true, else pretty)').choices(['pretty', 'json', 'sarif', 'github', 'junit']))
    .option('--output-file <path>', 'write the report to this file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding has at least this severity').choices(['error', 'warning', 'never']).default('error'))
    .option('--rule <id=severity>', 'set a rule to off, warning or error (repeatable)', collect, [])
    .option('--project <tsconfig>', 'the tsconfig to read (default: the nearest tsconfig.json at or above the current directory)')
    .option('--changed-since <git-ref>', 'check only files changed since this git ref: committed since its merge base with HEAD, edited, or new')
    .option('--baseline <file>', 'do not report the findings recorded in this baseline file')
    .option('--update-baseline', 'write the current findings to the --baseline file (exit 0)', false)
    .option('--include-tests', 'run the rules about scale and load (bound.*, cancel.propagate, sync.poll-sleep) on test files too (default: they skip files matching check.testFiles, else *.test.*, *.spec.*, test/, tests/, __tests__/)', false)
    .option('--cwd <dir>', 'run as if started in <dir>')
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const out = (state.output = new Output(flags['format'] === 'json' && typeof flags['outputFile'] !== 'string'));
      const { checkCommand } = await import('./commands/check.js');
      const str = (key: string): string | undefined => (typeof flags[key] === 'string' ? flags[key] : undefined);
      state.exitCode = await checkCommand(paths, {
        format: str('format'),
        outputFile: str('outputFile'),
        failOn: str('failOn'),
        rule: (flags['rule'] as string[] | undefined) ?? [],
        project: str('project'),
        changedSince: str('changedSince'),
        baseline: str('baseline'),
        updateBaseline: flags['updateBaseline'] === true,
        includeTests: flags['includeTests'] === true,
        cwd: str('cwd'),
      }, out);
    });

  program
    .command('info')
    .description('show what the kit detects about the project (compiler, tsconfig, module kind, formatter, linter, test runner, package manager) and the modules it recorded, with whether they were edited')
    .option('--json', 'print the profile as one JSON document', false)
    .option('--cwd <dir>', 'run as if started in <dir>')
    .action(async (flags: { json: boolean; cwd?: string }) => {
      const out = (state.output = new Output(flags.json));
      const { infoCommand } = await import('./commands/info.js');
      state.exitCode = await infoCommand(flags, out);
    });

  return program;
}

/**
 * Runs the CLI with `argv` (as `process.argv`) and returns the exit code; never calls process.exit.
 * Commander's parse errors become exit 2; `--help` and `--version` exit 0.
 */
export async function runCli(argv: readonly string[], signal: AbortSignal = new AbortController().signal): Promise<ExitCodeValue> {
  const state: RunState = { exitCode: ExitCode.ok, output: null };
  const program = buildProgram(state, signal);
  const wantsJson = argv.includes('--json');
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return ExitCode.ok;
    }
    await program.parseAsync([...argv]);
    return state.exitCode;
  } catch (error) {
    return reportError(error, state, wantsJson);
  }
}

function reportError(error: unknown, state: RunState, wantsJson: boolean): ExitCodeValue {
  const json = state.output?.json ?? wantsJson;
  const emit = (code: string, message: string): void => {
    if (json && !(state.output?.jsonWritten ?? false)) {
      process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message } }, null, 2)}\n`);
    }
  };
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
    emit(error.code, error.message.replace(/^error: /, ''));
    return ExitCode.usage;
  }
  if (error instanceof KitError) {
    if (!json) new Output(false).error(error.message);
    emit(error.code, error.message);
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(
    `internal error: ${err.stack ?? err.message}\nThis is a bug in concurrency-kit ${KIT_VERSION}. Please report it with the command you ran and the output above.\n`,
  );
  emit('ERR_INTERNAL', err.message);
  return ExitCode.internal;
}
