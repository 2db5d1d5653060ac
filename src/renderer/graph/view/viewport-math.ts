import type { Box, XY } from '../layout/layout-types';
import { CLUSTER_ZOOM, MAX_ZOOM, READABLE_ZOOM, TITLE_ZOOM } from './zoom-levels';

export interface ViewportValue {
  x: number;
  y: number;
  zoom: number;
}

export interface CanvasArea {
  width: number;
  height: number;
  /** Width covered on the right by the inspector, which lies over the canvas. */
  coveredRight: number;
  /** What else lies over the canvas (the view controls, the minimap), in canvas pixels. */
  overlays?: readonly Box[];
}

const PADDING = 40;

/**
 * The parts of the canvas a view can use, clear of the inspector and the overlays along the
 * bottom: the strip above all of them, the part above those on the left and left of those on the
 * right (the minimap), or the full height between them, whichever suits what is shown.
 */
function clearAreas(area: CanvasArea): Box[] {
  const width = Math.max(1, area.width - area.coveredRight);
  const overlays = (area.overlays ?? []).filter((o) => o.x < width && o.width > 0 && o.height > 0);
  const whole = { x: 0, y: 0, width, height: area.height };
  if (overlays.length === 0) return [whole];
  const right = overlays.filter((o) => o.x + o.width / 2 > width / 2);
  const left = overlays.filter((o) => !right.includes(o));
  const above = { ...whole, height: Math.min(...overlays.map((o) => o.y)) };
  const rightEdge = right.length > 0 ? Math.min(...right.map((o) => o.x)) : width;
  const beside = { ...whole, width: rightEdge, height: left.length > 0 ? Math.min(...left.map((o) => o.y)) : area.height };
  const leftEdge = left.length > 0 ? Math.max(...left.map((o) => o.x + o.width)) : 0;
  const between = { x: leftEdge, y: 0, width: Math.max(1, rightEdge - leftEdge), height: area.height };
  return [above, beside, between];
}

const zoomToFit = (box: Box, clear: Box) =>
  Math.min((clear.width - 2 * PADDING) / Math.max(1, box.width), (clear.height - 2 * PADDING) / Math.max(1, box.height));

/** The viewport showing `box` whole in the clear part of the canvas, the zoom kept between the limits. */
export function fitBox(box: Box, area: CanvasArea, limits: { min: number; max: number }): ViewportValue {
  const clear = clearAreas(area).reduce((best, c) => (zoomToFit(box, c) > zoomToFit(box, best) ? c : best));
  const zoom = clamp(zoomToFit(box, clear), Math.max(LOWEST_ZOOM, limits.min), Math.min(MAX_ZOOM, limits.max));
  return centreIn({ x: box.x + box.width / 2, y: box.y + box.height / 2 }, zoom, clear);
}

/** The least zoom a whole view goes to (a 50,000-task plan's clusters), far below what the buttons zoom out to. */
const LOWEST_ZOOM = 0.001;

/**
 * Every task: the graph's bounds at the zoom that holds them (at most 1), or, where that is so far
 * out that clusters are drawn, or the cards would be titleless slivers and the clusters tell the
 * plan's story (`story`: its stages, or several parts), the clusters (set beside their tasks or in
 * rows, clusters.ts), at whatever zoom holds them all, short of the zoom where cards would be drawn
 * instead.
 */
export function wholeView(bounds: Box, clusters: Box | null, area: CanvasArea, story = false, upTo = CLUSTER_ZOOM): ViewportValue {
  const view = fitBox(bounds, area, { min: LOWEST_ZOOM, max: 1 });
  if (!clusters || view.zoom >= (story ? TITLE_ZOOM : CLUSTER_ZOOM)) return view;
  return clusterView(clusters, area, upTo);
}

/** The clusters (their box) at whatever zoom holds them all, short of the zoom where cards would be drawn instead (`upTo`). */
export function clusterView(clusters: Box, area: CanvasArea, upTo = CLUSTER_ZOOM): ViewportValue {
  return fitBox(clusters, area, { min: LOWEST_ZOOM, max: upTo * 0.98 });
}

/**
 * The zoom below which clusters are drawn. A plan's stages are where its cards are (they cannot be
 * grown to fill the canvas as tags' boxes are): where they fill the canvas only above CLUSTER_ZOOM
 * (a plan of a few hundred tasks), the stage map is drawn up to that zoom, short of titled cards,
 * so that Fit shows it filling the canvas; any step closer shows the cards.
 */
export function clustersUpTo(extent: Box | null, canvas: { width: number; height: number }, oneSpace: boolean): number {
  if (!oneSpace || !extent || extent.width <= 0 || extent.height <= 0 || canvas.width <= 0) return CLUSTER_ZOOM;
  const whole = Math.min(canvas.width / extent.width, canvas.height / extent.height);
  return Math.min(TITLE_ZOOM, Math.max(CLUSTER_ZOOM, whole));
}

/** Whether `box` can be shown whole at a readable zoom. */
export function fitsReadably(box: Box, area: CanvasArea): boolean {
  return clearAreas(area).some((clear) => zoomToFit(box, clear) >= READABLE_ZOOM);
}

/** The viewport with `point` in the middle of the largest clear part of the canvas. */
export function centreOn(point: XY, zoom: number, area: CanvasArea): ViewportValue {
  const clear = clearAreas(area).reduce((best, c) => (c.width * c.height > best.width * best.height ? c : best));
  return centreIn(point, zoom, clear);
}

const centreIn = (point: XY, zoom: number, clear: Box): ViewportValue => ({
  x: clear.x + clear.width / 2 - point.x * zoom,
  y: clear.y + clear.height / 2 - point.y * zoom,
  zoom,
});

/**
 * The view moved right and down just enough that no card is cut by the top or left edge of the
 * canvas (a title half hidden there reads as a mistake): it shows the cut cards whole instead.
 * A few passes, as showing one whole can bring another in cut.
 */
export function uncutTopLeft(
  view: ViewportValue,
  cards: readonly XY[],
  size: { width: number; height: number },
  area: CanvasArea,
  margin = 16,
): ViewportValue {
  let current = view;
  for (let pass = 0; pass < 3; pass++) {
    const { x, y, zoom } = current;
    const top = -y / zoom;
    const left = -x / zoom;
    const right = (area.width - area.coveredRight - x) / zoom;
    const bottom = (area.height - y) / zoom;
    let dy = 0;
    let dx = 0;
    for (const p of cards) {
      const across = p.x + size.width > left && p.x < right;
      const down = p.y + size.height > top && p.y < bottom;
      if (across && p.y < top && p.y + size.height > top) dy = Math.max(dy, top - p.y);
      if (down && p.x < left && p.x + size.width > left) dx = Math.max(dx, left - p.x);
    }
    if (dx === 0 && dy === 0) break;
    const pad = margin / zoom;
    current = { x: dx > 0 ? x + (dx + pad) * zoom : x, y: dy > 0 ? y + (dy + pad) * zoom : y, zoom };
  }
  return current;
}

/** The smallest box holding the given cards. */
export function boxAround(positions: readonly XY[], size: { width: number; height: number }): Box | null {
  if (positions.length === 0) return null;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const p of positions) {
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x + size.width);
    bottom = Math.max(bottom, p.y + size.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The smallest viewport move that brings a card fully into the uncovered part of the canvas
 * (null when it is already there): selecting a card never leaves it under the inspector.
 */
export function revealBox(box: Box, view: ViewportValue, area: CanvasArea, margin = 24): ViewportValue | null {
  const left = box.x * view.zoom + view.x;
  const top = box.y * view.zoom + view.y;
  const right = left + box.width * view.zoom;
  const bottom = top + box.height * view.zoom;
  const maxRight = area.width - area.coveredRight - margin;
  let dx = 0;
  let dy = 0;
  if (right > maxRight) dx = maxRight - right;
  if (left + dx < margin) dx = margin - left;
  if (bottom > area.height - margin) dy = area.height - margin - bottom;
  if (top + dy < margin) dy = margin - top;
  if (dx === 0 && dy === 0) return null;
  return { x: view.x + dx, y: view.y + dy, zoom: view.zoom };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * What each task of a target weighs in `densestWindow`: the most urgent kind (its first `mostUrgent`, those that need
 * a person, say) each more than all the rest together, so a window that holds one of them beats any that holds none
 * (a "needs you" card was left above the view for a crowd of running ones); within a kind, earlier counts more.
 */
export function urgencyWeights(ids: readonly string[], mostUrgent: number): Map<string, number> {
  const rest = ids.length - mostUrgent;
  const restTotal = (rest * (rest + 1)) / 2;
  return new Map(ids.map((id, index) => [id, index < mostUrgent ? restTotal + 1 + (mostUrgent - index) : ids.length - index]));
}

/**
 * The part of the graph with the most weight in one window of `size` (flow units): each
 * weighted card a candidate centre, the window around it counting the cards wholly inside it.
 * Returns the middle of the cards the best window holds, so all of them are in view when the
 * view is centred there. Candidates are capped (the heaviest first): quadratic, but at most
 * MAX_CANDIDATES² steps.
 */
export function densestWindow(
  weights: ReadonlyMap<string, number>,
  positions: Readonly<Record<string, XY>>,
  card: { width: number; height: number },
  size: { width: number; height: number },
): XY | null {
  const placed: Array<{ p: XY; weight: number }> = [];
  for (const [id, weight] of weights) {
    const p = positions[id];
    if (p) placed.push({ p, weight });
  }
  if (placed.length === 0) return null;
  placed.sort((a, b) => b.weight - a.weight);
  const candidates = placed.slice(0, MAX_CANDIDATES);
  let best: { total: number; box: Box } | null = null;
  for (const { p } of candidates) {
    const centre = { x: p.x + card.width / 2, y: p.y + card.height / 2 };
    const left = centre.x - size.width / 2;
    const top = centre.y - size.height / 2;
    let total = 0;
    let box: Box = { x: p.x, y: p.y, width: card.width, height: card.height };
    for (const other of placed) {
      const q = other.p;
      if (q.x < left || q.y < top || q.x + card.width > left + size.width || q.y + card.height > top + size.height) continue;
      total += other.weight;
      const right = Math.max(box.x + box.width, q.x + card.width);
      const bottom = Math.max(box.y + box.height, q.y + card.height);
      box = { x: Math.min(box.x, q.x), y: Math.min(box.y, q.y), width: 0, height: 0 };
      box.width = right - box.x;
      box.height = bottom - box.y;
    }
    if (!best || total > best.total) best = { total, box };
  }
  return best ? { x: best.box.x + best.box.width / 2, y: best.box.y + best.box.height / 2 } : null;
}

const MAX_CANDIDATES = 400;

/** The size, in flow units, of the largest clear part of the canvas at `zoom`, less a margin. */
export function clearSize(area: CanvasArea, zoom: number, margin = PADDING): { width: number; height: number } {
  const clear = clearAreas(area).reduce((best, c) => (c.width * c.height > best.width * best.height ? c : best));
  return { width: Math.max(1, clear.width - 2 * margin) / zoom, height: Math.max(1, clear.height - 2 * margin) / zoom };
}
