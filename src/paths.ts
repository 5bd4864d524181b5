/** Path helpers shared by every stage. */
import { relative, sep } from 'node:path';

/** `to` relative to `from`, with POSIX separators whatever the OS (for messages, JSON and vitest filters). */
export function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

/**
 * A path typed by a user or read from a config file, with every backslash turned into `/`: `src\win\pool` means the
 * folder `src/win/pool` on every OS (on Linux it would otherwise name one folder with backslashes in its name).
 */
export function normalizeSeparators(path: string): string {
  return path.replace(/\\/g, '/');
}
