import { includesEvent, type WatchEvent } from '../../shared/watch-events';
import { openProjectStore } from '../opening/open-store';
import type { ProjectPaths } from '../project';
import { watchCommits, type CommitWatch } from '../service/commit-watch';
import { eventHistory } from './event-history';
import { subscribeDaemonChanges, type DaemonChanges } from './daemon-changes';
import { watchEvents, watchState } from './watch-diff';

/*
 * `wg watch`: the graph's events as they happen, one JSON object a line. Woken by the running
 * coordinator's change stream, or without one by the store itself (SQLite's write-ahead log changing
 * on disk: every process's commit, this app's and its daemon's alike); each wake reads what changed
 * since the last revision seen and tells it as upstream's events. No timer looks for changes.
 */

export interface WatchOptions {
  paths: ProjectPaths;
  filters: readonly string[];
  task?: string;
  replay: number;
  write: (line: string) => void;
  /** Where the changes come from, said once and again when it changes. */
  source?: (from: 'daemon' | 'store') => void;
  onError?: (message: string) => void;
}

export interface Watching {
  stop(): void;
}

export async function watchGraph(options: WatchOptions): Promise<Watching> {
  const { store } = openProjectStore(options.paths, { allowReadOnly: true });
  const emit = (events: readonly WatchEvent[]) => {
    for (const event of events) {
      if (includesEvent(event.type, options.filters, options.task, event.task_id)) options.write(JSON.stringify(event));
    }
  };
  if (options.replay > 0)
    emit(
      eventHistory(store)
        .filter((e) => includesEvent(e.type, options.filters, options.task, e.task_id))
        .slice(-options.replay),
    );
  const first = store.snapshot(0);
  const state = watchState(first.tasks, first.agents);
  let rev = first.rev;
  let stopped = false;
  /** Reads what changed since the last revision seen; whether there was anything. */
  const look = (): boolean => {
    if (stopped) return false;
    const changed = store.snapshot(rev);
    if (changed.rev === rev) return false;
    rev = changed.rev;
    emit(watchEvents(state, changed, store.core.clock().toISOString()));
    return true;
  };
  let daemon: DaemonChanges | null = null;
  let commits: CommitWatch | null = null;
  // Holds the process while it watches: the file watch does not, and the daemon's stream may end.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  const fromStore = () => {
    if (stopped || commits) return;
    options.source?.('store');
    commits = watchCommits(options.paths.db, look, (message) => options.onError?.(message));
    look();
  };
  daemon = await subscribeDaemonChanges(
    options.paths,
    () => look(),
    () => {
      daemon = null;
      fromStore();
    },
  );
  if (daemon) {
    options.source?.('daemon');
    look();
  } else fromStore();
  return {
    stop: () => {
      stopped = true;
      clearInterval(keepAlive);
      daemon?.close();
      (commits as CommitWatch | null)?.stop();
      store.close();
    },
  };
}
