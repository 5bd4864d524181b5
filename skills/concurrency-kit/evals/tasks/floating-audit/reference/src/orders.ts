export interface Order {
  readonly id: string;
}

/** Places orders; audits each one in the background, reporting audit failures to `onError`. */
export class OrderService {
  readonly #save: (order: Order) => Promise<void>;
  readonly #audit: (order: Order) => Promise<void>;
  readonly #onError: (error: unknown, order: Order) => void;
  readonly #audits = new Set<Promise<void>>();

  constructor(save: (order: Order) => Promise<void>, audit: (order: Order) => Promise<void>, onError: (error: unknown, order: Order) => void) {
    this.#save = save;
    this.#audit = audit;
    this.#onError = onError;
  }

  async place(order: Order): Promise<void> {
    await this.#save(order);
    const audit = this.#audit(order)
      .catch((error: unknown) => {
        this.#onError(error, order);
      })
      .finally(() => this.#audits.delete(audit));
    this.#audits.add(audit);
  }

  /** Resolves once every audit started so far has settled. */
  async drain(): Promise<void> {
    await Promise.all([...this.#audits]);
  }
}
