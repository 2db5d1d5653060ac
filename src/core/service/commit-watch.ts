import { watch, type FSWatcher } from 'node:fs';
import { errorText } from '../../shared/errors';

/**
 * After a WAL write that showed nothing new, look again this much later, then once more. A writer
 * appends its frames first and publishes the commit a moment later (in shared memory, which raises
 * no event): a check that ran in between would otherwise leave the commit to the writer's poke,
 * which from a `wg` process just started came noticeably later here.
 */
const RECHECK_MS = [2, 10] as const;

export interface CommitWatch {
  /**
   * This process committed. Its own WAL writes wake the watch too; a look that finds nothing new
   * after one needs no second look (see `watchCommits`).
   */
  ownCommit(): void;
  stop(): void;
}

/**
 * Notices commits by other processes the moment SQLite writes them to the WAL (inotify/FSEvents),
 * before their poke arrives: the fast path. Pokes stay the reliable path (a watch may miss an event),
 * the poll interval the safety net. Events are coalesced to one `check` per turn of the event loop;
 * `check` compares revisions (so our own writes cost a query) and says whether it found a new one.
 *
 * After a look that found nothing, the looks again (RECHECK_MS) are for another process's commit
 * whose frames are written but not yet published. When this process committed since the last look,
 * the event is its own: a commit needs the write lock, so every other writer's frames written
 * before ours were published before ours (our commit's notification already covered them), and
 * frames written after ours raise an event of their own. Only frames of another process appended in
 * the moment between our commit and the look can share its event; those are left to their poke.
 * The busy coordinator's own commits (one a turn) thus cost one look each instead of three and two
 * timers.
 */
export function watchCommits(dbPath: string, check: () => Promise<boolean>, onError: (message: string) => void): CommitWatch {
  let queued = false;
  let recheck: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;
  // A look queued before the unwatch must not run after it (the store may be closed by then).
  let closed = false;
  /** This process committed since the last look. */
  let own = false;
  // An escape hatch for file systems where watching misbehaves (network mounts).
  if (process.env.WG_NO_COMMIT_WATCH === '1') return { ownCommit: () => undefined, stop: () => undefined };
  const look = async (step: number): Promise<void> => {
    if (recheck) clearTimeout(recheck);
    recheck = null;
    const delay = RECHECK_MS[step];
    const ours = own;
    own = false;
    let found = false;
    try {
      found = await check();
    } catch (error) {
      onError(`looking at the database: ${errorText(error)}`);
    }
    if (closed || found || ours || delay === undefined) return;
    recheck = setTimeout(() => void look(step + 1), delay);
    recheck.unref();
  };
  try {
    watcher = watch(`${dbPath}-wal`, { persistent: false }, () => {
      if (queued) return;
      queued = true;
      setImmediate(() => {
        queued = false;
        if (!closed) void look(0);
      });
    });
    watcher.on('error', (error) => onError(`watching the database: ${error.message}`));
  } catch (error) {
    onError(`cannot watch the database (pokes and the poll interval still work): ${errorText(error)}`);
  }
  return {
    ownCommit: () => {
      own = true;
    },
    stop: () => {
      closed = true;
      if (recheck) clearTimeout(recheck);
      watcher?.close();
    },
  };
}
