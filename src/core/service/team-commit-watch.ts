import { errorText } from '../../shared/errors';
import type { CommitKind, PgConnection } from '../store/postgres/pg-connection';
import type { CommitWatch } from './commit-watch';
import { type KnownRevision, teamCommitResponse } from './team-commit-heard';

/**
 * Another process's (another machine's) commit to a team's graph, heard at once by PostgreSQL's LISTEN/NOTIFY: an
 * announced revision past the last known one prompts a read of the project's revision, and that is looked at; after a
 * reconnection the revision is compared, whatever was missed meanwhile. Any role that logs in to the database may
 * announce on the channel (SECURITY.md), so what an announcement names is a hint, never a revision taken as known.
 */
export async function watchTeamCommits(
  conn: PgConnection,
  known: () => KnownRevision,
  lookAgain: (settings?: boolean) => Promise<boolean>,
  warn: (message: string) => void,
  heardOther: () => Promise<void>,
  heardQuiet: (announced: number) => Promise<void>,
  settingsChanged: () => void,
  quietContradicted: () => void,
): Promise<CommitWatch> {
  const { listenForCommits } = await import('../store/postgres/commit-listener');
  // This process's own commits come back announced too, already known: they cost no look.
  const listener = listenForCommits(
    conn.target,
    (rev, kind) => {
      // A word on the channel, not a revision (a coordinator lost or joined): what was missed is looked at.
      if (rev === null) {
        void heardOther().catch((error: unknown) => warn(errorText(error)));
        void lookAgain().catch((error: unknown) => warn(errorText(error)));
        return;
      }
      // This process's own commit, heard before its answer came on its own connection: known once it committed (its
      // onCommit tells the feed), where a look would read the revision (a round trip) to find it known by then.
      const own = conn.ownCommit(rev);
      if (own) void own.then((committed) => respond(rev, kind, committed));
      else respond(rev, kind, false);
    },
    warn,
  );
  return { ownCommit: () => undefined, stop: () => listener.stop() };

  function respond(rev: number, kind: CommitKind, ownCommitted: boolean): void {
    const now = known();
    // Announcements come in commit order: every commit before this one was looked at already.
    switch (teamCommitResponse(rev, kind, ownCommitted ? { ...now, rev: Math.max(now.rev, rev) } : now)) {
      case 'known':
        return;
      case 'settings':
        settingsChanged();
        return;
      case 'contradicted':
        quietContradicted();
        return;
      case 'quiet':
        void heardQuiet(rev).catch((error: unknown) => warn(errorText(error)));
        return;
      case 'look':
        // The settings are read again even if the look finds the revision known by then (this coordinator's own commit
        // after it got there first): nothing else reads them (ConfigView.hearTeamSettings).
        if (kind === 'settings') settingsChanged();
        void lookAgain(kind === 'settings').catch((error: unknown) => warn(errorText(error)));
    }
  }
}
