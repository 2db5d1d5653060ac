import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { GraphSync } from './graph-sync';
import { isUpstreamProject, syncFailure } from './sync-service';

/*
 * A `wg` command in a project that has upstream's graph.jsonl: before it runs, what upstream wrote
 * since the last sync is taken in (the command sees it); after a change, the change is written to
 * graph.jsonl by this process, its writer, before anything is told of it (the daemon's poke). A
 * sync that fails (upstream holds its lock too long, flock missing, a broken line in the file)
 * leaves the command's own work done, says so in one line, and is caught up by the next sync.
 */

/** How long a command waits for upstream's lock. */
const LOCK_WAIT_MS = 10_000;

export interface CommandSync {
  run(): void;
}

export function commandSync(store: Store, paths: ProjectPaths, warn: (message: string) => void): CommandSync | null {
  // A team's graph on PostgreSQL is the one copy: upstream's graph.jsonl beside the folder is not kept in step with it.
  if (store.readOnly || store.core.kind !== 'sqlite' || !isUpstreamProject(paths)) return null;
  let sync: GraphSync;
  try {
    sync = new GraphSync(store, paths.dir);
  } catch (error) {
    warn(`graph.jsonl not synced: ${syncFailure(error)}`);
    return null;
  }
  return {
    run: () => {
      try {
        sync.syncNow(LOCK_WAIT_MS);
      } catch (error) {
        warn(`graph.jsonl not synced (the next command or the running service catches up): ${syncFailure(error)}`);
      }
    },
  };
}
