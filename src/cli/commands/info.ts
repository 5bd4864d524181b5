/** `concurrency-kit info [--json]`: what the kit detects about the project, and the modules it recorded. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, ProjectError, type ExitCodeValue } from '../../errors.js';
import { normalizeSeparators } from '../../paths.js';
import { detectProfile, type ProjectProfile } from '../../project/profile.js';
import { table, type Output } from '../output.js';

const SOURCE = { project: "the project's", kit: "the kit's" } as const;

/** The profile as `label  value` rows for people. */
export function profileRows(p: ProjectProfile): string[][] {
  const tsconfig = p.tsconfig.path === null ? "none (the kit's strict NodeNext defaults)" : [p.tsconfig.path, ...p.tsconfig.chain.slice(1).map((c) => `extends ${c}`)].join('\n');
  const runner = p.testRunner;
  const rows: string[][] = [
    ['project root', p.root],
    ['package manager', p.packageManager],
    ['compiler', `TypeScript ${p.compiler.version} (${SOURCE[p.compiler.source]}, via ${p.compiler.via === 'api' ? 'its API' : 'tsc'})`],
    ['tsconfig', tsconfig],
    ['module', `${p.tsconfig.moduleFormat === 'esm' ? 'ES modules' : 'CommonJS'} (module ${p.tsconfig.module}, resolution ${p.tsconfig.moduleResolution})`],
    ['imports', p.importStyle === 'none' ? 'without extension (./x)' : `with .${p.importStyle} (./x.${p.importStyle})`],
    ['formatter', `${p.formatter.name} (${SOURCE[p.formatter.source]})`],
    ['linter', p.linter?.name ?? 'none found'],
    ['test runner', `vitest ${runner.version ?? '(unknown version)'} (${SOURCE[runner.source]}${runner.declared ? '' : '; package.json does not declare vitest'})`],
    ['test files', `<name>.${p.testNaming}.ts`],
    ['target folder', p.targetDir],
  ];
  if (p.modules.length === 0) rows.push(['modules', 'none recorded in concurrency-kit.json']);
  else rows.push(['modules', table(null, p.modules.map((m) => [m.file, m.pattern, m.status]))]);
  return rows;
}

/** Runs `info`. */
export async function infoCommand(flags: { json: boolean; cwd?: string }, out: Output): Promise<ExitCodeValue> {
  const cwd = resolve(normalizeSeparators(flags.cwd ?? process.cwd()));
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) throw new ProjectError(`Working directory ${cwd} does not exist.`, 'ERR_NO_CWD');
  const profile = await detectProfile(cwd);
  if (out.json) out.printJson(profile);
  else out.print(out.table(null, profileRows(profile)), 0);
  return ExitCode.ok;
}
