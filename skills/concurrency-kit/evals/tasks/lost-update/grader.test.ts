import { expect, it } from 'vitest';
import { Wallet } from './src/wallet.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function memoryStore(failWrites = 0) {
  const balances = new Map<string, number>();
  let busy = 0;
  let overlap = 0;
  let failures = failWrites;
  return {
    balances,
    overlap: () => overlap,
    async read(account: string) {
      overlap = Math.max(overlap, ++busy);
      await tick();
      busy--;
      return balances.get(account) ?? 0;
    },
    async write(account: string, balance: number) {
      overlap = Math.max(overlap, ++busy);
      await tick();
      busy--;
      if (failures > 0) {
        failures--;
        throw new Error('write failed');
      }
      balances.set(account, balance);
    },
  };
}

it('50 concurrent deposits to one account all count; two accounts still overlap', async () => {
  const store = memoryStore();
  const wallet = new Wallet(store);
  await Promise.all([
    ...Array.from({ length: 50 }, () => wallet.deposit('alice', 1)),
    ...Array.from({ length: 50 }, () => wallet.deposit('bob', 2)),
  ]);
  expect(store.balances.get('alice')).toBe(50);
  expect(store.balances.get('bob')).toBe(100);
  expect(store.overlap()).toBeGreaterThan(1);
});

it('a failed deposit rejects its caller and does not block the next ones', async () => {
  const store = memoryStore(1);
  const wallet = new Wallet(store);
  const results = await Promise.allSettled([wallet.deposit('carol', 5), wallet.deposit('carol', 7), wallet.deposit('carol', 11)]);
  expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  expect(store.balances.get('carol')).toBe(18);
});
