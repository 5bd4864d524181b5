/**
 * Which files are tests. The rules about scale and load (`Rule.scope` `'non-test'`) do not run on them: a test's
 * inputs are fixture-sized, its delays simulate latency nobody aborts, and its servers write a few chunks. The
 * correctness rules (`errors.*`, `leak.*`, `lock.*`, `race.*`) still do. The conventions of vitest, jest, mocha and
 * node:test are the default; `check.testFiles` in concurrency-kit.json replaces them.
 */

/** Globs (relative to the project root) of the files treated as tests when `check.testFiles` is not set. */
export const DEFAULT_TEST_FILES: readonly string[] = ['**/*.test.*', '**/*.spec.*', '**/test/**', '**/tests/**', '**/__tests__/**'];

/**
 * A glob as a regular expression over a POSIX path relative to the project root: `**` any number of folders,
 * `*` any characters but `/`, `?` one such character, `{a,b}` either; everything else literal.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob.charAt(i + 1) === '*') {
      const slash = glob.charAt(i + 2) === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close === -1) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, close).split(',').map(escape).join('|')})`;
        i = close;
      }
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
}

/** A predicate over root-relative POSIX paths: true when the path matches one of `globs`. */
export function testFileMatcher(globs: readonly string[] = DEFAULT_TEST_FILES): (path: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (path) => patterns.some((p) => p.test(path));
}
