import { describe, expect, it } from 'vitest';
import { StraightRuns } from '../../src/renderer/graph/view/straight-runs';

/*
 * Many routes' straight legs kept by their line (straight-runs.ts): the overview's canvas strokes a hub's thousands of
 * routes as the few lines they share. Stroked one by one they were thousands of long lines over each other, about
 * 100 ms of the page's thread a frame beside the fan's hub (found with the UI bench's search).
 */

/** A hub's routes as the router lays them: each down its own lane, a fraction of a pixel from the next. */
function lanes(parts: number, spacing = 0.04) {
  return Array.from({ length: parts }, (_, i) => {
    const x = 332 + i * spacing;
    return [
      { x: 232, y: 10_000 },
      { x, y: 10_000 },
      { x, y: i * 124 },
      { x: 432, y: i * 124 },
    ];
  });
}

function add(runs: StraightRuns, routes: Array<Array<{ x: number; y: number }>>): void {
  for (const points of routes)
    for (let i = 1; i < points.length; i++) runs.add(points[i - 1] as { x: number; y: number }, points[i] as { x: number; y: number });
}

describe('straight runs', () => {
  it('joins legs on one line that overlap or touch, and keeps apart those with a gap between', () => {
    const runs = new StraightRuns();
    runs.add({ x: 0, y: 5 }, { x: 10, y: 5 });
    runs.add({ x: 20, y: 5 }, { x: 8, y: 5 });
    runs.add({ x: 30, y: 5 }, { x: 40, y: 5 });
    runs.add({ x: 0, y: 6 }, { x: 1, y: 6 });
    expect(runs.across()).toEqual([
      { at: 5, from: 0, to: 20 },
      { at: 5, from: 30, to: 40 },
      { at: 6, from: 0, to: 1 },
    ]);
    expect(runs.add({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(false);
    expect(runs.down()).toEqual([]);
  });

  it('takes lanes closer than its grid as one line: a hub of 5,000 lanes half a pixel apart on screen is a few hundred lines', () => {
    const exact = new StraightRuns();
    add(exact, lanes(5000));
    expect(exact.down()).toHaveLength(5000);
    // At a zoom of 0.3, half a pixel on screen is 1.67 on the canvas: the 200-wide band of lanes is 121 lines.
    const onScreen = new StraightRuns(0.5 / 0.3);
    add(onScreen, lanes(5000));
    const down = onScreen.down();
    expect(down.length).toBeLessThan(130);
    // Each line runs the whole way its lanes ran: from the hub's level to the farthest part of theirs.
    const first = down.find((run) => run.at === Math.round(332 / (0.5 / 0.3)) * (0.5 / 0.3));
    expect(first).toMatchObject({ from: 0, to: 10_000 });
    expect(onScreen.across().filter((run) => run.at === 10_000)).toEqual([{ at: 10_000, from: 232, to: 332 + 4999 * 0.04 }]);
  });
});
