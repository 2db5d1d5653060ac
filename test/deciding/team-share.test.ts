import { describe, expect, it } from 'vitest';
import { teamShare } from '../../src/core/deciding/team-share';

describe("a coordinator's share of the team's cap", () => {
  it('shares a binding cap evenly, rounding up so the shares cover the cap', () => {
    // Three machines of 4 under 8: 3 each (3 + 3 + 2 fill it; none is left out).
    expect(teamShare(8, [4, 4, 4])).toBe(3);
    expect(teamShare(9, [4, 4, 4])).toBe(3);
    expect(teamShare(10, [4, 4, 4])).toBe(4);
  });

  it("gives a small or paused machine's unused room to the others", () => {
    expect(teamShare(8, [1, 4, 4])).toBe(4);
    expect(teamShare(8, [0, 8, 8])).toBe(4);
    expect(teamShare(6, [0, 0, 8])).toBe(6);
  });

  it('does not bind when the capacities together are within the cap', () => {
    expect(teamShare(20, [4, 4, 4])).toBe(4);
    expect(teamShare(8, [4, 4])).toBe(4);
    expect(teamShare(8, [4])).toBe(4);
  });

  it('covers the cap whatever the capacities (every slot usable by someone)', () => {
    for (let cap = 1; cap <= 12; cap++) {
      for (const capacities of [
        [1, 2, 3],
        [5, 5],
        [0, 7, 2, 2],
        [12, 1],
        [3, 3, 3, 3],
      ]) {
        const level = teamShare(cap, capacities);
        const covered = capacities.reduce((sum, c) => sum + Math.min(c, level), 0);
        expect(covered).toBeGreaterThanOrEqual(
          Math.min(
            cap,
            capacities.reduce((a, b) => a + b, 0),
          ),
        );
        // And the lowest level that does: one less would leave a slot of the cap idle.
        if (level > 0) expect(capacities.reduce((sum, c) => sum + Math.min(c, level - 1), 0)).toBeLessThan(cap);
      }
    }
  });
});
