/**
 * The pattern registry: every folder of `templates/` (but `_partials`) is one pattern, holding
 * `manifest.json` and the templates `module.ts.hbs`, `test.ts.hbs` and `bench.ts.hbs`, plus `<role>.ts.hbs` for each
 * companion file the manifest declares. Adding a pattern is adding a folder; nothing here names a pattern.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TemplateError, UnknownPatternError } from '../errors.js';
import { parseManifest, type CompanionSpec, type PatternManifest } from './manifest.js';

/** The three files every pattern generates, in the order they are planned. */
export const FILE_ROLES = ['module', 'test', 'bench'] as const;
/** One of {@link FILE_ROLES}. */
export type PrimaryRole = (typeof FILE_ROLES)[number];
/**
 * A generated file's role: a {@link PrimaryRole}, or the role of a companion file the manifest declares
 * (`worker`, `task`, ...; see {@link CompanionSpec}).
 */
export type FileRole = string;

/** A pattern's manifest together with its template sources. */
export interface Pattern {
  readonly manifest: PatternManifest;
  /** Handlebars source of each generated file, by role: `module`, `test`, `bench` and every companion's role. */
  readonly templates: Readonly<Record<PrimaryRole, string>> & Readonly<Record<FileRole, string | undefined>>;
}

/**
 * The Handlebars source of one of a pattern's files.
 * @throws {@link TemplateError} when the pattern has no file with that role.
 */
export function templateOf(pattern: Pattern, role: FileRole): string {
  const source = pattern.templates[role];
  if (source === undefined) throw new TemplateError(`Pattern "${pattern.manifest.id}" has no file with the role "${role}"`);
  return source;
}

/**
 * True when the module (or a companion written with it) imports Node's own modules (`node:worker_threads` ...): it
 * then needs Node's types, and `add` refuses a project that does not see them, naming the fix.
 */
export function requiresNodeTypes(pattern: Pattern): boolean {
  const moduleSide = ['module', ...pattern.manifest.companions.filter((c) => c.with === 'module').map((c) => c.role)];
  return moduleSide.some((role) => importsNodeModules(pattern.templates[role]));
}

/** True when a template imports one of Node's own modules (`from 'node:…'`, `require('node:…')`, `import('node:…')`). */
export function importsNodeModules(template: string | undefined): boolean {
  return template !== undefined && /\bfrom\s+['"]node:|\brequire\(\s*['"]node:|\bimport\(\s*['"]node:/.test(template);
}

/** Which of a pattern's primary files are asked for (`--no-test`, `--no-bench` turn theirs off). */
export interface RoleRequest {
  readonly test: boolean;
  readonly bench: boolean;
}

/**
 * The roles to generate, in the order they are planned and recorded: the module, its `with: "module"` companions,
 * then (when asked for) the test and the bench, and the `with: "tests"` companions when either of them is.
 */
export function rolesFor(manifest: PatternManifest, request: RoleRequest): FileRole[] {
  const companions = (side: CompanionSpec['with']): string[] => manifest.companions.filter((c) => c.with === side).map((c) => c.role);
  const tests = [...(request.test ? ['test'] : []), ...(request.bench ? ['bench'] : [])];
  return ['module', ...companions('module'), ...tests, ...(tests.length > 0 ? companions('tests') : [])];
}

/**
 * True for the roles that serve the tests rather than the module: `test`, `bench` and the `with: "tests"`
 * companions. Those are the files that need vitest (and the manifest's `testDependencies`).
 */
export function isTestSide(manifest: PatternManifest, role: FileRole): boolean {
  if (role === 'test' || role === 'bench') return true;
  return manifest.companions.some((c) => c.role === role && c.with === 'tests');
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
  const companions = Object.fromEntries(manifest.companions.map((c) => [c.role, read(c.role)]));
  return { manifest, templates: { ...companions, module: read('module'), test: read('test'), bench: read('bench') } };
}
