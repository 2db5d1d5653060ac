import type { CommitKind } from '../store/postgres/pg-connection';

/** What a coordinator does with an announcement on its team's commit channel (watchTeamCommits). */
export type TeamCommitResponse =
  /** A word on the channel, not a revision (a coordinator lost or joined): what was missed is looked at. */
  | 'word'
  /** A revision it knows already (its own, or one it read since): nothing. */
  | 'known'
  /**
   * A revision it knows already that wrote the team's settings: those are looked at again. This coordinator's own
   * commit after it, or a read of the revision, got there first, and nothing read before then had them.
   */
  | 'settings'
  /** Another coordinator's commit that leaves nothing to act on: noted, no turn taken. */
  | 'quiet'
  /** A new revision: a look (the settings too when it wrote them). */
  | 'look'
  | 'look with settings';

export function teamCommitResponse(rev: number | null, kind: CommitKind, known: number): TeamCommitResponse {
  if (rev === null) return 'word';
  if (rev <= known) return kind === 'settings' ? 'settings' : 'known';
  if (kind === 'quiet') return 'quiet';
  return kind === 'settings' ? 'look with settings' : 'look';
}
