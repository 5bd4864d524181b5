/** `concurrency-kit agents lint [paths...] [--json]`: agent definitions and skills against each harness's rules. */
import { resolve } from 'node:path';
import { ExitCode, type ExitCodeValue } from '../../errors.js';
import { KIT_VERSION } from '../../version.js';
import { LINT_RULES, lintPaths } from '../../agents/lint.js';
import type { Output } from '../output.js';

/** Flags of `agents lint`. */
export interface AgentsLintFlags {
  readonly json: boolean;
  readonly cwd?: string;
}

/** Runs `agents lint`: exit 0 when every file passes, 1 when any finding remains, 2 on bad input. */
export function agentsLintCommand(paths: readonly string[], flags: AgentsLintFlags, out: Output): ExitCodeValue {
  const cwd = resolve(flags.cwd ?? process.cwd());
  const { files, findings } = lintPaths(paths, cwd);
  const ok = findings.length === 0;
  if (out.json) {
    out.printJson({ schemaVersion: 1, tool: 'concurrency-kit agents lint', version: KIT_VERSION, ok, summary: { files: files.length, findings: findings.length }, files, findings });
    return ok ? ExitCode.ok : ExitCode.verificationFailed;
  }
  let current = '';
  for (const f of findings) {
    if (f.file !== current) {
      current = f.file;
      out.print(out.style('bold', f.file));
    }
    out.print(`  ${String(f.line)}:${String(f.column)}  ${out.style('red', f.severity)}  ${f.message}  ${out.style('dim', f.ruleId)}`, 4);
  }
  const summary = `${String(files.length)} file${files.length === 1 ? '' : 's'} checked (${[...new Set(files.map((f) => f.kind))].join(', ')}): ${ok ? 'no problems' : `${String(findings.length)} problem${findings.length === 1 ? '' : 's'}`}`;
  out.print(ok ? summary : `\n${summary}. Rules: ${[...new Set(findings.map((f) => f.ruleId))].map((id) => `${id} (${LINT_RULES[id] ?? ''})`).join('; ')}`);
  return ok ? ExitCode.ok : ExitCode.verificationFailed;
}
