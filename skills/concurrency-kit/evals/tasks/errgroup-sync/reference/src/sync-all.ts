/** Syncs every account, at most 4 at once; the first failure aborts the others, and rejects once they settled. */
export async function syncAll(accounts: readonly string[], sync: (account: string, signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  let next = 0;
  let first: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < accounts.length && !controller.signal.aborted) {
      const account = accounts[next++] ?? '';
      try {
        await sync(account, controller.signal);
      } catch (error) {
        if (first === undefined) {
          first = { error };
          controller.abort(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, accounts.length) }, worker));
  if (first !== undefined) throw first.error;
}
