/**
 * Peer comparison for the `rate-limiter` pattern: 1,000,000 non-blocking "take one token" calls per round, same
 * settings for everyone (burst 1,000 tokens, refill 10,000,000 tokens/s, so a good share succeed and both the
 * accept and the refuse paths are exercised), against `limiter` v3's `TokenBucket.tryRemoveTokens(1)` and
 * `rate-limiter-flexible`'s `RateLimiterMemory.consume(key)` (a promise that rejects when limited; consumed in
 * batches of 1,000 with both outcomes handled, which is the cheapest way to drive it).
 *
 * Scenarios: one key (our `TokenBucket.tryTake()`), and 1,000 keys cycled round-robin (our `KeyedRateLimiter`;
 * for `limiter`, a `Map` of 1,000 lazily created buckets).
 */
import { TokenBucket as LimiterTokenBucket } from 'limiter';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { compare, type Contender, type ScenarioResult } from './harness.js';
import { KeyedRateLimiter, TokenBucket } from './.generated/rate-limiter.js';

const OPS = 1_000_000;
const CAPACITY = 1_000;
const REFILL_PER_SECOND = 10_000_000;
const BATCH = 1_000;
const KEYS = Array.from({ length: 1_000 }, (_, i) => `tenant-${i}`);
const noop = (): void => {};

/** Accepted share of the last timed round per contender, reported to stderr so the workloads can be compared. */
const accepted = new Map<string, number>();

function ours(keyCount: number): Contender {
  return {
    name: 'concurrency-kit',
    setup: () => {
      if (keyCount === 1) {
        return async () => {
          const bucket = new TokenBucket({ capacity: CAPACITY, refillPerSecond: REFILL_PER_SECOND });
          let ok = 0;
          for (let i = 0; i < OPS; i++) if (bucket.tryTake()) ok++;
          accepted.set(`concurrency-kit/${keyCount}`, ok / OPS);
          await bucket.close();
        };
      }
      return async () => {
        const limiter = new KeyedRateLimiter({ capacity: CAPACITY, refillPerSecond: REFILL_PER_SECOND, maxKeys: KEYS.length });
        let ok = 0;
        for (let i = 0, k = 0; i < OPS; i++) {
          if (limiter.tryTake(KEYS[k] as string)) ok++;
          k = k === KEYS.length - 1 ? 0 : k + 1;
        }
        accepted.set(`concurrency-kit/${keyCount}`, ok / OPS);
        await limiter.close();
      };
    },
  };
}

function limiter(keyCount: number): Contender {
  const create = (): LimiterTokenBucket =>
    new LimiterTokenBucket({ bucketSize: CAPACITY, tokensPerInterval: REFILL_PER_SECOND, interval: 'second' });
  return {
    name: 'limiter',
    setup: () => {
      if (keyCount === 1) {
        return () => {
          const bucket = create();
          let ok = 0;
          for (let i = 0; i < OPS; i++) if (bucket.tryRemoveTokens(1)) ok++;
          accepted.set(`limiter/${keyCount}`, ok / OPS);
        };
      }
      return () => {
        const buckets = new Map<string, LimiterTokenBucket>();
        let ok = 0;
        for (let i = 0, k = 0; i < OPS; i++) {
          const key = KEYS[k] as string;
          let bucket = buckets.get(key);
          if (bucket === undefined) {
            bucket = create();
            buckets.set(key, bucket);
          }
          if (bucket.tryRemoveTokens(1)) ok++;
          k = k === KEYS.length - 1 ? 0 : k + 1;
        }
        accepted.set(`limiter/${keyCount}`, ok / OPS);
      };
    },
  };
}

function flexible(keyCount: number): Contender {
  return {
    name: 'rate-limiter-flexible',
    setup: () => async () => {
      // Fixed window of 1 s with the same sustained rate (its model has no separate burst size).
      const rl = new RateLimiterMemory({ points: REFILL_PER_SECOND, duration: 1 });
      let ok = 0;
      const onOk = (): void => {
        ok++;
      };
      for (let i = 0, k = 0; i < OPS; ) {
        let last: Promise<void> | undefined;
        for (let j = 0; j < BATCH; j++, i++) {
          last = rl.consume(KEYS[k] as string).then(onOk, noop);
          if (keyCount > 1) k = k === KEYS.length - 1 ? 0 : k + 1;
        }
        await last; // settle in order: once the last of the batch settled, all did
      }
      accepted.set(`rate-limiter-flexible/${keyCount}`, ok / OPS);
    },
  };
}

/** Runs both scenarios and reports ratios against the targets. */
export async function scenarios(): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const [keyCount, targets] of [
    [1, { limiter: 1 }],
    [KEYS.length, { 'rate-limiter-flexible': 3 }],
  ] as const) {
    results.push(
      await compare({
        pattern: 'rate-limiter',
        scenario: `tryTake x ${OPS.toLocaleString('en-US')}, ${keyCount.toLocaleString('en-US')} key${keyCount === 1 ? '' : 's'}`,
        ops: OPS,
        subject: 'concurrency-kit',
        targets,
        rounds: 7,
        warmup: 2,
        contenders: [ours(keyCount), limiter(keyCount), flexible(keyCount)],
      }),
    );
    const shares = [...accepted].filter(([name]) => name.endsWith(`/${keyCount}`));
    process.stderr.write(`  rate-limiter ${keyCount} key(s): accepted share ${shares.map(([n, s]) => `${n.split('/')[0]} ${(s * 100).toFixed(1)}%`).join(', ')}\n`);
  }
  return results;
}
