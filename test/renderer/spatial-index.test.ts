import { describe, expect, it } from 'vitest';
import { intersects, SpatialIndex, type Bounds, type Move } from '../../src/renderer/graph/view/spatial-index';
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

/** An index of the items: an empty one with each of them new. */
const indexOf = (items: ReadonlyArray<[string, Box]>) =>
  new SpatialIndex<string>(CELL).moved(
    items.map(([item, box]) => ({ item, after: { left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height } })),
  );

describe('SpatialIndex', () => {
  it("keeps a fan's long edges in four cells at most each, not in every cell they cross", () => {
    const edges = fanEdges(5000);
    const index = indexOf(edges);
    // Put in every cell it crosses, the fan's edges were kept in about a million places.
    expect(index.entries).toBeLessThanOrEqual(4 * edges.length);
  });

  it('finds exactly the items a rectangle meets, long and short, across and down, anywhere on the canvas', () => {
    const items: Array<[string, Box]> = [
      ...fanEdges(400),
      ['across', { x: -20_000, y: 5000, width: 60_000, height: 40 }],
      ['both', { x: 0, y: 0, width: 30_000, height: 50_000 }],
      ['card', { x: 350, y: 12_000, width: 260, height: 80 }],
      ['far', { x: 90_000, y: 90_000, width: 260, height: 80 }],
    ];
    const index = indexOf(items);
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

  it("moves most of a fan's edges at once, each out of cells shared by thousands, and answers as one made from nothing", () => {
    const bounds = (box: Box): Bounds => ({ left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height });
    const edges = fanEdges(5000);
    // One dependency added to a fan moves most of its edges: here all but every tenth, 80 px down.
    const after = edges.map(([id, box], i): [string, Box] => [id, i % 10 === 0 ? box : { ...box, y: box.y + 80 }]);
    const moves: Move<string>[] = edges.flatMap(([id, box], i) =>
      i % 10 === 0 ? [] : [{ item: id, before: bounds(box), after: bounds(after[i]?.[1] as Box) }],
    );
    const moved = indexOf(edges).moved(moves);
    const expected = indexOf(after);
    expect(moved.entries).toBe(expected.entries);
    for (const rect of [
      { x: 0, y: 0, width: 1440, height: 900 },
      { x: 200, y: 249_900, width: 1440, height: 900 },
      { x: 300, y: 499_950, width: 100, height: 200 },
      { x: -1e6, y: -1e6, width: 3e6, height: 3e6 },
    ])
      expect(sorted(moved.query(rect)), JSON.stringify(rect)).toEqual(sorted(expected.query(rect)));
  });

  it('made from the index before with the moves of a random sequence of edits, answers as one made from nothing, and the one before is left as it was', () => {
    let seed = 7;
    const pick = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    // Cards, and long routes now and then (kept at a higher level).
    const someBounds = (): Bounds => {
      const left = pick() * 40_000 - 5000;
      const top = pick() * 20_000 - 5000;
      const long = pick() < 0.2;
      return { left, top, right: left + (long ? pick() * 30_000 : 260), bottom: top + (long ? pick() * 15_000 : 80) };
    };
    const fresh = (items: ReadonlyMap<string, Bounds>) =>
      new SpatialIndex<string>(CELL).moved([...items].map(([item, after]) => ({ item, after })));
    const rects: Box[] = [{ x: -100_000, y: -100_000, width: 300_000, height: 300_000 }];
    for (let i = 0; i < 300; i++)
      rects.push({ x: pick() * 45_000 - 6000, y: pick() * 25_000 - 6000, width: 300 + pick() * 3000, height: 90 + pick() * 2000 });
    const answers = (index: SpatialIndex<string>) => rects.map((rect) => sorted(index.query(rect)).join(' '));

    let items = new Map(Array.from({ length: 400 }, (_, i) => [`i${i}`, someBounds()] as [string, Bounds]));
    let index = fresh(items);
    for (let step = 0; step < 60; step++) {
      const next = new Map(items);
      const moves: Move<string>[] = [];
      for (let k = 0; k < 1 + Math.floor(pick() * 30); k++) {
        const ids = [...next.keys()];
        const id = ids[Math.floor(pick() * ids.length)] as string;
        const roll = pick();
        // The same item may move twice in one edit: each move starts where the one before left it.
        if (roll < 0.5) {
          const after = someBounds();
          moves.push({ item: id, before: next.get(id), after });
          next.set(id, after);
        } else if (roll < 0.75) {
          moves.push({ item: id, before: next.get(id) });
          next.delete(id);
        } else {
          const added = `n${step}-${k}`;
          const after = someBounds();
          moves.push({ item: added, after });
          next.set(added, after);
        }
      }
      const before = answers(index);
      const moved = index.moved(moves);
      const expected = fresh(next);
      expect(answers(moved), `step ${step}`).toEqual(answers(expected));
      const met = (rect: Box) =>
        [...next].filter(
          ([, b]) => b.left <= rect.x + rect.width && b.right >= rect.x && b.top <= rect.y + rect.height && b.bottom >= rect.y,
        );
      expect(answers(moved)).toEqual(rects.map((rect) => sorted(met(rect).map(([id]) => id)).join(' ')));
      expect(moved.entries).toBe(expected.entries);
      expect(answers(index)).toEqual(before);
      index = moved;
      items = next;
    }
  });
});
