import { includesEvent, type WatchEvent } from '../../shared/watch-events';
import { openProjectStore } from '../opening/open-store';
import { listenForCommits } from '../store/postgres/commit-listener';
import type { PgConnection } from '../store/postgres/pg-connection';
import type { Store } from '../store/store';
import { inBackground } from '../engine-log';
import type { ProjectPaths } from '../project';
import { watchCommits, type CommitWatch } from '../service/commit-watch';
import { eventHistory } from '../store/event-history';
import { subscribeCoordinatorChanges, type CoordinatorChanges } from './coordinator-changes';
import { watchEvents, watchState } from './watch-diff';
import { tasksOfTable } from '../../shared/task-table';

/*
 * `wg watch`: the graph's events as they happen, one JSON object a line. Woken by the running
 * coordinator's change stream, or without one by the store itself (SQLite's write-ahead log changing
 * on disk, or PostgreSQL's announcement of each commit on the project's channel: every process's commit,
 * this app's and its daemon's alike, from any machine); each wake reads what changed
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
  stop(): Promise<void>;
}

export async function watchGraph(options: WatchOptions): Promise<Watching> {
  const { store } = await openProjectStore(options.paths, { allowReadOnly: true });
  const emit = (events: readonly WatchEvent[]) => {
    for (const event of events) {
      if (includesEvent(event.type, options.filters, options.task, event.task_id)) options.write(JSON.stringify(event));
    }
  };
  if (options.replay > 0)
    emit((await eventHistory(store)).filter((e) => includesEvent(e.type, options.filters, options.task, e.task_id)).slice(-options.replay));
  const first = await store.snapshot(0);
  const state = watchState(tasksOfTable(first.tasks), first.agents);
  let rev = first.rev;
  let stopped = false;
  /** Reads what changed since the last revision seen; whether there was anything. One look at a time, in turn. */
  let looking: Promise<unknown> = Promise.resolve();
  const look = (): Promise<boolean> => {
    const next = looking.then(lookNow);
    looking = next.catch(() => undefined);
    return next;
  };
  const lookNow = async (): Promise<boolean> => {
    if (stopped) return false;
    const changed = await store.snapshot(rev);
    if (changed.rev === rev) return false;
    rev = changed.rev;
    emit(watchEvents(state, { ...changed, tasks: tasksOfTable(changed.tasks) }, store.core.clock().toISOString()));
    return true;
  };
  let daemon: CoordinatorChanges | null = null;
  let commits: CommitWatch | null = null;
  // Holds the process while it watches: the file watch does not, and the daemon's stream may end.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  const fromStore = async () => {
    if (stopped || commits) return;
    options.source?.('store');
    commits = storeCommits(
      store,
      options.paths.db,
      () => rev,
      look,
      (message) => options.onError?.(message),
    );
    await look();
  };
  const failed = (message: string) => options.onError?.(message);
  daemon = await subscribeCoordinatorChanges(
    options.paths,
    () => inBackground(look(), failed, 'reading the changes'),
    () => {
      daemon = null;
      inBackground(fromStore(), failed, 'watching the store');
    },
  );
  if (daemon) {
    options.source?.('daemon');
    await look();
  } else await fromStore();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(keepAlive);
      daemon?.close();
      (commits as CommitWatch | null)?.stop();
      await store.close();
    },
  };
}

/**
 * The store's own commits: SQLite's write-ahead log on disk, or PostgreSQL's LISTEN/NOTIFY (an announced
 * revision already seen costs no look; after a reconnection, the look compares revisions).
 */
function storeCommits(
  store: Store,
  dbPath: string,
  seen: () => number,
  look: () => Promise<boolean>,
  warn: (message: string) => void,
): CommitWatch {
  const { conn } = store.core;
  if (conn.kind === 'sqlite') return watchCommits(dbPath, look, warn);
  const listener = listenForCommits(
    (conn as PgConnection).target,
    (rev) => (rev !== null && rev <= seen() ? undefined : void look()),
    warn,
  );
  return { ownCommit: () => undefined, stop: () => listener.stop() };
}
