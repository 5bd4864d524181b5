/**
 * Whether a tsconfig's `files` / `include` / `exclude` cover a file, with TypeScript's wildcard rules:
 * `*` and `?` stay within one path segment, `**` spans directories (but never `node_modules`, `bower_components`,
 * `jspm_packages` or a dot-folder), a last segment with no `.` and no wildcard names a directory (`src` means
 * `src/**\/*`), wildcards never match a name that starts with a dot, and an `exclude` entry also excludes
 * everything below a directory it matches.
 */
import { isAbsolute, resolve, sep } from 'node:path';

/** One list of path specs and the directory its relative entries are resolved against. */
export interface SpecList {
  readonly specs: readonly string[];
  /** Absolute directory of the config that declared the list. */
  readonly baseDir: string;
}

/** The file-selection part of a resolved tsconfig. */
export interface FileSelection {
  /** `files`, or null when no config in the chain declares it. */
  readonly files: SpecList | null;
  /** `include`, or null when no config in the chain declares it. */
  readonly include: SpecList | null;
  /** `exclude`, or null when no config in the chain declares it. */
  readonly exclude: SpecList | null;
  /** Absolute `outDir`, excluded by default when `exclude` is not given. */
  readonly outDir: string | null;
  /** Absolute directory of the config itself (where the default `include` of `**\/*` starts). */
  readonly configDir: string;
}

const IMPLICIT_EXCLUDES = ['node_modules', 'bower_components', 'jspm_packages'];
const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** The regular expression for one spec; `usage` decides whether directories are implied and excluded prefixes match. */
function specPattern(spec: string, baseDir: string, usage: 'include' | 'exclude'): RegExp | null {
  const absolute = toPosix(isAbsolute(spec) ? resolve(spec) : resolve(baseDir, spec));
  const components = absolute.split('/');
  const last = components[components.length - 1] ?? '';
  if (usage === 'include') {
    if (last === '**') return null; // tsc rejects an include that ends in `**`
    if (!/[.*?]/.test(last)) components.push('**', '*');
  }
  let pattern = '';
  for (const [index, component] of components.entries()) {
    if (index === 0) {
      pattern += escape(component); // '' on POSIX, 'C:' on Windows
      continue;
    }
    if (component === '**') {
      pattern +=
        usage === 'include' ? `(?:/(?!(?:${IMPLICIT_EXCLUDES.join('|')})(?:/|$))[^/.][^/]*)*?` : '(?:/[^/]+)*?';
      continue;
    }
    let part = '/';
    if (usage === 'include' && (component.startsWith('*') || component.startsWith('?'))) part += '(?!\\.)';
    for (const ch of component) part += ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : escape(ch);
    pattern += part;
  }
  const tail = usage === 'exclude' ? '(?:$|/)' : '$';
  return new RegExp(`^${pattern}${tail}`, caseInsensitive ? 'i' : '');
}

function matchesAny(list: SpecList, path: string, usage: 'include' | 'exclude'): boolean {
  const target = toPosix(path);
  return list.specs.some((spec) => specPattern(spec, list.baseDir, usage)?.test(target) ?? false);
}

/**
 * True when a program built from this selection would contain `file` (an absolute path) as a root file.
 * A config with `files` and no `include` covers only its files; one with neither covers `**\/*` below it.
 */
export function selectionCovers(selection: FileSelection, file: string): boolean {
  const target = resolve(file);
  if (selection.files) {
    const same = (a: string, b: string): boolean => (caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
    if (selection.files.specs.some((spec) => same(resolve(selection.files?.baseDir ?? '', spec), target))) return true;
  }
  const include = selection.include ?? (selection.files ? null : { specs: ['**/*'], baseDir: selection.configDir });
  if (!include || !matchesAny(include, target, 'include')) return false;
  const exclude = selection.exclude ?? {
    specs: [...IMPLICIT_EXCLUDES, ...(selection.outDir ? [selection.outDir] : [])],
    baseDir: selection.configDir,
  };
  return !matchesAny(exclude, target, 'exclude');
}
