import { describe, expect, it } from 'vitest';
import { intersects, SpatialIndex } from '../../src/renderer/graph/view/spatial-index';
import type { Box } from '../../src/renderer/graph/layout/layout-types';

const CELL = 1200;

/** A fan's edges: from one card at the middle of a column of `width` cards to each of them. */
function fanEdges(width: number): Array<[string, Box]> {
  const middle = (width / 2) * 100;
  return Array.from({ length: width }, (_, i) => {
    const y = i * 100;
    return [`split->part-${i}`, { x: 300, y: Math.min(y, middle), width: 80, height: Math.abs(y - middle) + 1 }];
  });
}

const sorted = (items: Iterable<string>) => [...items].sort();

describe('SpatialIndex', () => {
  it("keeps a fan's long edges in four cells at most each, not in every cell they cross", () => {
    const index = new SpatialIndex<string>(CELL);
    const edges = fanEdges(5000);
    for (const [id, box] of edges) index.insert(id, box);
    // Put in every cell it crosses, the fan's edges were kept in about a million places.
    expect(index.entries).toBeLessThanOrEqual(4 * edges.length);
  });

  it('finds exactly the items a rectangle meets, long and short, across and down, anywhere on the canvas', () => {
    const index = new SpatialIndex<string>(CELL);
    const items: Array<[string, Box]> = [
      ...fanEdges(400),
      ['across', { x: -20_000, y: 5000, width: 60_000, height: 40 }],
      ['both', { x: 0, y: 0, width: 30_000, height: 50_000 }],
      ['card', { x: 350, y: 12_000, width: 260, height: 80 }],
      ['far', { x: 90_000, y: 90_000, width: 260, height: 80 }],
    ];
    for (const [id, box] of items) index.insert(id, box);
    const rects: Box[] = [
      { x: 0, y: 0, width: 1440, height: 900 },
      { x: 200, y: 19_500, width: 1440, height: 900 },
      { x: 200, y: 39_000, width: 1440, height: 900 },
      { x: -15_000, y: 4800, width: 500, height: 500 },
      { x: 89_000, y: 89_000, width: 3000, height: 3000 },
      { x: -100_000, y: -100_000, width: 300_000, height: 300_000 },
      { x: 5000, y: -3000, width: 100, height: 100 },
    ];
    for (const rect of rects) {
      const found = [...index.query(rect)].filter((id) => intersects((items.find(([item]) => item === id) as [string, Box])[1], rect));
      const expected = items.filter(([, box]) => intersects(box, rect)).map(([id]) => id);
      expect(sorted(found), JSON.stringify(rect)).toEqual(sorted(expected));
    }
  });
});
