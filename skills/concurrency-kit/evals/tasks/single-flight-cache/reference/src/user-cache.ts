export interface User {
  readonly id: string;
  readonly name: string;
}

/** Caches users by id; concurrent callers of a missing id share one load (single-flight). */
export class UserCache {
  readonly #users = new Map<string, Promise<User>>();
  readonly #load: (id: string) => Promise<User>;

  constructor(load: (id: string) => Promise<User>) {
    this.#load = load;
  }

  get(id: string): Promise<User> {
    const cached = this.#users.get(id);
    if (cached) return cached;
    const loading = this.#load(id);
    this.#users.set(id, loading);
    // A failed load is forgotten, so the next caller tries again.
    loading.catch(() => {
      if (this.#users.get(id) === loading) this.#users.delete(id);
    });
    return loading;
  }
}
