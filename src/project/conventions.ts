/**
 * The project's conventions, read from its own source files: how test files are named (`*.test.ts` or
 * `*.spec.ts`) and how relative imports are written (`./x.js`, `./x.ts` or `./x`), the latter constrained by what
 * the compiler configuration allows.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** How test files are named: `<id>.test.ts` or `<id>.spec.ts`. */
export type TestNaming = 'test' | 'spec';

/** How relative import specifiers end: `.js`, `.ts`, or no extension. */
export type ImportStyle = 'js' | 'ts' | 'none';

/** Folders never sampled: dependencies, build output, caches. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', 'tmp', 'temp', 'vendor', 'bower_components', 'jspm_packages']);
const SOURCE_FILE = /\.(?:[cm]?ts|tsx)$/;
const CODE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/** The most file names one scan collects; the most files whose contents the import sampler reads. */
const MAX_FILES = 5000;
const MAX_READ = 300;

/**
 * Lists the project's code files (`.ts`, `.tsx`, `.js` ... but not `.d.ts`), sorted, skipping dependencies, build
 * output and hidden folders; at most 5,000 of them, nearest folders first.
 */
export function scanProjectFiles(projectRoot: string): string[] {
  const files: string[] = [];
  const queue = [projectRoot];
  while (queue.length > 0 && files.length < MAX_FILES) {
    const dir = queue.shift() ?? projectRoot;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) queue.push(full);
      } else if (entry.isFile() && CODE_FILE.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name)) {
        files.push(full);
      }
    }
  }
  return files;
}

/** What a test-naming decision rests on. */
export interface TestNamingEvidence {
  readonly naming: TestNaming;
  /** `vitest-config` (its `include` names only one kind), `files` (a majority of the project's test files) or `default`. */
  readonly from: 'vitest-config' | 'files' | 'default';
  readonly testFiles: number;
  readonly specFiles: number;
}

const VITEST_CONFIGS = ['vitest.config.ts', 'vitest.config.mts', 'vitest.config.cts', 'vitest.config.js', 'vitest.config.mjs', 'vitest.config.cjs', 'vite.config.ts', 'vite.config.mts', 'vite.config.js', 'vite.config.mjs'];

/** The kinds of test file a vitest config's `include` arrays name, when they are plain string literals. */
function vitestIncludeKinds(projectRoot: string): Set<TestNaming> {
  const kinds = new Set<TestNaming>();
  for (const name of VITEST_CONFIGS) {
    const file = join(projectRoot, name);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\binclude\s*:\s*\[([^\]]*)\]/g)) {
      for (const literal of (match[1] ?? '').matchAll(/(['"`])([^'"`]*)\1/g)) {
        const glob = literal[2] ?? '';
        if (/(^|[^a-z])spec\b/.test(glob)) kinds.add('spec');
        if (/(^|[^a-z])test\b/.test(glob.replace(/\btests?\//g, ''))) kinds.add('test');
      }
    }
  }
  return kinds;
}

/**
 * Decides how test files are named in the project: when its vitest (or vite) config's `include` names only
 * `*.spec.*` or only `*.test.*` files, that; else the majority of its test files (ties and none: `test`).
 * @param files - the project's files, from {@link scanProjectFiles} (scanned when omitted)
 */
export function detectTestNaming(projectRoot: string, files: readonly string[] = scanProjectFiles(projectRoot)): TestNamingEvidence {
  let testFiles = 0;
  let specFiles = 0;
  for (const file of files) {
    if (/\.test\.[cm]?[jt]sx?$/.test(file)) testFiles++;
    else if (/\.spec\.[cm]?[jt]sx?$/.test(file)) specFiles++;
  }
  const kinds = vitestIncludeKinds(projectRoot);
  if (kinds.size === 1) return { naming: kinds.has('spec') ? 'spec' : 'test', from: 'vitest-config', testFiles, specFiles };
  if (testFiles + specFiles > 0) return { naming: specFiles > testFiles ? 'spec' : 'test', from: 'files', testFiles, specFiles };
  return { naming: 'test', from: 'default', testFiles, specFiles };
}

/** The compiler settings that decide which import styles compile. */
export interface ImportStyleConstraints {
  /** Module resolution in lower case: `node16`, `nodenext`, `bundler`, `node10` or `classic`. */
  readonly moduleResolution: string;
  /** Whether the generated files are ES modules or CommonJS once compiled. */
  readonly moduleFormat: 'esm' | 'cjs';
  readonly allowImportingTsExtensions: boolean;
  readonly rewriteRelativeImportExtensions: boolean;
  /** The extension of the generated files: an `.mts` module is found only through its `.mjs` name. @defaultValue `'.ts'` */
  readonly extension?: '.ts' | '.mts';
}

/**
 * The import styles the compiler accepts: `.ts` only with `allowImportingTsExtensions` or
 * `rewriteRelativeImportExtensions`; no extension not for ES modules under node16/nodenext; `.js` always (`.mjs` for
 * `.mts` files, which allow nothing else).
 */
export function allowedImportStyles(c: ImportStyleConstraints): ImportStyle[] {
  const styles: ImportStyle[] = ['js'];
  if (c.extension === '.mts') return styles;
  if (c.allowImportingTsExtensions || c.rewriteRelativeImportExtensions) styles.push('ts');
  const nodeEsm = (c.moduleResolution === 'node16' || c.moduleResolution === 'nodenext') && c.moduleFormat === 'esm';
  if (!nodeEsm) styles.push('none');
  return styles;
}

/** The style used when the project's files say nothing allowed: `.js` for Node ES modules, `.ts` when rewritten, else none. */
export function defaultImportStyle(c: ImportStyleConstraints): ImportStyle {
  if (c.extension === '.mts') return 'js';
  if ((c.moduleResolution === 'node16' || c.moduleResolution === 'nodenext') && c.moduleFormat === 'esm') return 'js';
  if (c.rewriteRelativeImportExtensions) return 'ts';
  return 'none';
}

/** Counts of the relative import specifiers sampled, by style. */
export type ImportStyleCounts = Readonly<Record<ImportStyle, number>>;

/** What an import-style decision rests on. */
export interface ImportStyleEvidence {
  readonly style: ImportStyle;
  /** `files` (the most frequent allowed style in the project's own imports) or `default` ({@link defaultImportStyle}). */
  readonly from: 'files' | 'default';
  readonly counts: ImportStyleCounts;
}

/** Extensions of relative imports that are not code (stylesheets, data, assets): such imports say nothing. */
const ASSET_EXTENSION = /\.(?:css|scss|sass|less|styl|json|jsonc|json5|svg|png|jpe?g|gif|webp|avif|ico|bmp|woff2?|ttf|otf|eot|mp3|mp4|webm|wav|txt|md|mdx|html|vue|svelte|astro|wasm|node|graphql|gql|ya?ml|toml|csv|xml)$/i;

/** The style of one relative specifier, or null when it is not a relative code import. */
export function specifierStyle(specifier: string): ImportStyle | null {
  if (!/^\.\.?(\/|$)/.test(specifier)) return null;
  const path = specifier.replace(/[?#].*$/, '');
  if (/\.[cm]?jsx?$/.test(path)) return 'js';
  if (/\.[cm]?tsx?$/.test(path)) return 'ts';
  if (ASSET_EXTENSION.test(path)) return null;
  return 'none';
}

/** The relative specifiers of `import ... from`, `export ... from`, `import '...'` and `import('...')` in `text`. */
export function relativeSpecifiers(text: string): string[] {
  const out: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}(?:\/[^'"\n]*)?)\1/g;
  for (const match of text.matchAll(pattern)) out.push(match[2] ?? '');
  return out;
}

function readHead(file: string, bytes = 16_384): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Counts the relative import styles in up to 300 of the project's TypeScript files (the kit's own generated files excluded). */
export function sampleImportStyles(files: readonly string[]): ImportStyleCounts {
  const counts: Record<ImportStyle, number> = { js: 0, ts: 0, none: 0 };
  let read = 0;
  for (const file of files) {
    if (!SOURCE_FILE.test(file)) continue;
    if (read++ >= MAX_READ) break;
    let text: string;
    try {
      text = readHead(file);
    } catch {
      continue;
    }
    if (text.startsWith('// Generated by concurrency-kit')) continue;
    for (const specifier of relativeSpecifiers(text)) {
      const style = specifierStyle(specifier);
      if (style !== null) counts[style]++;
    }
  }
  return counts;
}

/**
 * Decides the import style of generated files: the most frequent style among the project's own relative imports
 * that the compiler allows ({@link allowedImportStyles}; ties go to `.js`, then `.ts`), else {@link defaultImportStyle}.
 * @param files - the project's files, from {@link scanProjectFiles} (scanned when omitted)
 */
export function detectImportStyle(
  projectRoot: string,
  constraints: ImportStyleConstraints,
  files: readonly string[] = scanProjectFiles(projectRoot),
): ImportStyleEvidence {
  const counts = sampleImportStyles(files);
  const allowed = allowedImportStyles(constraints);
  const ranked = (['js', 'ts', 'none'] as const).filter((s) => allowed.includes(s) && counts[s] > 0).sort((a, b) => counts[b] - counts[a]);
  const top = ranked[0];
  return top !== undefined ? { style: top, from: 'files', counts } : { style: defaultImportStyle(constraints), from: 'default', counts };
}
