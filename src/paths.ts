/** Path helpers shared by every stage. */
import { relative, sep } from 'node:path';

/** `to` relative to `from`, with POSIX separators whatever the OS (for messages, JSON and vitest filters). */
export function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}
