import { channel } from 'node:diagnostics_channel';

/**
 * Each hop of a run's life (the coordinator noticed a commit, woke, read, decided and committed its claims, each of
 * its round trips to PostgreSQL on a team's graph (d-sql, the statements sent together); the
 * launcher spawned the run and it started; it ended and its turn settled it), published on one diagnostics
 * channel for whoever observes it. The dispatch bench attaches a recorder to the daemon
 * (test/bench/run-hops-recorder.cjs, loaded through NODE_OPTIONS) to see where the time between one run's end
 * and the next one's start goes; nothing in the app subscribes, and with no subscriber a hop costs one check.
 */
const hops = channel('workgraph:run-hop');

/** What the channel carries: the hop, and the run it is about (its agent id; a turn's runs comma-separated). */
interface RunHop {
  event: string;
  key: string;
}

/** `key` may be a function so that a key worth building is built only while someone observes. */
export function runHop(event: string, key: string | (() => string) = ''): void {
  if (hops.hasSubscribers) hops.publish({ event, key: typeof key === 'function' ? key() : key } satisfies RunHop);
}
