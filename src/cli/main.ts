#!/usr/bin/env node
/** The bin entry: the only place that sets the process exit code. Ctrl-C exits with 130. */
import { runCli } from './program.js';
import { ExitCode } from '../errors.js';

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort(new Error('interrupted'));
  // A second Ctrl-C, or work that does not stop promptly, ends the process at once.
  process.once('SIGINT', () => process.exit(ExitCode.interrupted));
  setTimeout(() => process.exit(ExitCode.interrupted), 2000).unref();
});

// The command decides: an interrupted command ends with InterruptedError (130, nothing written); one that had
// already finished when the signal arrived reports its own result.
process.exit(await runCli(process.argv, controller.signal));
