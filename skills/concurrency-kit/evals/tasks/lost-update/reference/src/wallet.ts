export interface Store {
  read(account: string): Promise<number>;
  write(account: string, balance: number): Promise<void>;
}

/** Deposits money into accounts; deposits to one account run one at a time (a lock per key). */
export class Wallet {
  readonly #store: Store;
  /** The tail of each account's chain of deposits; removed when the chain drains, so the map stays bounded. */
  readonly #tails = new Map<string, Promise<void>>();

  constructor(store: Store) {
    this.#store = store;
  }

  deposit(account: string, amount: number): Promise<void> {
    const previous = this.#tails.get(account) ?? Promise.resolve();
    const run = previous.then(async () => {
      const balance = await this.#store.read(account);
      await this.#store.write(account, balance + amount);
    });
    const tail = run.catch(() => undefined);
    this.#tails.set(account, tail);
    void tail.then(() => {
      if (this.#tails.get(account) === tail) this.#tails.delete(account);
    });
    return run;
  }
}
