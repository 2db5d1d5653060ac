import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { GraphLayout, XY } from '../layout/layout-types';
import type { Scene } from './scene';
import type { ViewportValue } from './viewport-math';

/*
 * The picture kept still when the layout changes under it (an edit, a task arriving): the view moves with the card a
 * person is looking at, so what was on screen stays where it was, whatever moved elsewhere. Pure: the hook
 * (use-view-control.ts) goes where this says.
 */

const distance = (a: XY, b: XY) => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * The view that keeps the picture still from `beforeScene`'s layout to `layout`, at the view `transform` on a canvas of
 * `width` × `height`: the task a person asked to see (`asked`) stays where it is while on screen, else the card in the
 * middle, unless one near it kept its place. Null when nothing need move.
 */
export function viewKeptStill(
  beforeScene: Scene,
  layout: GraphLayout,
  [x, y, zoom]: readonly [number, number, number],
  width: number,
  height: number,
  asked: string | null,
): ViewportValue | null {
  const before = beforeScene.layout;
  // The task a person asked to see (a search result), if it is on screen: it stays where it is.
  const seen = asked ? before.positions[asked] : undefined;
  const moved = asked ? layout.positions[asked] : undefined;
  const onScreen = (p: XY) =>
    p.x * zoom + x < width && (p.x + CARD_WIDTH) * zoom + x > 0 && p.y * zoom + y < height && (p.y + CARD_HEIGHT) * zoom + y > 0;
  if (seen && moved && onScreen(seen)) {
    if (seen.x !== moved.x || seen.y !== moved.y) return { x: x - (moved.x - seen.x) * zoom, y: y - (moved.y - seen.y) * zoom, zoom };
    return null;
  }
  const middle = { x: (width / 2 - x) / zoom, y: (height / 2 - y) / zoom };
  // The card in the middle, unless one near it kept its place (a moved dependent alone must
  // not drag the picture along with it). Only the cards on screen are looked at (any card on
  // screen is that near the middle).
  const near = Math.hypot(width, height) / zoom / 2;
  let anchor: string | null = null;
  let nearest = Infinity;
  const around = {
    x: middle.x - near - CARD_WIDTH,
    y: middle.y - near - CARD_HEIGHT,
    width: 2 * near + 2 * CARD_WIDTH,
    height: 2 * near + 2 * CARD_HEIGHT,
  };
  for (const id of beforeScene.queryNodes(around)) {
    const p = before.positions[id] as XY;
    const now = layout.positions[id];
    if (!now) continue;
    const d = distance({ x: p.x + CARD_WIDTH / 2, y: p.y + CARD_HEIGHT / 2 }, middle);
    if (d < near && now.x === p.x && now.y === p.y) return null;
    if (d < nearest) {
      nearest = d;
      anchor = id;
    }
  }
  const old = anchor ? before.positions[anchor] : undefined;
  const now = anchor ? layout.positions[anchor] : undefined;
  if (!old || !now || (old.x === now.x && old.y === now.y)) return null;
  return { x: x - (now.x - old.x) * zoom, y: y - (now.y - old.y) * zoom, zoom };
}
