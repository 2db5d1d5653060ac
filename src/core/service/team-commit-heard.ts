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
  /**
   * A revision it took as quiet on an announcement alone, announced again as one to act on: anyone on the database may
   * announce, so one of the two was not its commit's, and a turn is taken after all.
   */
  | 'contradicted'
  /** Another coordinator's commit that leaves nothing to act on: noted, no turn taken. */
  | 'quiet'
  /** A revision past the last known: a read of the project's revision, and a look (at the settings too when it wrote them). */
  | 'look';

/** What a coordinator knows of its project's revisions when an announcement comes. */
export interface KnownRevision {
  /** The last revision it read from the store and looked at. */
  rev: number;
  /** The last revision it took as quiet on an announcement that said so, with no turn taken for it. */
  quietOnly: number | null;
}

export function teamCommitResponse(rev: number, kind: CommitKind, known: KnownRevision): TeamCommitResponse {
  if (rev <= known.rev) {
    if (kind !== 'quiet' && rev === known.quietOnly) return 'contradicted';
    return kind === 'settings' ? 'settings' : 'known';
  }
  return kind === 'quiet' ? 'quiet' : 'look';
}
