/**
 * A read started now and awaited later: on PostgreSQL a statement goes out when it is called, so reads started one
 * after another before any await travel in one round trip. Until the caller awaits it, a failure is held here
 * (unhandled, Node would end the process); awaiting the returned promise still throws it.
 */
export function inFlight<T>(started: Promise<T>): Promise<T> {
  started.catch(() => undefined);
  return started;
}

/**
 * Reads (and writes) started together, awaited together: each one's whole work is over before any failure is thrown,
 * so none of them goes on writing after the transaction it belongs to was undone for that failure. Throws the first
 * failure in the order given.
 */
export async function allDone<T extends readonly unknown[]>(started: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(started);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
