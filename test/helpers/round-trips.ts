import { subscribe, unsubscribe } from 'node:diagnostics_channel';

/**
 * The round trips to a PostgreSQL server while `work` runs: each batch of statements the database worker is sent is one
 * `d-sql` hop (src/core/timing/run-hops.ts). SQLite makes none.
 */
export async function roundTripsDuring(work: () => unknown): Promise<number> {
  let trips = 0;
  const count = (message: unknown) => {
    if ((message as { event: string }).event === 'd-sql') trips++;
  };
  subscribe('workgraph:run-hop', count);
  try {
    await work();
  } finally {
    unsubscribe('workgraph:run-hop', count);
  }
  return trips;
}
