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

/** Every rule, in the order of the checklist. */
export const RULES: readonly Rule[] = [leakTimers, leakListeners, boundConcurrency, errorsUnhandled, errorsAsyncExecutor, errorsSettledResults, raceCheckThenAct];

/** Default severity by rule id. */
export const DEFAULT_SEVERITY: Readonly<Record<string, Severity>> = {
  'leak.timers': 'error',
  'leak.listeners': 'error',
  'bound.concurrency': 'error',
  'errors.unhandled': 'error',
  'errors.async-executor': 'error',
  'errors.settled-results': 'error',
  'race.check-then-act': 'error',
};
