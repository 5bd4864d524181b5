/** `concurrency-kit add <pattern> [dir] ...`: thin command over {@link generate}. */
import { MissingInputError, ExitCode, type ExitCodeValue } from '../../errors.js';
import { generate, DEFAULT_DIR } from '../../generate/generate.js';
import { validateIdentifier } from '../../generate/identifier.js';
import { listPatterns, loadPattern } from '../../patterns/registry.js';
import { parseSetEntries } from '../../patterns/options.js';
import { canPrompt, promptOptions, promptPattern } from '../prompts.js';
import type { Output } from '../output.js';

/** Parsed flags of `add`. */
export interface AddFlags {
  readonly name?: string;
  readonly set: readonly string[];
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly overwrite: boolean;
  /** Install missing dev dependencies (vitest, @types/node) with the project's package manager. */
  readonly install?: boolean;
  readonly test: boolean;
  readonly bench: boolean;
  readonly json: boolean;
  readonly cwd?: string;
}

/** Runs `add`. */
export async function addCommand(patternArg: string | undefined, dir: string | undefined, flags: AddFlags, out: Output, signal?: AbortSignal): Promise<ExitCodeValue> {
  const interactive = canPrompt({ yes: flags.yes, json: flags.json });
  let patternId = patternArg;
  if (patternId === undefined) {
    const ids = listPatterns().map((m) => m.id);
    if (!interactive) {
      throw new MissingInputError(`Missing <pattern> (and no prompt without a TTY or with --yes). Available patterns: ${ids.join(', ')}. Example: concurrency-kit add ${ids[0] ?? 'worker-pool'} --yes`);
    }
    patternId = await promptPattern(listPatterns());
  }
  const manifest = loadPattern(patternId).manifest;
  const given = parseSetEntries(manifest, flags.set);
  if (flags.name !== undefined) validateIdentifier(flags.name);
  let name = flags.name;
  let options = new Map<string, string | number | boolean>(given);
  if (interactive) ({ name, options } = await promptOptions(manifest, given, name));

  const result = await generate({
    pattern: manifest.id,
    dir: dir ?? DEFAULT_DIR,
    ...(flags.cwd !== undefined ? { cwd: flags.cwd } : {}),
    ...(name !== undefined ? { name } : {}),
    options,
    test: flags.test,
    bench: flags.bench,
    overwrite: flags.overwrite,
    install: flags.install === true,
    dryRun: flags.dryRun,
    onProgress: (m) => out.progress(m),
    ...(signal ? { signal } : {}),
  });
  for (const w of result.warnings) out.warn(w);

  if (out.json) {
    out.printJson({
      pattern: result.pattern,
      files: result.files.map((f) => ({ path: f.displayPath, action: f.action })),
      ...(result.skipped.length > 0 ? { skipped: result.skipped.map((f) => ({ path: f.displayPath, role: f.role, reason: 'vitest-not-declared' })) } : {}),
      ...(result.install !== null ? { install: result.install } : {}),
      ...(result.lint.length > 0 ? { lint: result.lint } : {}),
    });
    return ExitCode.ok;
  }
  const verb = flags.dryRun ? 'Would write' : 'Wrote';
  out.print(`${verb} ${result.pattern} (${result.name}) for an ${result.project.moduleFormat === 'esm' ? 'ES module' : 'CommonJS'} project, ${result.project.moduleResolution} resolution:`);
  for (const f of result.files) out.print(`  ${f.action.padEnd(15)} ${f.displayPath}  (${f.lines} lines, ${f.bytes} bytes)`);
  for (const f of result.skipped) out.print(`  ${'skipped'.padEnd(15)} ${f.displayPath}  (the project does not declare vitest)`);
  if (flags.dryRun) {
    for (const f of result.files) {
      const text = result.contents.get(f.path) ?? '';
      const exports = [...text.matchAll(/^export (?:declare )?(?:abstract )?(class|interface|type|function|const) (\w+)/gm)].map((m) => `${m[1]} ${m[2]}`);
      if (exports.length > 0) out.print(`  ${f.displayPath} exports: ${exports.join(', ')}`);
    }
    out.print('Dry run: nothing was written.');
  } else {
    out.print(`Next: npx concurrency-kit verify ${dir ?? DEFAULT_DIR}`);
  }
  return ExitCode.ok;
}
