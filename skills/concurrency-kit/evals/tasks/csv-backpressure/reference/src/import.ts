export interface Row {
  readonly id: string;
  readonly amount: number;
}

function parse(line: string): Row {
  const [id = '', amount = '0'] = line.split(',');
  return { id, amount: Number(amount) };
}

const IN_FLIGHT = 4;

/** Imports CSV lines as a stream: parse, enrich (at most 4 at once), write in input order. Resolves to the count. */
export async function importRows<E>(lines: AsyncIterable<string>, enrich: (row: Row) => Promise<E>, write: (row: E) => Promise<void>): Promise<number> {
  const pending: Promise<E>[] = [];
  let written = 0;
  const writeOldest = async (): Promise<void> => {
    const oldest = pending.shift();
    if (oldest === undefined) return;
    await write(await oldest);
    written++;
  };
  for await (const line of lines) {
    const enriched = enrich(parse(line));
    // Awaited in order below; this only keeps a later failure from being reported as unhandled meanwhile.
    enriched.catch(() => undefined);
    pending.push(enriched);
    if (pending.length >= IN_FLIGHT) await writeOldest();
  }
  while (pending.length > 0) await writeOldest();
  return written;
}
