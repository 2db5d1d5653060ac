import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { GraphSync } from './graph-sync';
import type { SyncMode } from './sync-outcome';
import { GraphFileError } from './graph-lines';
import { syncsWithUpstream, syncFailure } from './sync-service';

/*
 * A `wg` command in a project that has upstream's graph.jsonl: before it runs, what upstream wrote
 * since the last sync is taken in (the command sees it; graph.jsonl is not written: a command that
 * only reads changes no byte of it); after a change, the change is written to graph.jsonl by this
 * process, its writer, before anything is told of it (the daemon's poke). A sync that fails
 * (upstream holds its lock too long, flock missing, a broken line in the file) or does not take the
 * file in (a save under way, a version refused) leaves the command's own work done, says so in one
 * line, and is caught up by the next sync.
 */

/** How long a command waits for upstream's lock. */
const LOCK_WAIT_MS = 10_000;

export interface CommandSync {
  /** `read` before the command (graph.jsonl's changes in), `full` after a change (the change out too). */
  run(mode: SyncMode): Promise<void>;
}

export async function commandSync(store: Store, paths: ProjectPaths, warn: (message: string) => void): Promise<CommandSync | null> {
  if (!(await syncsWithUpstream(store, paths))) return null;
  let sync: GraphSync;
  try {
    sync = await GraphSync.open(store, paths.dir);
  } catch (error) {
    warn(`graph.jsonl not synced: ${syncFailure(error)}`);
    return null;
  }
  const said = new Set<string>();
  const once = (message: string) => {
    if (!said.has(message)) warn(message);
    said.add(message);
  };
  return {
    run: async (mode) => {
      try {
        const { notice, removed } = await sync.syncNow(LOCK_WAIT_MS, mode);
        if (notice) once(notice);
        if (removed) once(removed);
      } catch (error) {
        // A file that cannot be read waits for the person to mend it; anything else (its lock held) passes by itself.
        const then =
          error instanceof GraphFileError
            ? 'this app keeps its changes and syncs once the file is whole'
            : 'the next command or the running service catches up';
        once(`graph.jsonl not synced (${then}): ${syncFailure(error)}`);
      }
    },
  };
}
