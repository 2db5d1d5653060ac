import { describe, expect, it } from 'vitest';
import { teamCommitResponse } from '../../src/core/service/team-commit-heard';

/*
 * What a team's coordinator does with each announcement on the commit channel. A settings change announced at a
 * revision it knows already is looked at all the same: its own commit (a turn of its own) can take the
 * revision past it before the announcement is heard, and the settings it read before that commit did not have it.
 */
/** A coordinator that knows revision `rev`, none of it taken as quiet on an announcement alone. */
const known = (rev: number, quietOnly: number | null = null) => ({ rev, quietOnly });

describe("a team's commit announcements", () => {
  it('looks at a new revision, unless another coordinator announced it quiet', () => {
    expect(teamCommitResponse(12, 'other', known(11))).toBe('look');
    expect(teamCommitResponse(12, 'settings', known(11))).toBe('look');
    expect(teamCommitResponse(12, 'quiet', known(11))).toBe('quiet');
  });

  it('takes no look for a revision it knows, but reads the settings again when that revision wrote them', () => {
    expect(teamCommitResponse(11, 'other', known(11))).toBe('known');
    expect(teamCommitResponse(10, 'quiet', known(11))).toBe('known');
    expect(teamCommitResponse(10, 'settings', known(11))).toBe('settings');
  });

  /*
   * Any role that logs in to the database may announce on the channel. A revision known on a quiet announcement alone
   * (no turn taken for it) and announced again as one to act on takes its turn: the quiet one may have been forged.
   */
  it('takes a turn after all for a revision it took as quiet when it is announced again as one to act on', () => {
    expect(teamCommitResponse(12, 'other', known(12, 12))).toBe('contradicted');
    expect(teamCommitResponse(12, 'settings', known(13, 12))).toBe('contradicted');
    expect(teamCommitResponse(12, 'quiet', known(12, 12))).toBe('known');
    expect(teamCommitResponse(11, 'other', known(12, 12))).toBe('known');
  });
});
