/**
 * Peer comparison for the `broadcast` pattern: 1,000,000 numbers published to 16 subscribers, each of which adds up
 * what it receives. Ours: 16 `"block"` subscriptions (buffer 64), then close() and the readers' drain, in two forms
 * (bursts with tryPublish/tryNext, the throughput form the target is for; and `await publish` + `for await`, one
 * promise per value and reader). rxjs: `Subject.next(n)` to 16 observers (synchronous push, nothing buffered), then
 * `complete()`. EventEmitter (node:events, the baseline of a plain fan-out): `emit` to 16 listeners.
 */
import { EventEmitter } from 'node:events';
import { Subject } from 'rxjs';
import { compare, type ScenarioResult } from './harness.js';
import { Broadcast, type BroadcastSubscription } from './.generated/broadcast.js';

const MESSAGES = 1_000_000;
const SUBSCRIBERS = 16;

/** What the subscribers added up; checked after each round so no contender can skip work. */
const EXPECTED_SUM = ((MESSAGES - 1) * MESSAGES) / 2;
function check(name: string, sums: readonly number[]): void {
  if (sums.length !== SUBSCRIBERS || sums.some((sum) => sum !== EXPECTED_SUM)) throw new Error(`${name}: wrong sums ${sums.join(', ')}`);
}

async function consume(sub: BroadcastSubscription<number>): Promise<number> {
  let sum = 0;
  for await (const value of sub) sum += value;
  return sum;
}

/** A reader that drains bursts synchronously with tryNext() and awaits next() only when its buffer is empty. */
async function drain(sub: BroadcastSubscription<number>): Promise<number> {
  let sum = 0;
  for (;;) {
    for (let r = sub.tryNext(); r !== undefined; r = sub.tryNext()) {
      if (r.done === true) return sum;
      sum += r.value;
    }
    const r = await sub.next();
    if (r.done === true) return sum;
    sum += r.value;
  }
}

const peers = [
  {
    name: 'rxjs Subject',
    setup: () => {
      return () => {
        const subject = new Subject<number>();
        const sums = new Array<number>(SUBSCRIBERS).fill(0);
        for (let s = 0; s < SUBSCRIBERS; s++) subject.subscribe((value) => void (sums[s]! += value));
        for (let i = 0; i < MESSAGES; i++) subject.next(i);
        subject.complete();
        check('rxjs', sums);
      };
    },
  },
  {
    name: 'EventEmitter',
    setup: () => {
      return () => {
        const emitter = new EventEmitter();
        emitter.setMaxListeners(SUBSCRIBERS);
        const sums = new Array<number>(SUBSCRIBERS).fill(0);
        for (let s = 0; s < SUBSCRIBERS; s++) emitter.on('message', (value: number) => void (sums[s]! += value));
        for (let i = 0; i < MESSAGES; i++) emitter.emit('message', i);
        emitter.removeAllListeners();
        check('EventEmitter', sums);
      };
    },
  },
];

/** Runs both scenarios for every contender and reports ratios against the targets. */
export async function scenarios(): Promise<ScenarioResult[]> {
  // The throughput form: the publisher publishes bursts with tryPublish() and awaits publish() only when a "block"
  // subscription is full; each reader drains its buffer with tryNext() and awaits next() only when it is empty.
  const bursts = await compare({
    pattern: 'broadcast',
    scenario: `${MESSAGES.toLocaleString('en-US')} values to ${SUBSCRIBERS} subscribers, tryPublish/tryNext bursts`,
    ops: MESSAGES,
    subject: 'concurrency-kit',
    targets: { 'rxjs Subject': 0.5 },
    rounds: 5,
    warmup: 1,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            const broadcast = new Broadcast<number>();
            const readers = Array.from({ length: SUBSCRIBERS }, () => drain(broadcast.subscribe({ buffer: 64, policy: 'block' })));
            for (let i = 0; i < MESSAGES; i++) if (!broadcast.tryPublish(i)) await broadcast.publish(i);
            await broadcast.close();
            check('concurrency-kit', await Promise.all(readers));
          };
        },
      },
      ...peers,
    ],
  });
  // The plain idiom: `await publish(n)` for every value and a `for await` loop per reader, one promise per value
  // and reader: no target, reported for what it costs.
  const perValue = await compare({
    pattern: 'broadcast',
    scenario: `${MESSAGES.toLocaleString('en-US')} values to ${SUBSCRIBERS} subscribers, await publish + for await`,
    ops: MESSAGES,
    subject: 'concurrency-kit',
    rounds: 3,
    warmup: 1,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            const broadcast = new Broadcast<number>();
            const readers = Array.from({ length: SUBSCRIBERS }, () => consume(broadcast.subscribe({ buffer: 64, policy: 'block' })));
            for (let i = 0; i < MESSAGES; i++) await broadcast.publish(i);
            await broadcast.close();
            check('concurrency-kit', await Promise.all(readers));
          };
        },
      },
      ...peers,
    ],
  });
  return [bursts, perValue];
}
