/**
 * The kit's error hierarchy. Library code throws these; only `cli/main.ts` turns them into exit
 * codes (0 ok, 1 verification failed, 2 usage/config/project error, 3 internal error, 130 interrupted).
 */

/** Exit codes used by the CLI. */
export const ExitCode = {
  ok: 0,
  verificationFailed: 1,
  usage: 2,
  internal: 3,
  interrupted: 130,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class of every error the kit throws on purpose; carries a stable `code` and the exit code it maps to. */
export class KitError extends Error {
  /** Stable machine-readable code, e.g. `ERR_UNKNOWN_PATTERN`. */
  readonly code: string;
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: ExitCodeValue;

  constructor(code: string, message: string, exitCode: ExitCodeValue = ExitCode.usage, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KitError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A command-line or option error made by the user (exit 2). */
export class UsageError extends KitError {
  constructor(message: string, code = 'ERR_USAGE') {
    super(code, message, ExitCode.usage);
    this.name = 'UsageError';
  }
}

/** The pattern id given is not in the registry (exit 2). */
export class UnknownPatternError extends KitError {
  constructor(id: string, known: readonly string[]) {
    super('ERR_UNKNOWN_PATTERN', `Unknown pattern "${id}". Available patterns: ${known.join(', ')}.`, ExitCode.usage);
    this.name = 'UnknownPatternError';
  }
}

/** An option given with `--set` is unknown, of the wrong type or out of range (exit 2). */
export class InvalidOptionError extends KitError {
  constructor(message: string) {
    super('ERR_INVALID_OPTION', message, ExitCode.usage);
    this.name = 'InvalidOptionError';
  }
}

/** `--name` is not a usable TypeScript identifier (exit 2). */
export class InvalidNameError extends KitError {
  constructor(message: string) {
    super('ERR_INVALID_NAME', message, ExitCode.usage);
    this.name = 'InvalidNameError';
  }
}

/** A file to be written exists and `--overwrite` was not given (exit 2); nothing was written. */
export class FileExistsError extends KitError {
  /** Absolute paths of the files that already exist. */
  readonly paths: readonly string[];

  constructor(paths: readonly string[], shown: readonly string[]) {
    super(
      'ERR_FILE_EXISTS',
      `Refusing to overwrite existing file${paths.length > 1 ? 's' : ''}: ${shown.join(', ')}. Pass --overwrite to replace ${paths.length > 1 ? 'them' : 'it'}; nothing was written.`,
      ExitCode.usage,
    );
    this.name = 'FileExistsError';
    this.paths = paths;
  }
}

/** The target project cannot be read (bad tsconfig, missing directory, ...) (exit 2). */
export class ProjectError extends KitError {
  constructor(message: string, code = 'ERR_PROJECT', options?: { cause?: unknown }) {
    super(code, message, ExitCode.usage, options);
    this.name = 'ProjectError';
  }
}

/** The rendered module does not type-check against the target's tsconfig (exit 2); nothing was written. */
export class TypeCheckError extends KitError {
  /** Formatted compiler diagnostics, one per entry. */
  readonly diagnostics: readonly string[];

  constructor(file: string, diagnostics: readonly string[], hint?: string) {
    super(
      'ERR_TYPECHECK',
      `Generated ${file} does not type-check against the target tsconfig; nothing was written.\n${diagnostics.map((d) => `  ${d}`).join('\n')}${hint ? `\n${hint}` : ''}`,
      ExitCode.usage,
    );
    this.name = 'TypeCheckError';
    this.diagnostics = diagnostics;
  }
}

/** A template or manifest shipped with the kit is broken: a bug in the kit (exit 3). */
export class TemplateError extends KitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TEMPLATE', message, ExitCode.internal, options);
    this.name = 'TemplateError';
  }
}

/** The user interrupted (Ctrl-C at a prompt) (exit 130); nothing was written. */
export class InterruptedError extends KitError {
  constructor() {
    super('ERR_INTERRUPTED', 'Interrupted; nothing was written.', ExitCode.interrupted);
    this.name = 'InterruptedError';
  }
}

/** The user chose "cancel" at a prompt (exit 130, as an interrupt); nothing was written. */
export class CancelledError extends KitError {
  constructor() {
    super('ERR_CANCELLED', 'Cancelled; nothing was written.', ExitCode.interrupted);
    this.name = 'CancelledError';
  }
}

/**
 * `concurrency-kit.json` is not valid JSON or does not match its schema (exit 2); the message names the file, the
 * field and what it accepts.
 */
export class ConfigError extends KitError {
  constructor(message: string, code = 'ERR_CONFIG') {
    super(code, message, ExitCode.usage);
    this.name = 'ConfigError';
  }
}

/** A prompt was needed but none is allowed (no TTY, or `--yes`) (exit 2). */
export class MissingInputError extends KitError {
  constructor(message: string) {
    super('ERR_MISSING_INPUT', message, ExitCode.usage);
    this.name = 'MissingInputError';
  }
}

/**
 * An agent definition (`agents/*.md`) is malformed (exit 3 for the kit's own files): the message names the file and
 * the 1-based line, e.g. `agents/concurrency-specialist.md:42: checklist item needs an id`.
 */
export class AgentFormatError extends KitError {
  /** Path of the file, as given to the parser. */
  readonly file: string;
  /** 1-based line of the problem. */
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super('ERR_AGENT_FORMAT', `${file}:${line}: ${message}`, ExitCode.internal);
    this.name = 'AgentFormatError';
    this.file = file;
    this.line = line;
  }
}

/** One project setting that generated code needs and the project does not give, with the exact fix. */
export interface UnmetSetting {
  /** The setting, e.g. `compilerOptions.types in tsconfig.app.json` or `devDependencies in package.json`. */
  readonly setting: string;
  /** What the generated code needs from it, e.g. `types for setTimeout, AbortSignal`. */
  readonly needs: string;
  /** The one-line fix, e.g. `add "types": ["node"] to compilerOptions in tsconfig.app.json`. */
  readonly fix: string;
  /** Another way out, when there is one (e.g. adding "DOM" to "lib"). */
  readonly alternative?: string;
}

/**
 * The project's configuration cannot compile the generated code and no variant of it fits (exit 2); nothing was
 * written. Each {@link UnmetSetting} names the setting and the one-line fix.
 */
export class UnmetSettingError extends KitError {
  /** The settings to change, in the order they should be read. */
  readonly settings: readonly UnmetSetting[];
  /** The compiler diagnostics that showed it. */
  readonly diagnostics: readonly string[];

  constructor(subject: string, settings: readonly UnmetSetting[], diagnostics: readonly string[]) {
    const lines = settings.map((s) => `  ${s.setting}: ${s.needs}.\n    Fix: ${s.fix}${s.alternative ? `\n    Or: ${s.alternative}` : ''}`);
    super(
      'ERR_UNMET_SETTING',
      `${subject} cannot compile under the project's settings; nothing was written.\n${lines.join('\n')}\nThe compiler said:\n${diagnostics.map((d) => `  ${d}`).join('\n')}`,
      ExitCode.usage,
    );
    this.name = 'UnmetSettingError';
    this.settings = settings;
    this.diagnostics = diagnostics;
  }
}
