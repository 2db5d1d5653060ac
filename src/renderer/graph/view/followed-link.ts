import type { Box, GraphLayout, XY } from '../layout/layout-types';
import { CARD } from './card';
import { boxAround, type CanvasArea, fitBox, revealBox, type ViewportValue } from './viewport-math';
import { READABLE_ZOOM } from './zoom-levels';

/*
 * A dependency a person drew by hand: the view brings both its cards into view once the edge is laid out (the edit
 * may move them). The view's math for it, apart from the hook that follows the layout (use-view-control.ts).
 */

/** How long a hand-drawn dependency is followed: its layout comes within a second or two on a big plan. */
export const FOLLOW_MS = 20_000;

/** Whether `box` fits the clear part of the canvas at `zoom` (with a margin each side). */
const fitsIn = (box: Box, zoom: number, area: CanvasArea) =>
  box.width * zoom + 48 <= area.width - area.coveredRight && box.height * zoom + 48 <= area.height;

/**
 * The view that shows both cards of a dependency laid out: moved just enough if they fit at the zoom of `transform`,
 * else fitted at a readable zoom; null when the view shows them already (or neither is laid out).
 */
export function linkView(
  layout: GraphLayout,
  link: { source: string; target: string },
  [x, y, zoom]: readonly [number, number, number],
  space: CanvasArea,
): ViewportValue | null {
  const ends = [layout.positions[link.source], layout.positions[link.target]].filter((p): p is XY => p !== undefined);
  const box = boxAround(ends, CARD);
  return box
    ? fitsIn(box, zoom, space)
      ? revealBox(box, { x, y, zoom }, space)
      : fitBox(box, space, { min: READABLE_ZOOM, max: Math.max(READABLE_ZOOM, zoom) })
    : null;
}
