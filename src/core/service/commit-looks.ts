import type { Engine } from '../coordinator/engine';
import { inBackground } from '../engine-log';
import type { OutputFollows } from '../peers/output-follows';
import type { PgConnection } from '../store/postgres/pg-connection';
import { teamConnection } from '../store/postgres/team-connection';
import type { Store } from '../store/store';
import { runHop } from '../timing/run-hops';
import { type CommitWatch, watchCommits } from './commit-watch';
import type { RevisionFeed } from './coordinator-feeds';
import type { RunMessageLooks } from './run-message-looks';
import type { ServiceLog } from './service-log';
import { watchTeamCommits } from './team-commit-watch';

export interface CommitLooks {
  /**
   * A commit may have come: the project's revision is read, and one past the last known is looked at. `settings`:
   * whether it may have written the team's settings (a team's graph keeps them in the store: an announcement says when
   * it did; a look without one cannot tell). True when it found a newer revision.
   */
  lookAgain(settings?: boolean): Promise<boolean>;
  stop(): void;
}

/**
 * How the coordinator hears of commits: its own (the store's onCommit), other processes' on this machine (the WAL's
 * watch, their pokes) or, on a team's graph, other machines' (PostgreSQL's announcements). Each newer revision goes to
 * the feed; the engine's turn it wakes goes first, then the look for messages to this coordinator's runs.
 */
export async function startCommitLooks(p: {
  store: Store;
  dbPath: string;
  feed: RevisionFeed;
  engine: Pick<Engine, 'wake' | 'lostFound' | 'config'>;
  messages: RunMessageLooks;
  follows: OutputFollows | null;
  log: ServiceLog;
}): Promise<CommitLooks> {
  const { store, feed, engine, messages, log } = p;
  // A revision that cannot be read (a damaged or replaced graph.db) is no change: the engine's next turn meets the
  // same failure and says it once (engine.ts), where a throw here was logged at every look.
  const revNow = async () => {
    try {
      return await store.core.currentRev();
    } catch {
      engine.wake();
      return feed.rev;
    }
  };
  /** A revision read from the store (never one an announcement named: anyone on the database may announce). */
  const lookAt = async (rev: number, settings: boolean) => {
    if (rev <= feed.rev) return false;
    runHop('d-watch');
    await feed.advance(rev);
    if (settings) engine.config.recheck();
    engine.wake();
    messages.queue();
    return true;
  };
  const lookAgain = async (settings = true) => lookAt(await revNow(), settings);
  const teamConn = await teamConnection(store.core);
  const watch: CommitWatch = teamConn
    ? await watchTeam(teamConn, { ...p, revNow, lookAt, lookAgain })
    : watchCommits(p.dbPath, lookAgain, (message) => log.warn(message));
  const unsubscribe = store.onCommit((rev) => {
    watch.ownCommit();
    // Past the next revision: another process committed since the last one known, and its notice, of a lower
    // revision, will read as known. The engine looks again (a commit of its own outside a turn, a run's first
    // figures say, wakes nothing by itself; during a turn the wake is already answered by that turn's read), and
    // the messages it may have sent to this coordinator's runs are looked for.
    if (rev > feed.rev + 1) {
      engine.wake();
      messages.queue();
    }
    inBackground(feed.advance(rev), (m) => log.warn(m), 'telling of a commit');
  });
  return {
    lookAgain,
    stop: () => {
      unsubscribe();
      watch.stop();
    },
  };
}

/** A team's graph: other coordinators' commits, heard by PostgreSQL's LISTEN/NOTIFY (team-commit-watch.ts). */
function watchTeam(
  conn: PgConnection,
  p: {
    feed: RevisionFeed;
    engine: Pick<Engine, 'wake' | 'lostFound' | 'config'>;
    messages: RunMessageLooks;
    follows: OutputFollows | null;
    log: ServiceLog;
    revNow(): Promise<number>;
    lookAt(rev: number, settings: boolean): Promise<boolean>;
    lookAgain(settings?: boolean): Promise<boolean>;
  },
): Promise<CommitWatch> {
  const { feed, engine } = p;
  /** The last revision known from an announcement that called it quiet, with no turn taken for it. */
  let quietOnly: number | null = null;
  return watchTeamCommits(
    conn,
    () => ({ rev: feed.rev, quietOnly }),
    p.lookAgain,
    (message) => p.log.warn(message),
    // A sweep declared coordinators lost, or one joined (a word on the channel, not a revision): their runs are
    // taken over now, and a follow of a run whose owner is back resumes. Said too once the watch listens, at its start
    // and after each reconnection: the team's settings are heard of from then on, and looked at again for what was
    // missed meanwhile.
    async () => {
      engine.config.hearTeamSettings();
      engine.lostFound();
      await p.follows?.look();
    },
    // Another coordinator's commit that leaves nothing to act on (its claims, or a turn that left no task to start):
    // the window sees it, and no turn is taken for it. Only when the revision read is the one announced: past it,
    // later commits came that the announcement says nothing of, and below it, the announcement was not a commit's (a
    // forged one must not make a revision known that is not yet the store's).
    async (announced) => {
      const rev = await p.revNow();
      if (rev !== announced) {
        await p.lookAt(rev, true);
        return;
      }
      if (rev <= feed.rev) return;
      runHop('d-quiet');
      quietOnly = rev;
      await feed.advance(rev);
    },
    // The team's settings changed in a revision this coordinator already knew: read again at its next look.
    () => {
      engine.config.recheck();
      engine.wake();
    },
    // A revision taken as quiet is announced again as one to act on: one of the two announcements was not its
    // commit's, and the turn the quiet one spared is taken after all.
    () => {
      engine.config.recheck();
      engine.wake();
      p.messages.queue();
    },
  );
}
