import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/renderer/graph/card-size';
import type { GraphLayout } from '../../src/renderer/graph/layout/layout-types';
import { neighbour } from '../../src/renderer/graph/view/neighbours';
import { buildScene } from '../../src/renderer/graph/view/scene';

/**
 * Arrow keys on the graph: right to a dependent, left to a dependency, up and down along a column; in the work's
 * first view too (a grid of what failed and what runs, no edges between them), where ←/→ have no edge to follow.
 */
const COLUMN = CARD_WIDTH + 60;
const ROW = CARD_HEIGHT + 40;

function scene(positions: GraphLayout['positions'], routes: GraphLayout['routes'] = {}) {
  const ids = Object.keys(positions);
  const box = { x: 0, y: 0, width: 3 * COLUMN, height: 3 * ROW };
  return buildScene({ positions, routes, groups: [{ anchor: 'singles', box, ids, pending: false }], bounds: box });
}

describe('the card an arrow key moves to', () => {
  it('walks a grid of unconnected cards by rows and columns', () => {
    const grid = scene({ a: { x: 0, y: 0 }, b: { x: COLUMN, y: 0 }, c: { x: 2 * COLUMN, y: 0 }, d: { x: 0, y: ROW } });
    expect(neighbour(grid, 'a', 'right')).toBe('b');
    expect(neighbour(grid, 'b', 'right')).toBe('c');
    expect(neighbour(grid, 'c', 'right')).toBeNull();
    expect(neighbour(grid, 'c', 'left')).toBe('b');
    expect(neighbour(grid, 'a', 'down')).toBe('d');
    expect(neighbour(grid, 'd', 'up')).toBe('a');
    expect(neighbour(grid, 'd', 'right')).toBeNull();
  });

  it('follows a dependency first, even when another card is nearer in the row', () => {
    const linked = scene(
      { a: { x: 0, y: 0 }, near: { x: COLUMN, y: 0 }, dependent: { x: 2 * COLUMN, y: ROW } },
      { 'a->dependent': [{ x: CARD_WIDTH, y: 0 }] },
    );
    expect(neighbour(linked, 'a', 'right')).toBe('dependent');
    expect(neighbour(linked, 'dependent', 'left')).toBe('a');
  });
});
