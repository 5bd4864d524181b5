/**
 * Every interactive prompt lives here (tests mock `@inquirer/prompts`). Prompts draw on stderr so stdout stays clean.
 * Ctrl-C at a prompt becomes {@link InterruptedError} (exit 130, nothing written). Every question has a flag that
 * answers it instead: `<pattern>`, `[dir]`, `--overwrite`, `--name`, `--set key=value`; for `init`, `--target-dir`,
 * `--test-naming` and `--formatter`.
 */
import { InterruptedError } from '../errors.js';
import { FORMATTER_NAMES, type FormatterName, type TestNaming } from '../config/config.js';
import type { OptionValue } from '../generate/context.js';
import { optionApplies, type PatternManifest, type OptionSpec } from '../patterns/manifest.js';
import { coerceOption, describeAccepted } from '../patterns/options.js';
import { validateIdentifier } from '../generate/identifier.js';

/** Whether prompting is allowed: a TTY on stdin and stderr, not CI, and neither `--yes` nor `--json`. */
export function canPrompt(flags: { yes: boolean; json: boolean }): boolean {
  return Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY) && !process.env['CI'] && !flags.yes && !flags.json;
}

async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) throw new InterruptedError();
    throw error;
  }
}

const context = { output: process.stderr, clearPromptOnDone: false };

/** The message of a failed check, for a prompt's `validate`. */
function messageOf(check: () => unknown): string | true {
  try {
    check();
    return true;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Asks which pattern to add. */
export async function promptPattern(manifests: readonly PatternManifest[]): Promise<string> {
  const { select } = await import('@inquirer/prompts');
  return guard(() =>
    select(
      {
        message: 'Which pattern do you want to add?',
        choices: manifests.map((m) => ({ name: m.id, value: m.id, description: m.description })),
      },
      context,
    ),
  );
}

/**
 * Asks for the folder to write to, relative to the current directory (what `[dir]` would say).
 * @param suggested - pre-filled answer
 */
export async function promptTargetDir(suggested: string): Promise<string> {
  const { input } = await import('@inquirer/prompts');
  return guard(() =>
    input(
      {
        message: 'Folder to write the files to (relative to the current directory)',
        default: suggested,
        validate: (value) => (value.trim() === '' ? 'Enter a folder, e.g. src/concurrency.' : true),
      },
      context,
    ),
  );
}

/** The answer to {@link promptConflict}. */
export type ConflictChoice = 'overwrite' | 'another-folder' | 'cancel';

/**
 * Tells which files exist already and asks what to do: replace them, pick another folder, or cancel.
 * @param existing - the files that exist, as shown to the user
 */
export async function promptConflict(existing: readonly string[]): Promise<ConflictChoice> {
  const { select } = await import('@inquirer/prompts');
  const many = existing.length > 1;
  return guard(() =>
    select<ConflictChoice>(
      {
        message: `${existing.join(', ')} ${many ? 'exist' : 'exists'} already. What do you want to do?`,
        choices: [
          { name: `Overwrite ${many ? 'them' : 'it'}`, value: 'overwrite', description: 'same as --overwrite' },
          { name: 'Choose another folder', value: 'another-folder', description: 'same as giving [dir]' },
          { name: 'Cancel', value: 'cancel', description: 'write nothing' },
        ],
      },
      context,
    ),
  );
}

function validator(patternId: string, spec: OptionSpec): (value: string) => string | true {
  return (value) => {
    try {
      coerceOption(patternId, spec, value);
      return true;
    } catch {
      return `Enter ${describeAccepted(spec)}.`;
    }
  };
}

/**
 * Asks for the export name and every option not given on the command line, defaults pre-filled. An option whose
 * manifest `when` does not hold for the answers so far (`waitingCapacity` under `overflow: reject`) is not asked.
 * @param checkName - further checks of a typed name (throws with the reason), e.g. a clash with the module's exports
 * @returns the name and the answers as raw values (validated again by the generator).
 */
export async function promptOptions(
  manifest: PatternManifest,
  given: ReadonlyMap<string, string>,
  name: string | undefined,
  checkName: (name: string) => void = () => undefined,
): Promise<{ name: string; options: Map<string, string | number | boolean> }> {
  const { input, select, confirm } = await import('@inquirer/prompts');
  const answers = new Map<string, string | number | boolean>(given);
  const values: Record<string, OptionValue> = {};
  const chosenName =
    name ??
    (await guard(() =>
      input(
        {
          message: 'Name of the exported class',
          default: manifest.defaultName,
          validate: (value) =>
            messageOf(() => {
              validateIdentifier(value);
              checkName(value);
            }),
        },
        context,
      ),
    ));
  for (const spec of manifest.options) {
    const raw = given.get(spec.name);
    if (raw !== undefined) {
      values[spec.name] = coerceOption(manifest.id, spec, raw);
      continue;
    }
    if (!optionApplies(spec, values)) {
      values[spec.name] = spec.default;
      continue;
    }
    const message = `${spec.name}: ${spec.description}`;
    let answer: string | boolean;
    if (spec.type === 'enum') {
      answer = await guard(() => select({ message, default: spec.default, choices: spec.choices.map((c) => ({ name: c, value: c })) }, context));
    } else if (spec.type === 'boolean') {
      answer = await guard(() => confirm({ message, default: spec.default }, context));
    } else {
      answer = await guard(() => input({ message, default: String(spec.default), validate: validator(manifest.id, spec) }, context));
    }
    answers.set(spec.name, answer);
    values[spec.name] = coerceOption(manifest.id, spec, answer);
  }
  return { name: chosenName, options: answers };
}

/** The settings `init` asks for. */
export interface InitAnswers {
  /** Relative to the project root. */
  readonly targetDir: string;
  readonly testNaming: TestNaming;
  readonly formatter: FormatterName;
}

/**
 * Asks for the settings of `concurrency-kit.json` that no flag gave, detected values pre-filled.
 * @param suggested - the pre-filled answers
 * @param given - the settings given by flags (not asked)
 * @param checkTargetDir - throws with the reason when a typed folder is not acceptable
 */
export async function promptInit(
  suggested: InitAnswers,
  given: Partial<InitAnswers>,
  checkTargetDir: (dir: string) => void,
): Promise<InitAnswers> {
  const { input, select } = await import('@inquirer/prompts');
  const targetDir =
    given.targetDir ??
    (await guard(() =>
      input(
        {
          message: 'Folder add writes modules to (relative to the project root)',
          default: suggested.targetDir,
          validate: (value) => (value.trim() === '' ? 'Enter a folder, e.g. src/concurrency.' : messageOf(() => checkTargetDir(value))),
        },
        context,
      ),
    ));
  const testNaming =
    given.testNaming ??
    (await guard(() =>
      select<TestNaming>(
        {
          message: 'How are test files named?',
          default: suggested.testNaming,
          choices: [
            { name: '<name>.test.ts', value: 'test' },
            { name: '<name>.spec.ts', value: 'spec' },
          ],
        },
        context,
      ),
    ));
  const formatter =
    given.formatter ??
    (await guard(() =>
      select<FormatterName>(
        {
          message: 'Which formatter formats generated files?',
          default: suggested.formatter,
          choices: FORMATTER_NAMES.map((f) => ({ name: f, value: f })),
        },
        context,
      ),
    ));
  return { targetDir, testNaming, formatter };
}
