#!/usr/bin/env node
/** The bin entry: the only place that sets the process exit code. Ctrl-C exits with 130. */
import { runCli } from './program.js';
import { ExitCode, InterruptedError } from '../errors.js';
import { diskWriteState } from '../generate/apply.js';

/**
 * The fallback for work that does not stop promptly after Ctrl-C (a long synchronous type-check, a hung child):
 * exit 130, saying "nothing was written" only when that is true, and never in the middle of a write (an all-or-nothing
 * write takes milliseconds; its own abort check rolls it back).
 */
function forceExit(): void {
  const state = diskWriteState();
  if (state === 'writing') {
    setTimeout(forceExit, 50).unref();
    return;
  }
  process.stderr.write(state === 'none' ? `error: ${new InterruptedError().message}\n` : 'error: Interrupted after the files were written.\n');
  process.exit(ExitCode.interrupted);
}

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort(new Error('interrupted'));
  // A second Ctrl-C, or work that does not stop promptly, ends the process at once.
  process.once('SIGINT', () => process.exit(ExitCode.interrupted));
  setTimeout(forceExit, 2000).unref();
});

// The command decides: an interrupted command ends with InterruptedError (130, nothing written); one that had
// already finished when the signal arrived reports its own result.
process.exit(await runCli(process.argv, controller.signal));
