import type { CommitKind } from '../store/postgres/pg-connection';

/** What a coordinator does with a revision announced on its team's commit channel (watchTeamCommits). */
export type TeamCommitResponse =
  /** A revision it knows already (its own, or one it read since): nothing. */
  | 'known'
  /**
   * A revision it knows already that wrote the team's settings: those are looked at again. This coordinator's own
   * commit after it, or a read of the revision, got there first, and nothing read before then had them.
   */
  | 'settings'
  /** Another coordinator's commit that leaves nothing to act on: noted, no turn taken. */
  | 'quiet'
  /** A new revision: a look (at the settings too when it wrote them). */
  | 'look';

export function teamCommitResponse(rev: number, kind: CommitKind, known: number): TeamCommitResponse {
  if (rev <= known) return kind === 'settings' ? 'settings' : 'known';
  return kind === 'quiet' ? 'quiet' : 'look';
}
