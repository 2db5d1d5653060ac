import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, XY } from '../layout/layout-types';
import { clusterAt, type Cluster } from './clusters';
import type { Scene } from './scene';
import type { ViewportValue } from './viewport-math';
import { CARD_ZOOM } from './zoom-levels';

/** The stage whose box holds a point of the picture, as a zoom into that point reads it. */
interface StageNear {
  /** Its card nearest to the point. */
  card: Box;
  /** How many of its cards lie wholly in a box of the picture. */
  count(box: Box): number;
}

/** The stage under a point of the picture, or null: the point is in no stage. */
export type StageAt = (at: XY) => StageNear | null;

/** The part of the canvas the inspector leaves (its size in pixels), and the panels lying over it (view controls, minimap). */
export interface Canvas {
  width: number;
  height: number;
  overlays: readonly Box[];
}

/** Room kept between the card come to and the canvas's edge, in pixels. */
const MARGIN = 24;

/**
 * One zoom step at a point of the canvas (`at`, in canvas pixels) to `zoom`. Zooming out, or in
 * outside a stage, keeps the point of the picture under `at` where it is, as every zoom does. Zooming
 * in on a stage short of card zoom comes to that stage's cards: a stage's box is the box its cards
 * cover, but its cards are columns of a layered layout, the middle ones the tallest, so a corner of
 * the box can be a screen or more from any card. Each step there moves the point held under `at`
 * towards the stage's card nearest to it, by the share of the zoom still to go to card zoom that the
 * step takes (in log steps: the same however the wheel's steps fall), so that the card is under `at`
 * when the cards are drawn. Where the point is on one of its cards already nothing moves. At card
 * zoom the canvas shows that card whole, clear of the panels, with as many of the stage's cards as
 * it can: near a corner of the box the view about the pointer can hold that card alone, so the card
 * is set at a corner, a side's middle or the middle of the canvas, whichever shows the most of its
 * stage (the nearest of those to the pointer's view if equal). Zooming in on among the cards is about
 * the pointer, unless that would leave none of the stage's cards in view: then it comes to its nearest.
 */
export function zoomedAt(
  view: ViewportValue,
  at: XY,
  zoom: number,
  stageAt: StageAt,
  canvas: Canvas,
): { view: ViewportValue; pulled: boolean } {
  const from = { x: (at.x - view.x) / view.zoom, y: (at.y - view.y) / view.zoom };
  const plain = (point: XY) => ({ x: at.x - point.x * zoom, y: at.y - point.y * zoom, zoom });
  if (!(zoom > view.zoom)) return { view: plain(from), pulled: false };
  const stage = stageAt(from);
  if (!stage) return { view: plain(from), pulled: false };
  const { card } = stage;
  if (view.zoom >= CARD_ZOOM) {
    // Among the cards: about the pointer, unless that would show none of the stage's cards (zooming on about a
    // point between them), when the view comes to its card nearest to the pointer.
    const about = plain(from);
    const window = { x: -about.x / zoom, y: -about.y / zoom, width: canvas.width / zoom, height: canvas.height / zoom };
    if (stage.count(window) > 0) return { view: about, pulled: false };
    return { view: fullest(plain({ x: card.x + card.width / 2, y: card.y + card.height / 2 }), stage, canvas), pulled: true };
  }
  const share = zoom >= CARD_ZOOM ? 1 : Math.log(zoom / view.zoom) / Math.log(CARD_ZOOM / view.zoom);
  const to = onCard(from, card) ? from : { x: card.x + card.width / 2, y: card.y + card.height / 2 };
  const held = plain({ x: from.x + (to.x - from.x) * share, y: from.y + (to.y - from.y) * share });
  return { view: share < 1 ? held : fullest(held, stage, canvas), pulled: true };
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const onCard = (p: XY, card: Box) => p.x >= card.x && p.x <= card.x + card.width && p.y >= card.y && p.y <= card.y + card.height;

/** Of the views holding the stage's card whole (that card at one of nine places on the canvas), the one that shows most of the stage. */
function fullest(view: ViewportValue, stage: StageNear, canvas: Canvas): ViewportValue {
  const { zoom } = view;
  const { card } = stage;
  const pad = MARGIN / zoom;
  const shown = { width: canvas.width / zoom, height: canvas.height / zoom };
  // The window's left (top) with the card at its left (top), middle and right (bottom); none where the card does not fit.
  const spots = (start: number, size: number, span: number) =>
    span < size + 2 * pad ? [] : [start - pad, start + size / 2 - span / 2, start + size + pad - span];
  const now = { x: -view.x / zoom, y: -view.y / zoom };
  let best: { left: number; top: number; count: number; off: number } | null = null;
  for (const left of spots(card.x, card.width, shown.width)) {
    for (const top of spots(card.y, card.height, shown.height)) {
      const onScreen = { x: (card.x - left) * zoom, y: (card.y - top) * zoom, width: card.width * zoom, height: card.height * zoom };
      if (canvas.overlays.some((overlay) => overlaps(onScreen, overlay))) continue;
      const count = stage.count({ x: left, y: top, width: shown.width, height: shown.height });
      const off = Math.hypot(left - now.x, top - now.y);
      if (!best || count > best.count || (count === best.count && off < best.off)) best = { left, top, count, off };
    }
  }
  return best ? { x: -best.left * zoom, y: -best.top * zoom, zoom } : view;
}

/** Each stage's tasks as a set, made when a zoom first asks (a cluster is remade when its tasks change). */
const stageIds = new WeakMap<Cluster, ReadonlySet<string>>();
function idsOf(stage: Cluster): ReadonlySet<string> {
  let ids = stageIds.get(stage);
  if (!ids) {
    ids = new Set(stage.ids);
    stageIds.set(stage, ids);
  }
  return ids;
}

/**
 * The stage whose box holds a point, with its card nearest to the point, found in the scene's index
 * by squares around the point, each twice the last, until one holds a card of the stage at most
 * that far (any card that near crosses the square): a few look-ups, not a walk over the stage's cards.
 */
export function stageAtPoint(clusters: readonly Cluster[], scene: Scene): StageAt {
  return (at) => {
    const stage = clusterAt(clusters, at);
    if (!stage?.stage) return null;
    const ids = idsOf(stage);
    const count = (box: Box) => {
      let n = 0;
      for (const id of scene.queryNodes(box)) {
        const p = scene.layout.positions[id];
        if (
          p &&
          ids.has(id) &&
          p.x >= box.x &&
          p.y >= box.y &&
          p.x + CARD_WIDTH <= box.x + box.width &&
          p.y + CARD_HEIGHT <= box.y + box.height
        )
          n++;
      }
      return n;
    };
    const widest = Math.max(stage.box.width, stage.box.height) + CARD_WIDTH;
    for (let reach = CARD_WIDTH; ; reach *= 2) {
      let best: { card: Box; distance: number } | null = null;
      for (const id of scene.queryNodes({ x: at.x - reach, y: at.y - reach, width: 2 * reach, height: 2 * reach })) {
        const p = scene.layout.positions[id];
        if (!p || !ids.has(id)) continue;
        const dx = Math.max(p.x - at.x, 0, at.x - p.x - CARD_WIDTH);
        const dy = Math.max(p.y - at.y, 0, at.y - p.y - CARD_HEIGHT);
        const distance = Math.hypot(dx, dy);
        if (!best || distance < best.distance) best = { card: { x: p.x, y: p.y, width: CARD_WIDTH, height: CARD_HEIGHT }, distance };
      }
      if (best && (best.distance <= reach || reach >= widest)) return { card: best.card, count };
      if (reach >= widest) return null;
    }
  };
}
