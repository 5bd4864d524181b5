/**
 * The pattern registry: every folder of `templates/` (but `_partials`) is one pattern, holding
 * `manifest.json` and the templates `module.ts.hbs`, `test.ts.hbs` and `bench.ts.hbs`.
 * Adding a pattern is adding a folder; nothing here names a pattern.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TemplateError, UnknownPatternError } from '../errors.js';
import { parseManifest, type PatternManifest } from './manifest.js';

/** The three files every pattern generates, in the order they are planned. */
export const FILE_ROLES = ['module', 'test', 'bench'] as const;
/** One of {@link FILE_ROLES}. */
export type FileRole = (typeof FILE_ROLES)[number];

/** A pattern's manifest together with its template sources. */
export interface Pattern {
  readonly manifest: PatternManifest;
  /** Handlebars source of each generated file. */
  readonly templates: Readonly<Record<FileRole, string>>;
}

/** Absolute path of the kit's package root (works from `src/` under tests and from `dist/` once built). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Absolute path of the shipped `templates/` folder. */
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
/** Folder of shared Handlebars partials inside {@link TEMPLATES_DIR}. */
export const PARTIALS_DIR = join(TEMPLATES_DIR, '_partials');

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new TemplateError(`Cannot read pattern manifest ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Loads every manifest under `templatesDir`, sorted by id.
 * @throws {@link TemplateError} when a manifest is missing or malformed.
 */
export function listPatterns(templatesDir: string = TEMPLATES_DIR): PatternManifest[] {
  const folders = readdirSync(templatesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  return folders.map((folder) => {
    const file = join(templatesDir, folder, 'manifest.json');
    if (!existsSync(file)) throw new TemplateError(`Pattern folder ${join(templatesDir, folder)} has no manifest.json`);
    return parseManifest(file, readJson(file), folder);
  });
}

/**
 * Loads one pattern with its templates.
 * @throws {@link UnknownPatternError} when `id` is not a pattern; {@link TemplateError} when its files are broken.
 */
export function loadPattern(id: string, templatesDir: string = TEMPLATES_DIR): Pattern {
  const manifests = listPatterns(templatesDir);
  const manifest = manifests.find((m) => m.id === id);
  if (!manifest) throw new UnknownPatternError(id, manifests.map((m) => m.id));
  const read = (role: FileRole): string => {
    const file = join(templatesDir, id, `${role}.ts.hbs`);
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new TemplateError(`Pattern "${id}" is missing its template ${file}`, { cause: error });
    }
  };
  return { manifest, templates: { module: read('module'), test: read('test'), bench: read('bench') } };
}
