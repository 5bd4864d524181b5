/**
 * Pure planning: (pattern, resolved options, project facts) -> the files to write and the template context.
 * Touches no disk: what exists is passed in as data, so `--dry-run`, `--json` and tests all read the same plan.
 */
import { posix, resolve } from 'node:path';
import { posixRelative } from '../paths.js';
import type { TemplateContext, OptionValue } from './context.js';
import type { PatternManifest } from '../patterns/manifest.js';
import type { FileRole } from '../patterns/registry.js';
import type { ImportStyle, TestNaming } from '../project/conventions.js';

/** The extension of generated files: `.mts` where `.ts` would compile to CommonJS under `verbatimModuleSyntax`. */
export type SourceExtension = '.ts' | '.mts' | '.cts';

/** What the plan will do to one file. */
export type FileAction = 'create' | 'overwrite';

/** One file of a plan. */
export interface PlannedFile {
  readonly role: FileRole;
  /** Absolute path. */
  readonly path: string;
  /** Path relative to the working directory, POSIX separators (for messages and JSON). */
  readonly displayPath: string;
  readonly action: FileAction;
}

/** Everything needed to render and write one pattern. */
export interface Plan {
  readonly pattern: string;
  readonly context: TemplateContext;
  readonly files: readonly PlannedFile[];
  /** Files that exist and would be replaced while `--overwrite` is off: the plan cannot be applied. */
  readonly conflicts: readonly PlannedFile[];
}

/** Inputs of {@link planAdd}. */
export interface PlanInput {
  readonly manifest: PatternManifest;
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly name: string;
  /** Absolute working directory (`--cwd`). */
  readonly cwd: string;
  /** Absolute output directory. */
  readonly outDir: string;
  /** How the test and bench files import the module: `./id.js`, `./id.ts` or `./id`. */
  readonly importStyle: ImportStyle;
  /** `<id>.test.ts` or `<id>.spec.ts`. @defaultValue `'test'` */
  readonly testNaming?: TestNaming;
  /** @defaultValue `.ts` */
  readonly extension?: SourceExtension;
  readonly moduleFormat: 'esm' | 'cjs';
  readonly asyncDispose: boolean;
  readonly kitVersion: string;
  /** Which roles to generate (`--no-test`, `--no-bench` drop theirs). */
  readonly roles: readonly FileRole[];
  /** Absolute paths that already exist. */
  readonly existing: ReadonlySet<string>;
  readonly overwrite: boolean;
}

/** How generated files are named: the test suffix and the TypeScript extension. */
export interface FileNaming {
  /** `test` gives `<id>.test.ts`, `spec` gives `<id>.spec.ts`. @defaultValue `'test'` */
  readonly testNaming?: TestNaming;
  /** Extension of every generated file: `.ts`, `.mts` or `.cts`. @defaultValue `'.ts'` */
  readonly extension?: SourceExtension;
}

/** The file name without its extension: `<id>`, `<id>.test` (or `<id>.spec`), `<id>.bench`, `<id>.<role>` for a companion. */
export function fileStemFor(id: string, role: FileRole, naming: Pick<FileNaming, 'testNaming'> = {}): string {
  if (role === 'module') return id;
  return `${id}.${role === 'test' ? (naming.testNaming ?? 'test') : role}`;
}

/** The file name of each role: `<id>.ts`, `<id>.test.ts` (or `<id>.spec.ts`), `<id>.bench.ts`, `<id>.<role>.ts`. */
export function fileNameFor(id: string, role: FileRole, naming: FileNaming = {}): string {
  return `${fileStemFor(id, role, naming)}${naming.extension ?? '.ts'}`;
}

/** The JavaScript extension a TypeScript extension compiles to. */
const JS_EXTENSION = { '.ts': '.js', '.mts': '.mjs', '.cts': '.cjs' } as const;

/**
 * The specifier sibling files use to import the module, always POSIX: `./<id>.js` (style `js`), `./<id>.ts`
 * (style `ts`) or `./<id>` (style `none`); `.mts`/`.cts` modules map to `.mjs`/`.cjs` and `.mts`/`.cts`.
 */
export function moduleSpecifier(id: string, style: ImportStyle, extension: SourceExtension = '.ts'): string {
  const suffix = style === 'js' ? JS_EXTENSION[extension] : style === 'ts' ? extension : '';
  return posix.join('.', `${id}${suffix}`).replace(/^(?!\.)/, './');
}

/**
 * The import specifier and file stem of the module and each companion, by role (see `TemplateContext.specifiers`
 * and `TemplateContext.stems`).
 */
export function siblingNames(manifest: PatternManifest, style: ImportStyle, extension: SourceExtension = '.ts'): Pick<TemplateContext, 'specifiers' | 'stems'> {
  const roles = ['module', ...manifest.companions.map((c) => c.role)];
  const stems = Object.fromEntries(roles.map((role) => [role, fileStemFor(manifest.id, role)]));
  const specifiers = Object.fromEntries(Object.entries(stems).map(([role, stem]) => [role, moduleSpecifier(stem, style, extension)]));
  return { specifiers, stems };
}

/** The inputs of {@link planFiles}: the part of {@link PlanInput} that decides which files are written where. */
export type FilePlanInput = Pick<PlanInput, 'cwd' | 'outDir' | 'roles' | 'existing' | 'overwrite' | 'testNaming' | 'extension'> & { readonly id: string };

/**
 * Plans the files alone (paths, actions, conflicts), which needs nothing from the compiler: the generator
 * consults it to refuse early, before the slow stages. Pure.
 */
export function planFiles(input: FilePlanInput): Pick<Plan, 'files' | 'conflicts'> {
  const files = input.roles.map((role): PlannedFile => {
    const path = resolve(input.outDir, fileNameFor(input.id, role, {
      ...(input.testNaming !== undefined ? { testNaming: input.testNaming } : {}),
      ...(input.extension !== undefined ? { extension: input.extension } : {}),
    }));
    return {
      role,
      path,
      displayPath: posixRelative(input.cwd, path) || path,
      action: input.existing.has(path) ? 'overwrite' : 'create',
    };
  });
  const conflicts = input.overwrite ? [] : files.filter((f) => f.action === 'overwrite');
  return { files, conflicts };
}

/** Builds the plan. Pure. */
export function planAdd(input: PlanInput): Plan {
  const id = input.manifest.id;
  const context: TemplateContext = {
    kit: { name: 'concurrency-kit', version: input.kitVersion },
    pattern: { id, description: input.manifest.description },
    name: input.name,
    options: input.options,
    moduleSpecifier: moduleSpecifier(id, input.importStyle, input.extension),
    ...siblingNames(input.manifest, input.importStyle, input.extension),
    target: { moduleFormat: input.moduleFormat, asyncDispose: input.asyncDispose },
  };
  return { pattern: id, context, ...planFiles({ ...input, id }) };
}
