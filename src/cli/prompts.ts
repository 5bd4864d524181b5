/**
 * Every interactive prompt lives here (tests mock this module). Prompts draw on stderr so stdout stays clean.
 * Ctrl-C at a prompt becomes {@link InterruptedError} (exit 130, nothing written).
 */
import { InterruptedError } from '../errors.js';
import type { PatternManifest, OptionSpec } from '../patterns/manifest.js';
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
 * Asks for the export name and every option not given on the command line, defaults pre-filled.
 * @returns the name and the answers as raw values (validated again by the generator).
 */
export async function promptOptions(
  manifest: PatternManifest,
  given: ReadonlyMap<string, string>,
  name: string | undefined,
): Promise<{ name: string; options: Map<string, string | number | boolean> }> {
  const { input, select, confirm } = await import('@inquirer/prompts');
  const answers = new Map<string, string | number | boolean>(given);
  const chosenName =
    name ??
    (await guard(() =>
      input(
        {
          message: 'Name of the exported class',
          default: manifest.defaultName,
          validate: (value) => {
            try {
              validateIdentifier(value);
              return true;
            } catch (error) {
              return (error as Error).message;
            }
          },
        },
        context,
      ),
    ));
  for (const spec of manifest.options) {
    if (given.has(spec.name)) continue;
    const message = `${spec.name}: ${spec.description}`;
    if (spec.type === 'enum') {
      answers.set(spec.name, await guard(() => select({ message, default: spec.default, choices: spec.choices.map((c) => ({ name: c, value: c })) }, context)));
    } else if (spec.type === 'boolean') {
      answers.set(spec.name, await guard(() => confirm({ message, default: spec.default }, context)));
    } else {
      answers.set(spec.name, await guard(() => input({ message, default: String(spec.default), validate: validator(manifest.id, spec) }, context)));
    }
  }
  return { name: chosenName, options: answers };
}
