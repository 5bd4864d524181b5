/**
 * Which files are tests. The rules about scale and load (`Rule.scope` `'non-test'`) do not run on them: a test's
 * inputs are fixture-sized, its delays simulate latency nobody aborts, and its servers write a few chunks. The
 * correctness rules (`errors.*`, `leak.*`, `lock.*`, `race.*`) still do. The conventions of vitest, jest, mocha and
 * node:test are the default; `check.testFiles` in concurrency-kit.json replaces them.
 */
import { Minimatch } from 'minimatch';

/** Globs (relative to the project root) of the files treated as tests when `check.testFiles` is not set. */
export const DEFAULT_TEST_FILES: readonly string[] = ['**/*.test.*', '**/*.spec.*', '**/test/**', '**/tests/**', '**/__tests__/**'];

/**
 * A predicate over root-relative POSIX paths: true when the path matches one of `globs` (minimatch syntax, dot files
 * included: `**` any number of folders, `*` any characters but `/`, `{a,b}` either).
 */
export function testFileMatcher(globs: readonly string[] = DEFAULT_TEST_FILES): (path: string) => boolean {
  const patterns = globs.map((glob) => new Minimatch(glob, { dot: true }));
  return (path) => patterns.some((p) => p.match(path));
}
