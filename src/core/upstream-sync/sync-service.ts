import { existsSync, watch, type FSWatcher } from 'node:fs';
import { plainFailure } from '../../shared/plain-failure';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { graphFilePath } from './graph-file';
import { GraphSync } from './graph-sync';
import type { SyncOutcome } from './sync-outcome';
import { UPSTREAM_GRAPH_FILE } from '../opening/upstream-graph';
import { MESSAGE_FILE_SUFFIX, MESSAGES_DIR, messagesDir } from './message-files';
import { MessageSync } from './message-sync';
import { syncedBefore } from './synced-before';
import { errorText } from '../../shared/errors';

/*
 * The long-lived side of the sync, in the process that coordinates the project (the daemon or the
 * window's): graph.jsonl is watched (its folder: upstream replaces the file by a rename, which a
 * watch on the file itself would lose), so what upstream's wg writes is in the store, and so on every
 * window, a moment later; this process's own commits reach graph.jsonl after a short pause that
 * gathers a burst of them into one write. Other processes' commits are theirs to sync (a `wg`
 * command syncs after its change). A sync runs one at a time; one asked for meanwhile runs after.
 */

/** How long this process's commits are gathered before one sync writes them (at most ten writes a second). */
const COMMIT_GATHER_MS = 100;
/** How long a sync waits for upstream's lock before giving up until the next change. */
const LOCK_WAIT_MS = 30_000;
/** At close, no longer: quitting the app or stopping the service must not hang on upstream's lock (graph.db keeps the change). */
const CLOSING_LOCK_WAIT_MS = 2_000;

export interface SyncServiceOptions {
  warn: (message: string) => void;
  /**
   * Told when the current problem (`SyncService.problem`) changes: a window must learn of it without polling, and a
   * failing sync commits nothing that would tell it.
   */
  onProblem?: (problem: string | null) => void;
  /** Told after each sync that changed something (tests, logs). */
  onSync?: (outcome: SyncOutcome) => void;
}

export interface SyncService {
  /**
   * Another process committed to the project (the coordinator heard it): looked at as this process's own commits
   * are, so that a command whose own sync did not finish (graph.lock held too long, Ctrl-C) is caught up here.
   */
  changed(): void;
  /**
   * Why graph.jsonl or messages/ are not in step with graph.db as of the last sync, in the sync's own words (a line
   * each), or null once a sync succeeds: the window shows it, where the log alone would leave its person unaware.
   */
  problem(): string | null;
  /** Waits for the sync under way, if any. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

function isUpstreamProject(paths: ProjectPaths): boolean {
  return existsSync(graphFilePath(paths.dir));
}

/** Whether `store` is kept in step with upstream's graph.jsonl: it has one, or had one (its sync then says the file is gone). */
export async function syncsWithUpstream(store: Store, paths: ProjectPaths): Promise<boolean> {
  // A team's graph on PostgreSQL is the one copy: upstream's graph.jsonl beside the folder is not kept in step with it.
  if (store.readOnly || store.core.kind !== 'sqlite') return false;
  return isUpstreamProject(paths) || (await syncedBefore(store.core));
}

/** Why a sync failed, in plain words where the file system's are known (a full disk, not ENOSPC's text). */
export function syncFailure(error: unknown): string {
  return plainFailure(error) ?? errorText(error);
}

/** Starts syncing a project that has a graph.jsonl (null for any other: it is left as it is). */
export async function startSyncService(store: Store, paths: ProjectPaths, options: SyncServiceOptions): Promise<SyncService | null> {
  if (!(await syncsWithUpstream(store, paths))) return null;
  const sync = await GraphSync.open(store, paths.dir);
  // Messages too (message-sync.ts): the files upstream wrote since, and what this process changed (a spawn's "delivered").
  const messages = await MessageSync.open(store, paths.dir, { writeFiles: true, serviceDir: paths.serviceDir });
  let messageFiles: Set<string> | 'all' = 'all';
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  // What the last sync said (graph.jsonl's problem, messages/'), none once one succeeds.
  let lastWarnings: string[] = [];
  // The same without the waits (a save looked at again once it stands still): the problem a window is told of.
  let lastProblems: string[] = [];
  // Closing ends a wait for upstream's lock at once.
  const closing = new AbortController();

  const runOnce = async (waitMs: number, signal: AbortSignal | undefined) => {
    const warnings: string[] = [];
    // A notice that comes with a time to look again is a wait, not a problem: a save under way (a cut last line, a
    // file saved in place a moment ago) is taken in by itself seconds later, and a window need not sound an alert.
    let waiting: string | null = null;
    let heldByGit = false;
    try {
      const outcome = await sync.sync(waitMs, signal);
      heldByGit = outcome.heldByGit === true;
      if (outcome.fromFile > 0 || outcome.wroteFile) options.onSync?.(outcome);
      // Said once, in the log: what it tells of is done, not a problem to show until the next sync.
      if (outcome.removed) options.warn(outcome.removed);
      if (outcome.notice) warnings.push(outcome.notice);
      // A git operation's hold is a problem to show, though it is looked at again: it lasts as long as the person leaves
      // the operation (a bisect forgotten for days), and meanwhile upstream's wg sees none of this app's changes.
      if (outcome.notice && outcome.againInMs !== undefined && !outcome.heldByGit) waiting = outcome.notice;
      // An empty graph.jsonl is looked at again once it has stood long enough (no change may come to wake this).
      if (outcome.againInMs !== undefined) soon(outcome.againInMs);
    } catch (error) {
      warnings.push(`graph.jsonl not synced: ${syncFailure(error)}`);
    }
    // While a rebase puts older versions of messages/ in place too, a message file written back would stop it as a
    // rewritten graph.jsonl did (git refuses to overwrite an untracked file, and the rebase stops): the files
    // that changed meanwhile wait, gathered, for the sync after it ends.
    if (!heldByGit) {
      const files = messageFiles;
      messageFiles = new Set();
      try {
        await messages.syncPending(files, waitMs, signal);
      } catch (error) {
        // Every file looked at again next time (what changed here stays marked until written).
        messageFiles = 'all';
        warnings.push(`messages not synced: ${syncFailure(error)}`);
      }
    }
    // Each said once until it changes or a sync succeeds: a broken file would otherwise repeat it at every commit.
    // Compared with all the last sync said, not the last line alone: graph.jsonl's and messages/' problems at once
    // would otherwise take turns and each be said at every sync.
    for (const warning of warnings) if (!lastWarnings.includes(warning)) options.warn(warning);
    lastWarnings = warnings;
    const before = lastProblems.join('\n');
    lastProblems = warnings.filter((warning) => warning !== waiting);
    const now = lastProblems.join('\n');
    if (now !== before) options.onProblem?.(now || null);
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await runOnce(LOCK_WAIT_MS, closing.signal);
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const soon = (delay: number) => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      kick();
    }, delay);
    timer.unref();
  };

  let messagesWatcher: FSWatcher | null = null;
  // Upstream makes messages/ at its first message: watched from then on.
  const watchMessages = () => {
    if (messagesWatcher || stopped) return;
    try {
      messagesWatcher = watch(messagesDir(paths.dir), { persistent: false }, (_event, name) => {
        if (!name?.endsWith(MESSAGE_FILE_SUFFIX)) return;
        if (messageFiles !== 'all') messageFiles.add(name.slice(0, -MESSAGE_FILE_SUFFIX.length));
        soon(0);
      });
      messagesWatcher.on('error', () => {
        messagesWatcher?.close();
        messagesWatcher = null;
      });
      messageFiles = 'all';
      soon(0);
    } catch {
      // Not there yet: the folder's watch below sees it made.
    }
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(paths.dir, { persistent: false }, (_event, name) => {
      if (name === UPSTREAM_GRAPH_FILE) soon(0);
      if (name === MESSAGES_DIR) watchMessages();
    });
    watcher.on('error', (error) => options.warn(`watching graph.jsonl: ${error.message}`));
  } catch (error) {
    options.warn(`cannot watch graph.jsonl (upstream's changes are read at the next change here): ${errorText(error)}`);
  }
  watchMessages();
  const unsubscribe = store.onCommit(() => soon(COMMIT_GATHER_MS));
  kick();
  return {
    changed: () => soon(COMMIT_GATHER_MS),
    problem: () => lastProblems.join('\n') || null,
    idle: async () => {
      while (running) await running;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
      messagesWatcher?.close();
      unsubscribe();
      closing.abort();
      while (running) await running;
      // Commits of the last moment (gathered, not yet written) still reach graph.jsonl.
      await runOnce(CLOSING_LOCK_WAIT_MS, undefined);
    },
  };
}
