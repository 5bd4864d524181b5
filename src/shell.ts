/** Command lines the user may copy into a shell: one quoting rule for every hint the kit prints. */

/**
 * Quotes `arg` for a shell command line the user may copy: left as is when it holds only safe characters, else in
 * single quotes (POSIX shells) or double quotes (Windows).
 */
export function shellQuote(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (arg !== '' && /^[\p{L}\p{N}_@%+=:,./^~-]+$/u.test(arg)) return arg;
  if (platform === 'win32') return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one line a user can paste into a shell. */
export function commandLine(argv: readonly string[]): string {
  return argv.map((arg) => shellQuote(arg)).join(' ');
}
