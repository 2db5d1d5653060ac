import { describe, expect, it } from 'vitest';
import type { Box, GraphLayout, XY } from '../../src/renderer/graph/layout/layout-types';
import type { Cluster } from '../../src/renderer/graph/view/clusters';
import { buildScene } from '../../src/renderer/graph/view/scene';
import type { ViewportValue } from '../../src/renderer/graph/view/viewport-math';
import { type Canvas, stageAtPoint, zoomedAt } from '../../src/renderer/graph/view/zoom-into-stage';
import { CARD_ZOOM } from '../../src/renderer/graph/view/zoom-levels';

// Zooming into a stage of the stage map comes to its cards (zoom-into-stage.ts, issue 76 item 1).

const CARD = { width: 232, height: 96 };
const COLUMN = 600;
const ROW = 136;

/**
 * One stage as a layered layout draws it: columns of cards centred on one line, the middle one
 * far the tallest, so the corners of its box are a screen or more from any card; a second stage
 * right of it.
 */
function plan(): { layout: GraphLayout; clusters: Cluster[] } {
  const positions: Record<string, XY> = {};
  const columns = [3, 5, 7, 9, 41, 9, 7, 5, 3, 15, 15];
  const ids: string[][] = [[], []];
  columns.forEach((count, c) => {
    for (let r = 0; r < count; r++) {
      const id = `c${c}r${r}`;
      positions[id] = { x: c * COLUMN, y: (r - (count - 1) / 2) * ROW };
      (ids[c < 9 ? 0 : 1] as string[]).push(id);
    }
  });
  const boxOf = (list: string[]): Box => {
    const xs = list.map((id) => (positions[id] as XY).x);
    const ys = list.map((id) => (positions[id] as XY).y);
    const [x, y] = [Math.min(...xs), Math.min(...ys)];
    return { x, y, width: Math.max(...xs) + CARD.width - x, height: Math.max(...ys) + CARD.height - y };
  };
  const all = Object.keys(positions);
  const bounds = boxOf(all);
  const layout: GraphLayout = { positions, routes: {}, groups: [{ anchor: 'plan', box: bounds, ids: all, pending: false }], bounds };
  const clusters: Cluster[] = ids.map((list, i) => ({
    anchor: `stage:plan:${i + 1}`,
    ids: list,
    pending: false,
    box: boxOf(list),
    stage: { part: 'plan', index: i + 1, of: 2 },
  }));
  return { layout, clusters };
}

const canvas: Canvas = { width: 1200, height: 800, overlays: [] };
/** The stage map: the whole plan in view. */
const atFit: ViewportValue = { x: 100, y: 400, zoom: 0.1 };
const screenOf = (p: XY, view: ViewportValue): XY => ({ x: p.x * view.zoom + view.x, y: p.y * view.zoom + view.y });
const flowOf = (p: XY, view: ViewportValue): XY => ({ x: (p.x - view.x) / view.zoom, y: (p.y - view.y) / view.zoom });

/** The cards of `ids` wholly on the canvas under `view`. */
function cardsInView(layout: GraphLayout, ids: readonly string[], view: ViewportValue, area: Canvas = canvas): string[] {
  return ids.filter((id) => {
    const s = screenOf(layout.positions[id] as XY, view);
    const [w, h] = [CARD.width * view.zoom, CARD.height * view.zoom];
    const clear = !area.overlays.some((o) => s.x < o.x + o.width && o.x < s.x + w && s.y < o.y + o.height && o.y < s.y + h);
    return s.x >= 0 && s.y >= 0 && s.x + w <= area.width && s.y + h <= area.height && clear;
  });
}

/** Wheel steps of `factor` at `at` from `view` until card zoom. */
function wheel(view: ViewportValue, at: XY, factor: number, stageAt: ReturnType<typeof stageAtPoint>, area = canvas): ViewportValue[] {
  const views = [view];
  let now = view;
  while (now.zoom < CARD_ZOOM) {
    now = zoomedAt(now, at, now.zoom * factor, stageAt, area).view;
    views.push(now);
  }
  return views;
}

describe('zooming into a stage', () => {
  const { layout, clusters } = plan();
  const stageAt = stageAtPoint(clusters, buildScene(layout));
  const first = clusters[0] as Cluster;
  const corner = screenOf({ x: first.box.x + 20, y: first.box.y + first.box.height - 20 }, atFit);

  it('reaches cards of the stage from the far corner of its box, whatever the steps', () => {
    // Zoomed about the corner alone, the view at card zoom holds none of the stage's cards.
    const plainly = { x: corner.x - flowOf(corner, atFit).x * 0.6, y: corner.y - flowOf(corner, atFit).y * 0.6, zoom: 0.6 };
    expect(cardsInView(layout, first.ids, plainly)).toEqual([]);
    for (const factor of [1.15, 1.74, 2.5]) {
      const views = wheel(atFit, corner, factor, stageAt);
      const last = views.at(-1) as ViewportValue;
      expect(cardsInView(layout, first.ids, last).length, `steps of ${factor}`).toBeGreaterThanOrEqual(6);
    }
  });

  it('moves a little at each step, not at once: the point under the pointer goes to the card as the zoom goes to card zoom', () => {
    const views = wheel(atFit, corner, 1.15, stageAt);
    const held = views.map((view) => flowOf(corner, view));
    const start = held[0] as XY;
    const moved = held.map((p) => Math.hypot(p.x - start.x, p.y - start.y));
    // Before the last step, what is under the pointer moved steadily, each step further than the last.
    for (let i = 1; i < moved.length - 1; i++) expect(moved[i]).toBeGreaterThan(moved[i - 1] as number);
    // The first step, at the stage map, moved it by a small share of the way (its share of the zoom to go, in log steps).
    expect(moved[1] as number).toBeLessThan(0.1 * (moved.at(-2) as number));
  });

  it('keeps the point under the pointer on a card, and zooming out or outside the stages, as any zoom does', () => {
    const onCard = screenOf({ x: 2 * COLUMN + 100, y: 40 }, atFit);
    const outside = screenOf({ x: first.box.x - 300, y: 0 }, atFit);
    for (const [at, zoom] of [
      [onCard, 0.4],
      [outside, 0.4],
      [corner, 0.05],
    ] as const) {
      const { view } = zoomedAt(atFit, at, zoom, stageAt, canvas);
      const held = flowOf(at, view);
      const before = flowOf(at, atFit);
      expect(held.x).toBeCloseTo(before.x, 6);
      expect(held.y).toBeCloseTo(before.y, 6);
      expect(view.zoom).toBe(zoom);
    }
  });

  it('zooming on among the cards about a point between them never leaves none of the stage in view', () => {
    let view = wheel(atFit, corner, 1.74, stageAt).at(-1) as ViewportValue;
    // The pointer on a point of the stage's box between its cards where zooming about it alone to 2 would show none.
    const { box } = first;
    const plainAt = (p: XY, zoom: number): ViewportValue => {
      const f = flowOf(p, view);
      return { x: p.x - f.x * zoom, y: p.y - f.y * zoom, zoom };
    };
    let between: XY | undefined;
    for (let y = 10; y < canvas.height && !between; y += 25)
      for (let x = 10; x < canvas.width && !between; x += 25) {
        const f = flowOf({ x, y }, view);
        const inBox = f.x > box.x && f.y > box.y && f.x < box.x + box.width && f.y < box.y + box.height;
        if (inBox && cardsInView(layout, first.ids, plainAt({ x, y }, 2)).length === 0) between = { x, y };
      }
    expect(between, 'a point of the stage with none of its cards near').toBeDefined();
    while (view.zoom < 2) {
      view = zoomedAt(view, between as XY, Math.min(2, view.zoom * 1.74), stageAt, canvas).view;
      expect(cardsInView(layout, first.ids, view).length, `at zoom ${view.zoom}`).toBeGreaterThanOrEqual(1);
    }
  });

  it('leaves the card it comes to clear of the panels over the canvas', () => {
    const area: Canvas = { ...canvas, overlays: [{ x: 0, y: 700, width: 400, height: 100 }] };
    const last = wheel(atFit, corner, 1.74, stageAt, area).at(-1) as ViewportValue;
    expect(cardsInView(layout, first.ids, last, area).length).toBeGreaterThanOrEqual(6);
  });
});
