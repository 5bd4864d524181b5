import { expect, it } from 'vitest';
import { createHandler } from './src/handler.js';

it('limits each tenant to perSecond requests per second, independently, refilling over time', async () => {
  let time = 1_000;
  let calls = 0;
  const handle = createHandler(
    async (request) => {
      calls++;
      return `hello ${request.tenant}`;
    },
    { perSecond: 3, now: () => time },
  );
  const a = [];
  for (let i = 0; i < 4; i++) a.push((await handle({ tenant: 'a' })).status);
  expect(a).toEqual([200, 200, 200, 429]);
  expect(calls).toBe(3);
  expect(await handle({ tenant: 'b' })).toEqual({ status: 200, body: 'hello b' });
  time += 1_000;
  expect((await handle({ tenant: 'a' })).status).toBe(200);
  time += 340;
  expect((await handle({ tenant: 'a' })).status).toBe(200);
});
