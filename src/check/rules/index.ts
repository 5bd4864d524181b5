/**
 * Every rule `check` runs, with its default severity. A rule whose precision on real code bases measures below 80%
 * ships as `warning` (see bench/check-precision.md); the severity is one entry of {@link DEFAULT_SEVERITY}.
 */
import type { Severity } from '../../report/finding.js';
import type { Rule } from '../rule.js';
import { boundConcurrency } from './bound.concurrency.js';
import { leakTimers } from './leak.timers.js';
import { leakListeners } from './leak.listeners.js';
import { errorsUnhandled } from './errors.unhandled.js';
import { errorsAsyncExecutor } from './errors.async-executor.js';
import { errorsSettledResults } from './errors.settled-results.js';
import { raceCheckThenAct } from './race.check-then-act.js';
import { cancelPropagate } from './cancel.propagate.js';
import { lockRelease } from './lock.release.js';
import { boundQueue } from './bound.queue.js';
import { boundBackpressure } from './bound.backpressure.js';
import { syncPollSleep } from './sync.poll-sleep.js';
import { leakHandles } from './leak.handles.js';

/** Every rule, in the order of the checklist. */
export const RULES: readonly Rule[] = [
  cancelPropagate,
  leakTimers,
  leakListeners,
  leakHandles,
  boundConcurrency,
  boundQueue,
  boundBackpressure,
  errorsUnhandled,
  errorsAsyncExecutor,
  errorsSettledResults,
  lockRelease,
  raceCheckThenAct,
  syncPollSleep,
];

/** Default severity by rule id. */
export const DEFAULT_SEVERITY: Readonly<Record<string, Severity>> = {
  'cancel.propagate': 'warning',
  'leak.handles': 'error',
  'bound.queue': 'warning',
  'bound.backpressure': 'warning',
  'lock.release': 'error',
  'sync.poll-sleep': 'error',
  'leak.timers': 'error',
  'leak.listeners': 'error',
  'bound.concurrency': 'warning',
  'errors.unhandled': 'error',
  'errors.async-executor': 'error',
  'errors.settled-results': 'error',
  'race.check-then-act': 'warning',
};

/**
 * The measured precision of each rule shipped as `warning` for falling below 80% on real code bases: true findings of
 * all findings, from the hand review in bench/check-precision.md. Shown in the rule's docs next to its severity.
 */
export const MEASURED_PRECISION: Readonly<Record<string, string>> = {
  'cancel.propagate': '1 of 3 findings true (33%)',
  'bound.concurrency': '2 of 8 findings true (25%)',
  'bound.queue': '0 of 1 findings true (0%)',
  'bound.backpressure': '0 of 1 findings true (0%)',
  'race.check-then-act': '1 of 2 findings true (50%)',
};
