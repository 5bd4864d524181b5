import { expect, it } from 'vitest';
import { UserCache, type User } from './src/user-cache.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

it('concurrent gets of one id share one load', async () => {
  let loads = 0;
  const cache = new UserCache(async (id) => {
    loads++;
    await tick();
    return { id, name: `user ${id}` };
  });
  const users = await Promise.all(Array.from({ length: 10 }, () => cache.get('42')));
  expect(loads).toBe(1);
  expect(new Set(users).size).toBe(1);
  await cache.get('42');
  expect(loads).toBe(1);
});

it('a failed load rejects every waiting caller and is retried by the next get', async () => {
  let calls = 0;
  const cache = new UserCache(async (id): Promise<User> => {
    calls++;
    await tick();
    if (calls === 1) throw new Error('db down');
    return { id, name: 'ok' };
  });
  const results = await Promise.allSettled([cache.get('7'), cache.get('7'), cache.get('7')]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  expect(calls).toBe(1);
  await expect(cache.get('7')).resolves.toEqual({ id: '7', name: 'ok' });
  expect(calls).toBe(2);
});
