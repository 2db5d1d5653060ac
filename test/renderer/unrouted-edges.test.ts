import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/renderer/graph/card-size';
import type { GraphLayout } from '../../src/renderer/graph/layout/layout-types';
import { unroutedEdges } from '../../src/renderer/graph/view/unrouted-edges';
import { makeTask } from './support/fixtures';

const layout: GraphLayout = {
  positions: { a: { x: 0, y: 0 }, b: { x: 400, y: 200 }, c: { x: 800, y: 0 }, far: { x: 9000, y: 9000 } },
  routes: {
    'a->b': [
      { x: CARD_WIDTH, y: 40 },
      { x: 400, y: 240 },
    ],
  },
  groups: [],
  bounds: { x: 0, y: 0, width: 9300, height: 9100 },
};

describe('a dependency the layout has not placed yet', () => {
  it('is drawn at once, straight from its dependency to its dependent as they stand', () => {
    // c was just made to depend on b: the graph has it, the layout does not yet.
    const tasks = new Map(
      [makeTask({ id: 'a' }), makeTask({ id: 'b', after: ['a'] }), makeTask({ id: 'c', after: ['b'] })].map((task) => [task.id, task]),
    );
    const edges = unroutedEdges(['a', 'b', 'c'], tasks, layout);
    expect(edges).toEqual([
      {
        id: 'b->c',
        source: 'b',
        target: 'c',
        unrouted: true,
        points: [
          { x: 400 + CARD_WIDTH, y: 200 + CARD_HEIGHT / 2 },
          { x: 800, y: CARD_HEIGHT / 2 },
        ],
        box: { x: 400 + CARD_WIDTH, y: CARD_HEIGHT / 2, width: 800 - 400 - CARD_WIDTH, height: 200 },
      },
    ]);
  });

  it('is looked for among the cards in the page only, and never where a task is not laid out', () => {
    const tasks = new Map(
      [makeTask({ id: 'far', after: ['c'] }), makeTask({ id: 'c', after: ['gone'] }), makeTask({ id: 'b', after: ['a'] })].map((task) => [
        task.id,
        task,
      ]),
    );
    // far's new dependency is not looked at (far is not in the page); c's dependency has no place; b's is routed.
    expect(unroutedEdges(['b', 'c'], tasks, layout)).toEqual([]);
    expect(unroutedEdges(['far'], tasks, layout).map((edge) => edge.id)).toEqual(['c->far']);
  });
});
