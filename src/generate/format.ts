/**
 * Stage 2: the rendered files are formatted, before the type-check and the write, by the project's own formatter
 * (see {@link detectFormatter}): prettier through its API in process (its config and `.editorconfig` resolved for
 * each file); biome, dprint and oxfmt through their own binary, each file piped through stdin with its future path.
 * Without a formatter of its own the project gets the kit's prettier, honouring `.editorconfig`.
 * A formatting failure is a warning: the file is then written unformatted, never a failed generation.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { posixRelative } from '../paths.js';
import { detectFormatter, type FormatterProfile } from '../project/formatter.js';

type Prettier = typeof import('prettier');

/** The outcome of formatting one file. */
export interface FormatResult {
  readonly text: string;
  /** Set when the formatter failed and the text is unformatted. */
  readonly warning: string | null;
}

/** A file to format: its future absolute path and its contents. */
export interface FormatInput {
  readonly path: string;
  readonly text: string;
}

/** The outcome of {@link Formatter.formatAll}. */
export interface FormatAllResult {
  /** Formatted contents, in the order of the input (unformatted where the formatter failed). */
  readonly texts: readonly string[];
  /** Non-fatal problems: a file the formatter could not format, a project formatter that is not installed. */
  readonly warnings: readonly string[];
}

/**
 * The warning for a project whose formatter is not installed (the kit's prettier stands in), or null.
 * @param profile - from {@link detectFormatter}
 */
export function missingFormatterWarning(profile: FormatterProfile): string | null {
  const missing = profile.missing;
  if (missing === null) return null;
  return `the project formats with ${missing.name} (${missing.evidence}) but it is not installed, so the kit's prettier formatted the new files; install the project's dependencies and run ${missing.name} on them.`;
}

/** How long one formatter process may run (ms). */
const FORMAT_TIMEOUT_MS = 60_000;

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

async function loadPrettier(profile: FormatterProfile): Promise<Prettier> {
  if (profile.source === 'project' && profile.package !== null) {
    try {
      const entry = createRequire(`${profile.package.dir}/package.json`).resolve('prettier');
      const mod = (await import(pathToFileURL(entry).href)) as Prettier & { default?: Prettier };
      const prettier = typeof mod.format === 'function' ? mod : mod.default;
      if (prettier && typeof prettier.format === 'function') return prettier;
    } catch {
      // fall back to the kit's own prettier
    }
  }
  return import('prettier');
}

/** Plugins named in a prettier config resolve from that config's folder, as the prettier CLI run there would. */
function resolvePlugins(plugins: unknown, configFile: string | null): unknown {
  if (!Array.isArray(plugins) || configFile === null) return plugins;
  const req = createRequire(configFile);
  return plugins.map((p: unknown) => {
    if (typeof p !== 'string' || p.startsWith('.') || p.startsWith('/') || p.includes(':')) return p;
    try {
      return req.resolve(p);
    } catch {
      return p;
    }
  });
}

/** The argv (after the bin) that formats stdin as the file at `path` and prints the result. */
function stdinArgs(name: FormatterProfile['name'], path: string): string[] {
  switch (name) {
    case 'biome':
      // `check` with the linter off: the formatter plus biome's assists (import sorting), which `biome ci` checks too.
      return ['check', '--write', '--linter-enabled=false', `--stdin-file-path=${path}`];
    case 'dprint':
      return ['fmt', '--stdin', path];
    case 'oxfmt':
      return [`--stdin-filepath=${path}`];
    case 'prettier':
      return ['--stdin-filepath', path];
  }
}

/** Formats files for one target project; create one per generation. */
export class Formatter {
  readonly #projectRoot: string;
  readonly #profile: FormatterProfile;
  #prettier: Promise<Prettier> | undefined;

  /**
   * @param profile - the detected formatter; detected from `projectRoot` when omitted
   */
  constructor(projectRoot: string, profile: FormatterProfile = detectFormatter(projectRoot)) {
    this.#projectRoot = projectRoot;
    this.#profile = profile;
  }

  /** The formatter that runs. */
  get profile(): FormatterProfile {
    return this.#profile;
  }

  /** Formats `text` as the TypeScript file at `path`; never throws. */
  async format(path: string, text: string): Promise<FormatResult> {
    return this.#formatOne({ path, text }, undefined);
  }

  /**
   * Formats every file with one formatter load (prettier) or one process per file, all at once (biome, dprint,
   * oxfmt, which take a single file on stdin); never throws. Once `signal` aborts, files come back unformatted and
   * formatter processes are stopped.
   */
  async formatAll(files: readonly FormatInput[], signal?: AbortSignal): Promise<FormatAllResult> {
    const warnings: string[] = [];
    const results = await Promise.all(files.map((f) => this.#formatOne(f, signal)));
    for (const r of results) if (r.warning !== null) warnings.push(r.warning);
    return { texts: results.map((r) => r.text), warnings };
  }

  #formatOne(file: FormatInput, signal: AbortSignal | undefined): Promise<FormatResult> {
    return this.#profile.bin !== null ? this.#formatWithBin(file, signal) : this.#formatWithPrettier(file, signal);
  }

  async #formatWithPrettier(file: FormatInput, signal: AbortSignal | undefined): Promise<FormatResult> {
    // An abort (Ctrl-C) returns the text as is at the next step: the caller stops before anything is written.
    const unformatted = { text: file.text, warning: null };
    try {
      this.#prettier ??= loadPrettier(this.#profile);
      const prettier = await this.#prettier;
      if (signal?.aborted) return unformatted;
      const configFile = await prettier.resolveConfigFile(file.path);
      const config = (await prettier.resolveConfig(file.path, { editorconfig: true })) ?? {};
      if (signal?.aborted) return unformatted;
      const plugins = resolvePlugins(config.plugins, configFile);
      const formatted = await prettier.format(file.text, { ...config, ...(plugins !== undefined ? { plugins: plugins as string[] } : {}), filepath: file.path });
      return { text: formatted, warning: null };
    } catch (error) {
      return { text: file.text, warning: `prettier could not format ${posixRelative(this.#projectRoot, file.path)}; it is written unformatted (${firstLine(String((error as Error).message))})` };
    }
  }

  async #formatWithBin(file: FormatInput, signal: AbortSignal | undefined): Promise<FormatResult> {
    const name = this.#profile.name;
    const shown = posixRelative(this.#projectRoot, file.path);
    const bin = this.#profile.bin ?? '';
    try {
      const { execa } = await import('execa');
      const result = await execa(process.execPath, [bin, ...stdinArgs(name, shown)], {
        cwd: this.#projectRoot,
        input: file.text,
        reject: false,
        stripFinalNewline: false,
        timeout: FORMAT_TIMEOUT_MS,
        env: { NO_COLOR: '1' },
        ...(signal ? { cancelSignal: signal } : {}),
      });
      const out = String(result.stdout);
      if (result.exitCode !== 0 || out.trim() === '') {
        const reason = firstLine(String(result.stderr)) || firstLine(out) || `exit code ${String(result.exitCode ?? result.signal)}`;
        return { text: file.text, warning: `${name} could not format ${shown}; it is written unformatted (${reason})` };
      }
      return { text: out, warning: null };
    } catch (error) {
      return { text: file.text, warning: `${name} could not format ${shown}; it is written unformatted (${firstLine(String((error as Error).message))})` };
    }
  }
}
