/**
 * Shared harness for the comparative benchmarks: times a workload for each contender in
 * alternating rounds inside one process (so machine noise hits all alike) and reports the median
 * throughput, then ratios of our generated module against each peer.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Each round starts from a collected heap, so one contender's garbage (p-queue and p-limit leave a lot) is not billed
// to whoever runs next. The collection happens before setup, outside the timed (and any counted) window, for every
// contender alike.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** One contender in a comparison: `run` performs `ops` operations and resolves when done. */
export interface Contender {
  readonly name: string;
  /** Builds fresh state for a round (on a freshly collected heap) and returns the function to time. */
  readonly setup: () => Promise<() => Promise<void> | void> | (() => Promise<void> | void);
}

/** A scenario's measured figures. */
export interface ScenarioResult {
  readonly pattern: string;
  readonly scenario: string;
  /** Name of our contender (the generated module). */
  readonly subject: string;
  /** Operations per timed round. */
  readonly ops: number;
  /** Median throughput per contender, ops/s. */
  readonly opsPerSec: Readonly<Record<string, number>>;
  /** Our module's throughput divided by each peer's (> 1 means we are faster). */
  readonly ratios: readonly { readonly peer: string; readonly ratio: number; readonly target: number | null; readonly met: boolean | null }[];
}

/** Options of {@link compare}. */
export interface CompareOptions {
  readonly pattern: string;
  readonly scenario: string;
  /** Operations one round performs (for ops/s). */
  readonly ops: number;
  /** Our contender's name; every other contender is a peer. */
  readonly subject: string;
  readonly contenders: readonly Contender[];
  /** Minimum ratio (ours / peer) expected per peer name, for the report. */
  readonly targets?: Readonly<Record<string, number>>;
  /** Timed rounds per contender. @defaultValue 7 */
  readonly rounds?: number;
  /** Untimed warm-up rounds per contender. @defaultValue 2 */
  readonly warmup?: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs every contender `warmup + rounds` times, interleaved, and returns medians and ratios. */
export async function compare(options: CompareOptions): Promise<ScenarioResult> {
  const rounds = options.rounds ?? 7;
  const warmup = options.warmup ?? 2;
  const samples = new Map<string, number[]>(options.contenders.map((c) => [c.name, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (const contender of options.contenders) {
      collectGarbage();
      const fn = await contender.setup();
      const start = performance.now();
      await fn();
      const elapsedMs = performance.now() - start;
      if (round >= warmup) samples.get(contender.name)!.push((options.ops / elapsedMs) * 1000);
    }
  }
  const opsPerSec = Object.fromEntries([...samples].map(([name, s]) => [name, median(s)]));
  const ours = opsPerSec[options.subject];
  if (ours === undefined) throw new Error(`subject ${options.subject} is not a contender`);
  const ratios = options.contenders
    .filter((c) => c.name !== options.subject)
    .map((c) => {
      const ratio = ours / opsPerSec[c.name]!;
      const target = options.targets?.[c.name] ?? null;
      return { peer: c.name, ratio, target, met: target === null ? null : ratio >= target };
    });
  return { pattern: options.pattern, scenario: options.scenario, subject: options.subject, ops: options.ops, opsPerSec, ratios };
}
