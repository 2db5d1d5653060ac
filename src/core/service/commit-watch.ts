import { watch, type FSWatcher } from 'node:fs';

/**
 * Notices commits by other processes the moment SQLite writes them to the WAL (inotify/FSEvents),
 * before their poke arrives: the fast path. Pokes stay the reliable path (a watch may miss an event
 * or fire before the commit is visible), the poll interval the safety net. Events are coalesced to
 * one `check` per turn of the event loop; `check` compares revisions, so our own writes cost a query.
 */
export function watchCommits(dbPath: string, check: () => void, onError: (message: string) => void): () => void {
  let queued = false;
  let watcher: FSWatcher | null = null;
  // An escape hatch for file systems where watching misbehaves (network mounts).
  if (process.env.WG_NO_COMMIT_WATCH === '1') return () => undefined;
  try {
    watcher = watch(`${dbPath}-wal`, { persistent: false }, () => {
      if (queued) return;
      queued = true;
      setImmediate(() => {
        queued = false;
        check();
      });
    });
    watcher.on('error', (error) => onError(`watching the database: ${error.message}`));
  } catch (error) {
    onError(`cannot watch the database (pokes and the poll interval still work): ${error instanceof Error ? error.message : String(error)}`);
  }
  return () => watcher?.close();
}
