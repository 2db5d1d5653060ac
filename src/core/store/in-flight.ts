/**
 * A read started now and awaited later: on PostgreSQL a statement goes out when it is called, so reads started one
 * after another before any await travel in one round trip. Until the caller awaits it, a failure is held here
 * (unhandled, Node would end the process); awaiting the returned promise still throws it.
 */
export function inFlight<T>(started: Promise<T>): Promise<T> {
  started.catch(() => undefined);
  return started;
}
