import { expect, it } from 'vitest';
import { importRows } from './src/import.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

it('streams 10,000 rows with at most 4 enrichments in flight, in order, reading at most 16 lines ahead', async () => {
  let pulled = 0;
  let written = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let maxAhead = 0;
  const order: string[] = [];
  async function* lines(): AsyncGenerator<string> {
    for (let i = 0; i < 10_000; i++) {
      pulled++;
      maxAhead = Math.max(maxAhead, pulled - written);
      yield `row${String(i)},${String(i)}`;
    }
  }
  const count = await importRows(
    lines(),
    async (row) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await tick();
      inFlight--;
      return { ...row, doubled: row.amount * 2 };
    },
    async (row) => {
      order.push(row.id);
      written++;
      await Promise.resolve();
    },
  );
  expect(count).toBe(10_000);
  expect(order).toEqual(Array.from({ length: 10_000 }, (_, i) => `row${String(i)}`));
  expect(maxInFlight).toBeLessThanOrEqual(4);
  expect(maxInFlight).toBeGreaterThan(1);
  expect(maxAhead).toBeLessThanOrEqual(16);
});
