/**
 * Stage 1 of writing: Handlebars renders each template with the typed {@link TemplateContext}.
 * Compiled with `noEscape` (so `Map<K, V>` stays `Map<K, V>`) and `strict` (an unknown field is an error).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { TemplateError } from '../errors.js';
import { PARTIALS_DIR } from '../patterns/registry.js';
import type { TemplateContext } from './context.js';

let engine: typeof Handlebars | undefined;

function createEngine(partialsDir: string): typeof Handlebars {
  const hbs = Handlebars.create();
  for (const entry of readdirSync(partialsDir)) {
    if (!entry.endsWith('.hbs')) continue;
    // Partials used inline (e.g. `await {{> asyncDisposeCall value="x"}};`) are saved without a final newline.
    const source = readFileSync(join(partialsDir, entry), 'utf8');
    hbs.registerPartial(basename(entry, '.hbs'), source);
  }
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
  return hbs;
}

/**
 * Renders one template source.
 * @param source - Handlebars source (a `.ts.hbs` file's text)
 * @param context - the validated context
 * @param label - name used in error messages, e.g. `worker-pool/module.ts.hbs`
 * @throws {@link TemplateError} when the template fails to compile or references a missing field.
 */
export function renderTemplate(source: string, context: TemplateContext, label: string, partialsDir: string = PARTIALS_DIR): string {
  engine ??= createEngine(partialsDir);
  try {
    const template = engine.compile(source, { noEscape: true, strict: true, knownHelpersOnly: false });
    return template(context);
  } catch (error) {
    throw new TemplateError(`Template ${label} failed to render: ${(error as Error).message}`, { cause: error });
  }
}
