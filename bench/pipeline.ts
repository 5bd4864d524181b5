/**
 * Peer comparison for the `pipeline` pattern: 100,000 numbers from an array through 3 async stages (`async (x) =>
 * x + 1`, `async (x) => x * 2`, `async (x) => x - 1`), each at concurrency 4 and in input order, consumed with
 * `for await`, through our generated `pipeline()` (default buffer: 4 per stage, so at most 8 items per stage),
 * Node's `Readable.from(...).map(fn, { concurrency: 4 })` chained three times, and p-map's `pMapIterable` chained
 * three times (`backpressure: 8`, the same per-stage bound as ours; its default, 4, is a second row).
 */
import { Readable } from 'node:stream';
import { pMapIterable } from 'p-map';
import { compare, type ScenarioResult } from './harness.js';
import { pipeline, stage } from './.generated/pipeline.js';

const ITEMS = 100_000;
const CONCURRENCY = 4;
const inputs = Array.from({ length: ITEMS }, (_, i) => i);
const addOne = async (x: number): Promise<number> => x + 1;
const double = async (x: number): Promise<number> => x * 2;
const subOne = async (x: number): Promise<number> => x - 1;
/** What every contender must compute: the sum of (2 (i + 1) - 1) over the inputs. */
const EXPECTED = inputs.reduce((sum, i) => sum + 2 * (i + 1) - 1, 0);

async function drain(source: AsyncIterable<number>): Promise<void> {
  let sum = 0;
  for await (const value of source) sum += value;
  if (sum !== EXPECTED) throw new Error(`wrong result ${sum}, expected ${EXPECTED}`);
}

function viaPMap(backpressure: number): AsyncIterable<number> {
  const options = { concurrency: CONCURRENCY, backpressure };
  return pMapIterable(pMapIterable(pMapIterable(inputs, addOne, options), double, options), subOne, options);
}

/** Runs the scenario for every contender and reports ratios against the targets. */
export async function scenarios(): Promise<ScenarioResult[]> {
  const result = await compare({
    pattern: 'pipeline',
    scenario: `${ITEMS.toLocaleString('en-US')} items through 3 async stages, concurrency ${CONCURRENCY}, in order`,
    ops: ITEMS,
    subject: 'concurrency-kit',
    targets: { 'node:stream Readable.map': 2, 'p-map pMapIterable': 1 },
    rounds: 7,
    warmup: 2,
    contenders: [
      {
        name: 'concurrency-kit',
        setup: () => {
          const options = { concurrency: CONCURRENCY };
          return () => drain(pipeline(inputs, stage(addOne, options), stage(double, options), stage(subOne, options)));
        },
      },
      {
        name: 'node:stream Readable.map',
        setup: () => {
          const options = { concurrency: CONCURRENCY };
          return () => drain(Readable.from(inputs).map(addOne, options).map(double, options).map(subOne, options));
        },
      },
      {
        name: 'p-map pMapIterable',
        setup: () => {
          return () => drain(viaPMap(2 * CONCURRENCY));
        },
      },
      {
        name: 'p-map pMapIterable (default backpressure)',
        setup: () => {
          return () => drain(viaPMap(CONCURRENCY));
        },
      },
    ],
  });
  return [result];
}
