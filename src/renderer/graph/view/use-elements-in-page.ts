import { useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useMemo } from 'react';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, GraphLayout, XY } from '../layout/layout-types';
import type { Scene, SceneEdge } from './scene';
import { intersects } from './spatial-index';
import type { DrawWindow, WindowReach } from './use-draw-window';
import { useInSteps } from './use-in-steps';

/** Cards and edges put in the page per step beyond those on screen (see useInSteps). */
const CARDS_PER_STEP = 40;
const EDGES_PER_STEP = 100;
/** Up to this many edges in the draw window, every one is its own element (no degrees counted). */
const FEW_EDGES = 300;
/** A card with more dependencies or dependents than this is a hub: most of its edges are drawn bundled. */
const HUB_DEGREE = 40;

/** The part of the canvas on screen. */
function screenRect({ transform: [x, y, zoom], width, height }: ReactFlowState): Box {
  return { x: -x / zoom, y: -y / zoom, width: width / zoom, height: height / zoom };
}

/** How far a box's middle is from a point. */
const distanceTo = (box: Box, point: XY) => Math.hypot(box.x + box.width / 2 - point.x, box.y + box.height / 2 - point.y);

/**
 * The cards (ids, in Tab order) and edges in the page at card zoom: those in the draw window, the ones
 * on screen at once and the rest of the window's around them in steps, nearest first. The first
 * picture (`reach` 'screen') has no edges: indexing a big plan's routes would lengthen it; nor has a picture whose
 * routes are still being drawn (`routesDrawn`, use-routes-drawn.ts).
 */
export function useElementsInPage({
  scene,
  layout,
  drawWindow,
  shown,
  reach,
  routesDrawn,
  degree,
}: {
  scene: Scene;
  layout: GraphLayout;
  drawWindow: DrawWindow;
  /** Whether the view has been set (nothing is put in the page before). */
  shown: boolean;
  reach: WindowReach;
  /** Whether the picture's routes are all drawn (useRoutesDrawn): edges are asked for only then. */
  routesDrawn: boolean;
  /** How many dependencies or dependents a task has, whichever is more (a hub has many). */
  degree: (id: string) => number;
}): { ids: readonly string[]; edges: readonly SceneEdge[]; bundled: readonly SceneEdge[] } {
  const flowStore = useStoreApi();
  const ids = useMemo(() => {
    if (drawWindow.level !== 'cards' || !shown) return [];
    const found: string[] = [];
    for (const id of scene.queryNodes(drawWindow.rect)) {
      const p = layout.positions[id];
      if (p && intersects({ ...p, width: CARD_WIDTH, height: CARD_HEIGHT }, drawWindow.rect)) found.push(id);
    }
    // Tab order: down each column of the left-to-right layout, columns from the left.
    return found.sort((a, b) => {
      const p = layout.positions[a] as XY;
      const q = layout.positions[b] as XY;
      return p.x - q.x || p.y - q.y;
    });
  }, [scene, drawWindow, layout, shown]);
  const wantedEdges = useMemo(
    () =>
      drawWindow.level === 'cards' && shown && reach === 'near' && routesDrawn
        ? [...scene.queryEdges(drawWindow.rect)].filter((edge) => intersects(edge.box, drawWindow.rect))
        : [],
    [scene, drawWindow, shown, reach, routesDrawn],
  );
  const { single, bundled } = useMemo(() => splitAtHubs(wantedEdges, degree, ids), [wantedEdges, degree, ids]);
  // The screen is read as it is now: this renders when the window moves, not at each frame.
  const screen = screenRect(flowStore.getState());
  const middle = { x: screen.x + screen.width / 2, y: screen.y + screen.height / 2 };
  const cardBox = (id: string): Box => ({ ...(layout.positions[id] as XY), width: CARD_WIDTH, height: CARD_HEIGHT });
  const shownIds = useInSteps(
    ids,
    (id) => intersects(cardBox(id), screen),
    (a, b) => distanceTo(cardBox(a), middle) - distanceTo(cardBox(b), middle),
    CARDS_PER_STEP,
  );
  const edges = useInSteps(
    single,
    (edge) => intersects(edge.box, screen),
    (a, b) => distanceTo(a.box, middle) - distanceTo(b.box, middle),
    EDGES_PER_STEP,
  );
  return { ids: shownIds, edges, bundled };
}

/**
 * Which edges are elements of their own (focusable, selectable, deletable) and which are drawn
 * together as a few paths. Where there are many edges in the draw window (a fan's hub has
 * thousands, wide layers have thousands passing by) one element per edge makes the page too heavy
 * to pan and to point at. Then an edge is its own element only where a person can reach it from a
 * card they see: one end is a card in the draw window that is no hub itself. The rest are bundled:
 * a hub's edges (all of them, its own ones drawn again on top, so the bundle stays the same while
 * the view pans along the hub) and edges only passing through the window.
 */
export function splitAtHubs(
  wanted: readonly SceneEdge[],
  degree: (id: string) => number,
  cardsInWindow: readonly string[],
): { single: readonly SceneEdge[]; bundled: readonly SceneEdge[] } {
  if (wanted.length <= FEW_EDGES) return { single: wanted, bundled: [] };
  const hub = (id: string) => degree(id) > HUB_DEGREE;
  const near = new Set(cardsInWindow);
  const single: SceneEdge[] = [];
  const bundled: SceneEdge[] = [];
  for (const edge of wanted) {
    const sourceHub = hub(edge.source);
    const targetHub = hub(edge.target);
    const own = (!sourceHub && near.has(edge.source)) || (!targetHub && near.has(edge.target));
    const drawn = sourceHub || targetHub ? combed(edge) : edge;
    if (own) single.push(drawn);
    if (sourceHub || targetHub || !own) bundled.push(drawn);
  }
  return { single, bundled };
}

/** Each hub edge as a comb's tooth, kept with the edge (the same object while it is drawn, for useInSteps). */
const combs = new WeakMap<SceneEdge, SceneEdge>();

/**
 * A hub's edge that turns once between two columns (out, along, in) turns halfway across the gap,
 * like all of the hub's: its thousands of edges share one line along the gap (a comb) rather than
 * each its own, side by side, filling the gap and running under the cards beyond it.
 */
function combed(edge: SceneEdge): SceneEdge {
  const known = combs.get(edge);
  if (known) return known;
  const [from, out, along, to] = edge.points;
  const zed =
    edge.points.length === 4 && from && out && along && to && out.y === from.y && along.x === out.x && to.y === along.y && to.x > from.x;
  const comb = zed ? { ...edge, points: [from, { x: (from.x + to.x) / 2, y: from.y }, { x: (from.x + to.x) / 2, y: to.y }, to] } : edge;
  combs.set(edge, comb);
  return comb;
}
