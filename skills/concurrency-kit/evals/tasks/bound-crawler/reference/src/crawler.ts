/** Fetches every page, at most 8 at a time, and returns the bodies in input order; an abort rejects with its reason. */
export async function crawlAll(
  urls: readonly string[],
  fetchPage: (url: string, signal?: AbortSignal) => Promise<string>,
  options: { signal?: AbortSignal } = {},
): Promise<string[]> {
  const { signal } = options;
  signal?.throwIfAborted();
  const results: string[] = new Array<string>(urls.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < urls.length) {
      signal?.throwIfAborted();
      const index = next++;
      results[index] = await fetchPage(urls[index] ?? '', signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, urls.length) }, worker));
  return results;
}
