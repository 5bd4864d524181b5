/**
 * The check for TypeScript 7, which has no JavaScript compiler API: the candidate sets are written to a temporary
 * folder inside the target folder, a temporary tsconfig next to the governing one `extends` it with exactly those
 * `files` (so `${configDir}`, relative paths and `rootDir` mean what they mean for the project), and the project's
 * `tsc` checks them in one run. Everything is removed in `finally`, on abort, and on a forced exit, so the tree ends
 * byte-identical.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InterruptedError, ProjectError } from '../errors.js';
import { DEFAULT_COMPILER_OPTIONS, STAGING_PREFIX, stagedLayout, type CheckDiagnostic, type CheckRequest, type CheckResult } from './check.js';
import { tscCommand } from './compiler.js';

/** Name prefix of the temporary tsconfig written next to the governing one. */
export const TEMP_TSCONFIG_PREFIX = 'tsconfig.concurrency-kit-';

interface ParsedLine {
  readonly file: string | null;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  message: string;
}

/** Parses `tsc --pretty false` output: `file(line,col): error TS1234: message`, continuation lines indented. */
export function parseTscOutput(output: string, cwd: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  for (const line of output.split(/\r?\n/)) {
    const located = /^(.+)\((\d+),(\d+)\): error TS(\d+): (.*)$/.exec(line);
    if (located) {
      const [, file = '', l = '0', c = '0', code = '0', message = ''] = located;
      out.push({ file: resolve(cwd, file), line: Number(l), column: Number(c), code: Number(code), message });
      continue;
    }
    const global = /^error TS(\d+): (.*)$/.exec(line);
    if (global) {
      out.push({ file: null, line: 0, column: 0, code: Number(global[1]), message: global[2] ?? '' });
      continue;
    }
    const last = out[out.length - 1];
    if (last && /^\s+\S/.test(line)) last.message += `\n${line.trim()}`;
  }
  return out;
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function run(file: string, args: readonly string[], cwd: string, signal: AbortSignal | undefined): Promise<{ stdout: string; code: number }> {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { cwd, maxBuffer: 64 * 1024 * 1024, ...(signal ? { signal } : {}) }, (error, stdout) => {
      if (error && (error.name === 'AbortError' || signal?.aborted)) return reject(new InterruptedError());
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (error && code === -1) return reject(new ProjectError(`Cannot run ${file}: ${error.message}`, 'ERR_COMPILER', { cause: error }));
      resolvePromise({ stdout: String(stdout), code });
    });
  });
}

/** See {@link typeCheck}: the `via: tsc` branch. */
export async function checkWithTsc(request: CheckRequest): Promise<CheckResult> {
  const anyFile = request.sets[0]?.[0];
  if (!anyFile) return { sets: [], warnings: [] };
  if (request.signal?.aborted) throw new InterruptedError();
  const tag = randomBytes(4).toString('hex');
  const targetDir = dirname(anyFile.path);
  const stagingDir = join(targetDir, `${STAGING_PREFIX}${tag}`);
  const configDir = request.tsconfig ? dirname(request.tsconfig.path) : request.projectRoot;
  const tempConfig = join(configDir, `${TEMP_TSCONFIG_PREFIX}${tag}.json`);
  const layout = stagedLayout(request.sets, stagingDir);

  let createdDir: string | undefined;
  const cleanup = (): void => {
    rmSync(tempConfig, { force: true });
    rmSync(createdDir ?? stagingDir, { recursive: true, force: true });
  };
  // A second Ctrl-C ends the process with process.exit(): `finally` would not run, an exit handler does.
  process.on('exit', cleanup);
  try {
    createdDir = mkdirSync(targetDir, { recursive: true });
    for (const [staged, { file }] of layout) {
      mkdirSync(dirname(staged), { recursive: true });
      writeFileSync(staged, file.contents);
    }
    const original = request.tsconfig?.compilerOptions ?? {};
    const compilerOptions: Record<string, unknown> = {
      ...(request.tsconfig ? {} : DEFAULT_COMPILER_OPTIONS),
      noEmit: true,
      composite: false,
      incremental: false,
      tsBuildInfoFile: null,
      emitDeclarationOnly: false,
      // Keep declaration diagnostics (isolatedDeclarations) when the project emits declarations.
      declaration: original.declaration === true || original.composite === true,
    };
    const asFile = (p: string): string => {
      const rel = toPosix(relative(configDir, p));
      return rel.startsWith('../') ? rel : `./${rel}`;
    };
    // With the project's files (CheckRequest.withProjectFiles): the governing config's `include` is inherited, and its
    // `files` kept next to the staged ones.
    const projectFiles = request.withProjectFiles === true && request.tsconfig ? (request.tsconfig.files?.specs.map((f) => asFile(resolve(request.tsconfig?.files?.baseDir ?? configDir, f))) ?? []) : [];
    const config = {
      ...(request.tsconfig ? { extends: `./${basename(request.tsconfig.path)}` } : {}),
      compilerOptions,
      files: [...projectFiles, ...[...layout.keys()].map(asFile)],
      ...(request.withProjectFiles === true && request.tsconfig ? {} : { include: [] }),
      references: [],
    };
    writeFileSync(tempConfig, `${JSON.stringify(config, null, 2)}\n`);
    const tsc = tscCommand(request.compiler.location);
    const { stdout, code } = await run(tsc.file, [...tsc.args, '-p', tempConfig, '--pretty', 'false'], configDir, request.signal);

    const parsed = parseTscOutput(stdout, configDir);
    const sets: CheckDiagnostic[][] = request.sets.map(() => []);
    const others: ParsedLine[] = [];
    for (const d of parsed) {
      const entry = d.file === null ? undefined : layout.get(d.file);
      if (entry) sets[entry.set]?.push({ ...d, file: entry.file.path });
      else others.push(d);
    }
    const ours = sets.some((s) => s.length > 0);
    const configErrors = others.filter((d) => d.file === null || d.file === tempConfig || request.tsconfig?.chain.includes(d.file) === true);
    // Errors in the configuration stop tsc before it checks any file: nothing would vouch for the generated code.
    if (code !== 0 && !ours && (configErrors.length > 0 || others.length === 0)) {
      const shown = configErrors.map((d) => `  ${d.file ? `${toPosix(relative(request.projectRoot, d.file))}: ` : ''}TS${String(d.code)}: ${d.message}`);
      const what = request.tsconfig ? toPosix(relative(request.projectRoot, request.tsconfig.path)) : 'the default options';
      throw new ProjectError(
        `TypeScript ${request.compiler.version} did not check the generated files under ${what}:\n${shown.join('\n') || `  tsc exited with ${String(code)}: ${stdout.trim()}`}`,
        'ERR_TSCONFIG',
      );
    }
    const warnings = others.map((d) => `the project's own compilation has a problem outside the generated files (${d.file ? `${toPosix(relative(request.projectRoot, d.file))}: ` : ''}TS${String(d.code)}): ${d.message}`);
    return { sets, warnings };
  } finally {
    cleanup();
    process.off('exit', cleanup);
  }
}
