/**
 * Peer comparison for the `channel` pattern, two scenarios, each written the way its library is meant to be used:
 *
 * - **unbuffered ping-pong**: 30,000 round trips between a client and an echo task over two unbuffered channels
 *   (`await ping.send(i); await pong.receive()`, the echo `for await`s over ping and sends back on pong), against
 *   two it-pushables (push, then await the other one's `next()`) and two `@repeaterjs/repeater`s with no buffer
 *   (pushing without awaiting, since a Repeater's `push()` promise settles only when the consumer pulls again).
 * - **buffered throughput**: 100,000 numbers from one producer to one `for await` consumer through a buffer of
 *   1,024: our `await ch.send(i)`, it-pushable pushing and awaiting `onEmpty()` whenever 1,024 values are queued (its
 *   way to bound the buffer), and a Repeater over a `FixedBuffer(1024)` whose executor awaits each `push()`.
 */
import { Repeater, FixedBuffer } from '@repeaterjs/repeater';
import { pushable } from 'it-pushable';
import { compare, type ScenarioResult } from './harness.js';
import { Channel } from './.generated/channel.js';

const ROUND_TRIPS = 30_000;
const MESSAGES = 100_000;
const CAPACITY = 1_024;

/** A Repeater fed from outside: its executor hands out `push` and `stop` (it runs on the first `next()`). */
function externalRepeater<T>(buffer?: FixedBuffer<T>): { repeater: Repeater<T>; push: (value: T) => Promise<unknown>; stop: () => void } {
  let push: ((value: T) => Promise<unknown>) | undefined;
  let stop: (() => void) | undefined;
  const repeater = new Repeater<T>((p, s) => {
    push = p;
    stop = () => s();
  }, buffer);
  return {
    repeater,
    push: (value) => (push === undefined ? Promise.reject(new Error('not started')) : push(value)),
    stop: () => stop?.(),
  };
}

async function pingPong(): Promise<ScenarioResult> {
  return compare({
    pattern: 'channel',
    scenario: `unbuffered ping-pong, ${ROUND_TRIPS.toLocaleString('en-US')} round trips`,
    ops: ROUND_TRIPS,
    subject: 'concurrency-kit',
    targets: { 'it-pushable': 1 },
    rounds: 7,
    warmup: 2,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            const ping = new Channel<number>();
            const pong = new Channel<number>();
            const echo = (async () => {
              for await (const v of ping) await pong.send(v);
            })();
            for (let i = 0; i < ROUND_TRIPS; i++) {
              await ping.send(i);
              if ((await pong.receive()) !== i) throw new Error('out of order');
            }
            await ping.close();
            await echo;
          };
        },
      },
      {
        name: 'it-pushable',
        setup: () => {
          return async () => {
            const ping = pushable<number>({ objectMode: true });
            const pong = pushable<number>({ objectMode: true });
            const echo = (async () => {
              for await (const v of ping) pong.push(v);
            })();
            const replies = pong[Symbol.asyncIterator]();
            for (let i = 0; i < ROUND_TRIPS; i++) {
              ping.push(i);
              if ((await replies.next()).value !== i) throw new Error('out of order');
            }
            ping.end();
            await echo;
          };
        },
      },
      {
        name: '@repeaterjs/repeater',
        setup: () => {
          return async () => {
            const ping = externalRepeater<number>();
            const pong = externalRepeater<number>();
            const echo = (async () => {
              for await (const v of ping.repeater) void pong.push(v); // settles when taken; nobody needs to wait
            })();
            const replies = pong.repeater[Symbol.asyncIterator]();
            for (let i = 0; i < ROUND_TRIPS; i++) {
              const reply = replies.next(); // the first call starts pong's executor, so its push exists
              void ping.push(i);
              if ((await reply).value !== i) throw new Error('out of order');
            }
            ping.stop();
            await echo;
            pong.stop();
          };
        },
      },
    ],
  });
}

async function buffered(): Promise<ScenarioResult> {
  return compare({
    pattern: 'channel',
    scenario: `buffered (capacity ${CAPACITY.toLocaleString('en-US')}), ${MESSAGES.toLocaleString('en-US')} messages`,
    ops: MESSAGES,
    subject: 'concurrency-kit',
    targets: { 'it-pushable': 1 },
    rounds: 7,
    warmup: 2,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          return async () => {
            const ch = new Channel<number>(CAPACITY);
            const producer = (async () => {
              for (let i = 0; i < MESSAGES; i++) await ch.send(i);
              await ch.close();
            })();
            let sum = 0;
            for await (const v of ch) sum += v;
            await producer;
            if (sum !== (MESSAGES * (MESSAGES - 1)) / 2) throw new Error('lost values');
          };
        },
      },
      {
        name: 'it-pushable',
        setup: () => {
          return async () => {
            const source = pushable<number>({ objectMode: true });
            const producer = (async () => {
              for (let i = 0; i < MESSAGES; i++) {
                source.push(i);
                if (source.readableLength >= CAPACITY) await source.onEmpty();
              }
              source.end();
            })();
            let sum = 0;
            for await (const v of source) sum += v;
            await producer;
            if (sum !== (MESSAGES * (MESSAGES - 1)) / 2) throw new Error('lost values');
          };
        },
      },
      {
        name: '@repeaterjs/repeater',
        setup: () => {
          return async () => {
            const source = new Repeater<number>(async (push, stop) => {
              for (let i = 0; i < MESSAGES; i++) await push(i);
              stop();
            }, new FixedBuffer(CAPACITY));
            let sum = 0;
            for await (const v of source) sum += v;
            if (sum !== (MESSAGES * (MESSAGES - 1)) / 2) throw new Error('lost values');
          };
        },
      },
    ],
  });
}

/** Runs both scenarios for every contender and reports ratios against the targets. */
export async function scenarios(): Promise<ScenarioResult[]> {
  return [await pingPong(), await buffered()];
}
