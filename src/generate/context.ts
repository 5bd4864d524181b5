/**
 * The typed context every template is rendered with. Templates may reference only these fields:
 * Handlebars runs in strict mode, so a misspelt field is a render error, not an empty string.
 */
import type { PatternManifest } from '../patterns/manifest.js';
import { siblingNames } from './plan.js';

/** A validated option value. */
export type OptionValue = string | number | boolean;

/** What the templates know about the project they are generated into. */
export interface TargetFeatures {
  /** `esm` when the emitted module is an ES module, `cjs` when it compiles to CommonJS. */
  readonly moduleFormat: 'esm' | 'cjs';
  /**
   * True when the target's `lib` declares `Symbol.asyncDispose` (esnext.disposable). When false, templates
   * install the dispose method at run time instead of declaring it, so the code still compiles.
   */
  readonly asyncDispose: boolean;
}

/** The context handed to `module.ts.hbs`, `test.ts.hbs` and `bench.ts.hbs`. */
export interface TemplateContext {
  /** The kit that generated the file (for the banner). */
  readonly kit: { readonly name: string; readonly version: string };
  /** The pattern being generated. */
  readonly pattern: { readonly id: string; readonly description: string };
  /** Identifier of the pattern's primary export (`--name`, or the manifest's `defaultName`). */
  readonly name: string;
  /** Every manifest option, validated and with defaults filled in. */
  readonly options: Readonly<Record<string, OptionValue>>;
  /** Specifier the test and bench files import the module by, e.g. `./worker-pool.js` or `./worker-pool`. */
  readonly moduleSpecifier: string;
  /**
   * Import specifiers of the module and of each companion file, by role, in the project's import style:
   * `specifiers.module` equals {@link TemplateContext.moduleSpecifier}; `specifiers.worker` is e.g. `./thread-pool.worker.js`.
   */
  readonly specifiers: Readonly<Record<string, string>>;
  /**
   * File names without extension of the module and each companion, by role (`stems.task` is e.g. `thread-pool.task`):
   * for a URL built at run time with the running file's own extension (`.ts` under a loader, `.js` once compiled).
   */
  readonly stems: Readonly<Record<string, string>>;
  /** Facts about the target project the code must adapt to. */
  readonly target: TargetFeatures;
}

/**
 * The context a pattern renders with when every option takes its manifest default and the export keeps its default
 * name: what `add --yes` produces, minus the project detection. For template tooling (scripts/dev-render.ts) and
 * tests that render patterns without the CLI. The module specifier follows the format: `./<id>.js` for ES modules,
 * `./<id>` for CommonJS.
 * @param kitVersion - shown in the banner
 */
export function defaultContext(manifest: PatternManifest, target: TargetFeatures, kitVersion: string): TemplateContext {
  return {
    kit: { name: 'concurrency-kit', version: kitVersion },
    pattern: { id: manifest.id, description: manifest.description },
    name: manifest.defaultName,
    options: Object.fromEntries(manifest.options.map((o) => [o.name, o.default])),
    moduleSpecifier: target.moduleFormat === 'cjs' ? `./${manifest.id}` : `./${manifest.id}.js`,
    ...siblingNames(manifest, target.moduleFormat === 'cjs' ? 'none' : 'js'),
    target,
  };
}
