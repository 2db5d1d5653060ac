import { describe, expect, it } from 'vitest';
import { teamCommitResponse } from '../../src/core/service/team-commit-heard';

/*
 * What a team's coordinator does with each announcement on the commit channel. A settings change announced at a
 * revision it knows already is looked at all the same: its own commit (a turn of its own) can take the
 * revision past it before the announcement is heard, and the settings it read before that commit did not have it.
 */
describe("a team's commit announcements", () => {
  it('looks at a new revision, unless another coordinator announced it quiet', () => {
    expect(teamCommitResponse(12, 'other', 11)).toBe('look');
    expect(teamCommitResponse(12, 'settings', 11)).toBe('look');
    expect(teamCommitResponse(12, 'quiet', 11)).toBe('quiet');
  });

  it('takes no look for a revision it knows, but reads the settings again when that revision wrote them', () => {
    expect(teamCommitResponse(11, 'other', 11)).toBe('known');
    expect(teamCommitResponse(10, 'quiet', 11)).toBe('known');
    expect(teamCommitResponse(10, 'settings', 11)).toBe('settings');
  });
});
