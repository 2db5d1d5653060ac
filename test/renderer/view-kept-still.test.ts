import { describe, expect, it } from 'vitest';
import type { GraphLayout, XY } from '../../src/renderer/graph/layout/layout-types';
import { linkView } from '../../src/renderer/graph/view/followed-link';
import { viewKeptStill } from '../../src/renderer/graph/view/picture-kept-still';
import { buildScene } from '../../src/renderer/graph/view/scene';
import type { CanvasArea } from '../../src/renderer/graph/view/viewport-math';

// The view control's pure parts (use-view-control.ts): the picture kept still when the layout changes under it, and
// the view that shows a dependency drawn by hand.

/** One group holding every card at `positions`, its box around them. */
function layoutOf(positions: Record<string, XY>, routes: GraphLayout['routes'] = {}): GraphLayout {
  const xs = Object.values(positions).map((p) => p.x);
  const ys = Object.values(positions).map((p) => p.y);
  const box = {
    x: Math.min(...xs),
    y: Math.min(...ys),
    width: Math.max(...xs) - Math.min(...xs) + 232,
    height: Math.max(...ys) - Math.min(...ys) + 96,
  };
  return { positions, routes, groups: [{ anchor: 'a', box, ids: Object.keys(positions), pending: false }], bounds: box };
}

const at1 = [0, 0, 1] as const;

describe('the picture kept still when the layout changes', () => {
  it('moves with the card in the middle when it moved', () => {
    const before = buildScene(layoutOf({ a: { x: 400, y: 300 }, b: { x: 2000, y: 2000 } }));
    const after = layoutOf({ a: { x: 500, y: 340 }, b: { x: 2000, y: 2000 } });
    expect(viewKeptStill(before, after, at1, 1000, 700, null)).toEqual({ x: -100, y: -40, zoom: 1 });
  });

  it('stays when a card near the middle kept its place, however another moved', () => {
    const before = buildScene(layoutOf({ a: { x: 400, y: 300 }, b: { x: 100, y: 100 } }));
    const after = layoutOf({ a: { x: 400, y: 300 }, b: { x: 900, y: 100 } });
    expect(viewKeptStill(before, after, at1, 1000, 700, null)).toBeNull();
  });

  it('keeps the task a person asked to see where it is while it is on screen', () => {
    const before = buildScene(layoutOf({ a: { x: 400, y: 300 }, asked: { x: 10, y: 10 } }));
    const after = layoutOf({ a: { x: 400, y: 300 }, asked: { x: 60, y: 30 } });
    expect(viewKeptStill(before, after, [0, 0, 0.5], 1000, 700, 'asked')).toEqual({ x: -25, y: -10, zoom: 0.5 });
    expect(viewKeptStill(before, layoutOf({ a: { x: 400, y: 300 }, asked: { x: 10, y: 10 } }), at1, 1000, 700, 'asked')).toBeNull();
  });
});

describe('a dependency drawn by hand brought into view', () => {
  const space: CanvasArea = { width: 1000, height: 700, coveredRight: 0, overlays: [] };

  it('moves the view just enough when both cards fit at its zoom', () => {
    const layout = layoutOf({ s: { x: 1200, y: 100 }, t: { x: 1500, y: 100 } });
    const view = linkView(layout, { source: 's', target: 't' }, at1, space);
    expect(view?.zoom).toBe(1);
    // Both cards now inside the canvas.
    expect((view?.x ?? 0) + 1500 + 232).toBeLessThanOrEqual(1000);
  });

  it('says nothing when both cards are in view already, or neither is laid out', () => {
    const layout = layoutOf({ s: { x: 100, y: 100 }, t: { x: 400, y: 100 } });
    expect(linkView(layout, { source: 's', target: 't' }, at1, space)).toBeNull();
    expect(linkView(layout, { source: 'x', target: 'y' }, at1, space)).toBeNull();
  });
});
