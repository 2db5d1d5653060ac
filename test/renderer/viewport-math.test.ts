import { describe, expect, it } from 'vitest';
import type { Box } from '../../src/renderer/graph/layout/layout-types';
import { fitBox, uncutTopLeft, wholeView, type CanvasArea, type ViewportValue } from '../../src/renderer/graph/view/viewport-math';

const CARD = { width: 232, height: 96 };
// 1440×900 window: the canvas, the view controls at its bottom left, the minimap at its bottom right.
const controls: Box = { x: 15, y: 790, width: 170, height: 38 };
const miniMap: Box = { x: 1063, y: 698, width: 200, height: 130 };
const area: CanvasArea = { width: 1278, height: 843, coveredRight: 0, overlays: [controls, miniMap] };

const onScreen = (box: Box, view: ViewportValue): Box => ({
  x: box.x * view.zoom + view.x,
  y: box.y * view.zoom + view.y,
  width: box.width * view.zoom,
  height: box.height * view.zoom,
});
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('fitting the view around what lies over the canvas', () => {
  it('fits a wide graph above the controls and the minimap, and a tall one beside the minimap', () => {
    for (const graph of [
      { x: 0, y: 0, width: 1600, height: 900 },
      { x: 0, y: 0, width: 700, height: 1100 },
    ]) {
      const view = fitBox(graph, area, { min: 0.05, max: 1 });
      const shown = onScreen(graph, view);
      expect(overlap(shown, controls), JSON.stringify(graph)).toBe(false);
      expect(overlap(shown, miniMap), JSON.stringify(graph)).toBe(false);
      expect(shown.x).toBeGreaterThanOrEqual(0);
      expect(shown.y).toBeGreaterThanOrEqual(0);
    }
    // Between the controls and the minimap, the tall graph is shown at the canvas's full height.
    expect(fitBox({ x: 0, y: 0, width: 700, height: 1100 }, area, { min: 0.05, max: 1 }).zoom).toBeCloseTo((843 - 80) / 1100, 2);
  });

  it('moves the view so that no card is cut by the top or left edge', () => {
    const cards = [
      { x: 0, y: 0 },
      { x: 0, y: 124 },
      { x: 312, y: 60 },
      { x: 3000, y: -50 },
    ];
    // The view's top edge at y = 30 and left edge at x = 100 (flow coordinates), zoom 0.7.
    const view = uncutTopLeft({ x: -70, y: -21, zoom: 0.7 }, cards, CARD, area);
    const top = -view.y / view.zoom;
    const left = -view.x / view.zoom;
    for (const p of cards.slice(0, 3)) {
      expect(p.y >= top || p.y + CARD.height <= top, `card at ${p.x},${p.y} cut at the top`).toBe(true);
      expect(p.x >= left || p.x + CARD.width <= left, `card at ${p.x},${p.y} cut at the left`).toBe(true);
    }
    // A card far off to the right does not count.
    expect(top).toBeGreaterThan(-50);
  });
});

describe('the whole graph', () => {
  const bounds: Box = { x: 0, y: 0, width: 20_000, height: 10_000 };
  const inside = (box: Box, view: ViewportValue) => {
    const shown = onScreen(box, view);
    return shown.x >= 0 && shown.y >= 0 && shown.x + shown.width <= area.width && shown.y + shown.height <= area.height;
  };

  it('at cluster zoom holds every cluster (what is drawn there), wherever they lie', () => {
    const clusters: Box = { x: -5000, y: 2000, width: 24_000, height: 9000 };
    const view = wholeView(bounds, clusters, area);
    expect(view.zoom).toBeLessThan(0.1);
    expect(inside(clusters, view)).toBe(true);
  });

  it('goes as far out as a big plan’s clusters need, below the zoom the buttons stop at (0.02)', () => {
    // One connected 10,000-task plan: a strip, its clusters set in rows 60,000 wide.
    const strip: Box = { x: 0, y: 0, width: 181_672, height: 5803 };
    const clusters: Box = { x: 0, y: 0, width: 60_000, height: 45_000 };
    const view = wholeView(strip, clusters, { ...area, width: 800, height: 500 });
    expect(view.zoom).toBeLessThan(0.02);
    expect(inside(clusters, view)).toBe(true);
  });

  it('is the layout alone when that is shown closer than cluster zoom (no clusters drawn there)', () => {
    const small: Box = { x: 0, y: 0, width: 2600, height: 1300 };
    expect(wholeView(small, { x: -3000, y: 0, width: 8000, height: 1300 }, area)).toEqual(fitBox(small, area, { min: 0.02, max: 1 }));
  });
});
