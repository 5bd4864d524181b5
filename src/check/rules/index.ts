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

/**
 * Default severity by rule id: `error` only for a rule whose findings on real code bases were at least 80% true;
 * the others ship as `warning` (figures in {@link MEASURED_PRECISION} and bench/check-precision.md). A rule with one
 * finding or none stays where it was: one finding is no evidence either way. `errors.settled-results` (3 of 4) stays
 * `warning`: a handful of findings, most of them on the very code bases whose false ones the rule was changed to
 * avoid, and one false on a fresh set.
 */
export const DEFAULT_SEVERITY: Readonly<Record<string, Severity>> = {
  'cancel.propagate': 'warning',
  'leak.handles': 'error',
  'bound.queue': 'warning',
  'bound.backpressure': 'warning',
  'lock.release': 'error',
  'sync.poll-sleep': 'error',
  'leak.timers': 'error',
  'leak.listeners': 'warning',
  'bound.concurrency': 'warning',
  'errors.unhandled': 'warning',
  'errors.async-executor': 'error',
  'errors.settled-results': 'warning',
  'race.check-then-act': 'warning',
};

/** A rule's findings on the real code bases of bench/check-precision.md, from the hand review. */
export interface MeasuredPrecision {
  /** Findings judged true. */
  readonly truePositives: number;
  /** Findings judged, with the rules as they ship: every one reported, except on one code base of set K (a sample). */
  readonly reported: number;
  /** What the figure rests on, or what the false findings have in common. */
  readonly note?: string;
}

/**
 * The measured precision of each rule that had findings on the real code bases of bench/check-precision.md (53 code
 * bases: the 21 of rounds 1 to 3, the blind sets F, G and H of round 4, I and J of round 5, and K of round 6, which
 * measured these rules as they ship; of vscode-js-debug's 531 findings in K, 76 were judged: the first 35, a random
 * 40 and its one `error` finding). Shown in the rule's docs next to its severity, and given to code scanning as the
 * rule's precision.
 */
export const MEASURED_PRECISION: Readonly<Record<string, MeasuredPrecision>> = {
  'errors.unhandled': { truePositives: 128, reported: 239, note: 'most false ones float a promise that cannot reject, or that other code handles, for reasons stated only in other functions (a wrapper that catches, a promise that only resolves)' },
  'errors.async-executor': { truePositives: 12, reported: 13 },
  'bound.concurrency': { truePositives: 19, reported: 113, note: "most false ones map over lists that only the domain keeps small (plugins, environments, job types, output formats, a request's fields), decode in memory, or already go through a limiter deeper down" },
  'race.check-then-act': { truePositives: 5, reported: 18 },
  'leak.listeners': { truePositives: 3, reported: 5 },
  'errors.settled-results': { truePositives: 3, reported: 4, note: 'too few to promote' },
  'bound.queue': { truePositives: 0, reported: 6 },
  'cancel.propagate': { truePositives: 5, reported: 9, note: 'outside test files' },
  'leak.timers': { truePositives: 2, reported: 2, note: 'a third, false, fixed in round 4' },
  'bound.backpressure': { truePositives: 1, reported: 6, note: 'outside test files' },
};

/** `19 of 70 findings true (27%): note`: the figure as the docs print it. */
export function precisionText(m: MeasuredPrecision): string {
  return `${String(m.truePositives)} of ${String(m.reported)} findings true (${String(Math.round((100 * m.truePositives) / m.reported))}%)${m.note === undefined ? '' : `: ${m.note}`}`;
}

/**
 * The figure as one of the precision levels GitHub code scanning sorts alerts by (the `precision` property of a SARIF
 * rule, as CodeQL writes it): `very-high` from 90%, `high` from 80%, `medium` from 50%, else `low`. Undefined below
 * five findings, which say too little either way.
 */
export function precisionLevel(m: MeasuredPrecision): 'very-high' | 'high' | 'medium' | 'low' | undefined {
  if (m.reported < 5) return undefined;
  const ratio = m.truePositives / m.reported;
  return ratio >= 0.9 ? 'very-high' : ratio >= 0.8 ? 'high' : ratio >= 0.5 ? 'medium' : 'low';
}
