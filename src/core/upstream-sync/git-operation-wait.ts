import type { Store } from '../store/store';
import { readGraphFile } from './graph-file';
import { hasConflictMarkers } from './graph-lines';
import { conflicted, markConflicted } from './sync-records';
import { NOTHING, type SyncMode, type SyncOutcome } from './sync-outcome';

/*
 * The sync held while a git operation (a merge, a rebase, a checkout) is under way in the checkout: what it says, and
 * how soon it looks again. Moved out of graph-sync.ts as it was.
 */

/** How often the daemon and the window look whether a git operation that holds the sync has ended. */
const GIT_OPERATION_POLL_MS = 2_000;

/**
 * A git operation puts versions of graph.jsonl in place one after another (git-operation.ts): neither taken in nor
 * written over until it ends, and said; the daemon and the window look again every GIT_OPERATION_POLL_MS, since its
 * end may leave graph.jsonl as it stands (nothing to wake the watcher).
 */
export async function underGitOperation(
  store: Store,
  wgDir: string,
  operation: { what: string; endedBy: string },
  mode: SyncMode,
): Promise<SyncOutcome> {
  // Git's conflict markers in it: the version the operation ends with is the person's choice of lines, an older line
  // of a task included, as when the markers are read outside an operation (markConflicted).
  const file = readGraphFile(wgDir);
  const markers = file !== null && hasConflictMarkers(file.text);
  if (markers && !store.readOnly && !(await conflicted(store.core))) await store.core.write(() => markConflicted(store.core));
  const end = markers
    ? `keep the lines of each task you want in graph.jsonl, remove the marker lines, then ${operation.endedBy}`
    : operation.endedBy;
  return {
    ...NOTHING,
    notice: `graph.jsonl is not synced while ${operation.what} is under way in this checkout: this app's changes wait in graph.db, and the version it ends with is taken in (${end})`,
    againInMs: mode === 'full' ? GIT_OPERATION_POLL_MS : undefined,
    heldByGit: true,
  };
}
