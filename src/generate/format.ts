/**
 * Stage 2: prettier formats each rendered file, with the target project's own prettier and its config
 * (resolved for the target file) when it has them, else the kit's prettier with its defaults.
 * A formatting failure is a warning: the file is then written unformatted, never a failed generation.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { resolveProjectPackage } from '../project/package-json.js';

type Prettier = typeof import('prettier');

/** The outcome of formatting one file. */
export interface FormatResult {
  readonly text: string;
  /** Set when prettier failed and the text is unformatted. */
  readonly warning: string | null;
}

async function loadPrettier(projectRoot: string): Promise<{ prettier: Prettier; source: 'project' | 'kit' }> {
  const pkg = resolveProjectPackage(projectRoot, 'prettier');
  if (pkg) {
    try {
      const entry = createRequire(pkg).resolve('prettier');
      const mod = (await import(pathToFileURL(entry).href)) as Prettier & { default?: Prettier };
      const prettier = typeof mod.format === 'function' ? mod : mod.default;
      if (prettier && typeof prettier.format === 'function') return { prettier, source: 'project' };
    } catch {
      // fall back to the kit's own prettier
    }
  }
  return { prettier: await import('prettier'), source: 'kit' };
}

/** Formats files for one target project; create one per generation. */
export class Formatter {
  readonly #projectRoot: string;
  #prettier: Promise<{ prettier: Prettier; source: 'project' | 'kit' }> | undefined;

  constructor(projectRoot: string) {
    this.#projectRoot = projectRoot;
  }

  /** Formats `text` as the TypeScript file at `path`; never throws. */
  async format(path: string, text: string): Promise<FormatResult> {
    try {
      this.#prettier ??= loadPrettier(this.#projectRoot);
      const { prettier } = await this.#prettier;
      const config = (await prettier.resolveConfig(path, { editorconfig: true })) ?? {};
      const formatted = await prettier.format(text, { ...config, filepath: path, parser: 'typescript' });
      return { text: formatted, warning: null };
    } catch (error) {
      return { text, warning: `prettier could not format ${path}; it is written unformatted (${(error as Error).message.split('\n')[0]})` };
    }
  }
}
