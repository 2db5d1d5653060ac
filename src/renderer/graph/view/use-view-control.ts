import { useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import { isComplete } from '../layout/layout-graph';
import type { Box, GraphLayout, XY } from '../layout/layout-types';
import type { Scene } from './scene';
import {
  centreOn,
  clearSize,
  densestWindow,
  fitBox,
  fitsReadably,
  revealBox,
  uncutTopLeft,
  wholeView,
  type CanvasArea,
  type ViewportValue,
} from './viewport-math';
import { MIN_ZOOM, READABLE_ZOOM } from './zoom-levels';

const CARD = { width: CARD_WIDTH, height: CARD_HEIGHT };

interface ViewControlOptions {
  layout: GraphLayout;
  /** The layout indexed: the view looks only at the cards near where it goes. */
  scene: Scene;
  /** The frontier (needs you, running, failed, ready) with weights: the first view shows its densest part. */
  focus: ReadonlyMap<string, number>;
  /** Changes when the filter does: the view is fitted to what the filter shows once it is laid out. */
  filterKey: string;
  coveredRight: number;
  /** The box around the clusters drawn at cluster zoom when they lie beyond the layout (by tag), else null. */
  clusterExtent: Box | null;
  /** The task the view is focused on (key `.`): a fit that cannot show all readably centres on it, clear of the inspector. */
  centre?: string | null;
}

export interface ViewControl {
  /**
   * Whether the first view is set. Until then no card is put in the page: cards at the view's
   * starting place would be built only to be thrown away when it moves to where work happens.
   */
  shown: boolean;
  /**
   * Every task shown (all of the graph, or all a filter shows), however far out that is: cards,
   * compact cards with their titles, or clusters on a big graph. Clear of the overlays.
   */
  fit(): void;
  /** Where work happens at a readable zoom (the first view): all of the graph if it fits so, else the densest part of the frontier. */
  work(): void;
  /** Centre on a task at a readable zoom (search results, links, keyboard moves off screen). */
  showTask(id: string, options?: { keepZoom?: boolean }): void;
  /** Fit a box (a cluster opened by a click), at most at a readable zoom. */
  showBox(box: Box): void;
  /** Bring a card out from under the inspector, if it is there. */
  reveal(id: string): void;
}

/**
 * Moves the view: the first view (where work happens), fitting, the whole graph, a task, and
 * keeping the picture still when the layout changes under it (the card in the middle of the
 * screen stays where it was, whatever moved elsewhere).
 */
export function useViewControl({
  layout,
  scene,
  focus,
  filterKey,
  coveredRight,
  clusterExtent,
  centre = null,
}: ViewControlOptions): ViewControl {
  const flow = useReactFlow();
  const store = useStoreApi();
  const sized = useStore((state) => state.width > 0 && state.height > 0);
  const latest = useRef({ layout, scene, focus, coveredRight, clusterExtent, centre });
  latest.current = { layout, scene, focus, coveredRight, clusterExtent, centre };

  const area = useCallback((): CanvasArea => {
    const { width, height, domNode } = store.getState();
    return { width, height, coveredRight: latest.current.coveredRight, overlays: overlaysIn(domNode) };
  }, [store]);
  const go = useCallback((value: ViewportValue, duration = 0) => void flow.setViewport(value, duration ? { duration } : undefined), [flow]);

  const readableView = useCallback((): ViewportValue | null => {
    const { layout: current, focus: work } = latest.current;
    if (current.groups.length === 0) return null;
    const space = area();
    if (isComplete(current) && fitsReadably(current.bounds, space)) return fitBox(current.bounds, space, { min: READABLE_ZOOM, max: 1 });
    const uncut = (view: ViewportValue) => uncutTopLeft(view, cardsAround(latest.current.scene, view, space), CARD, space);
    // Focused on a task: it, in the middle of the part of the canvas the inspector leaves clear.
    const focused = latest.current.centre ? current.positions[latest.current.centre] : undefined;
    if (focused) return uncut(centreOn({ x: focused.x + CARD_WIDTH / 2, y: focused.y + CARD_HEIGHT / 2 }, READABLE_ZOOM, space));
    // The part of the frontier with the most weight that one readable screen holds, with the
    // tasks around it (the frontier of a big plan lies far apart: its box is not readable).
    const middle = densestWindow(work, current.positions, CARD, clearSize(space, READABLE_ZOOM));
    if (middle) return uncut(centreOn(middle, READABLE_ZOOM, space));
    // Nothing to focus on: the top left of the graph.
    const { bounds } = current;
    return { x: 40 - bounds.x * READABLE_ZOOM, y: 40 - bounds.y * READABLE_ZOOM, zoom: READABLE_ZOOM };
  }, [area]);

  // The first view, once the part where work happens is laid out (or all of it is). Set before
  // the browser paints (a layout effect): the cards are then built in the same task, not after
  // a frame painted without them.
  const shownFirst = useRef(false);
  const [shown, setShown] = useState(false);
  useLayoutEffect(() => {
    if (shownFirst.current || !sized || Object.keys(layout.positions).length === 0) return;
    const focusPlaced = [...focus.keys()].some((id) => layout.positions[id]);
    if (!isComplete(layout) && focus.size > 0 && !focusPlaced) return;
    const view = readableView();
    if (!view) return;
    shownFirst.current = true;
    go(view);
    setShown(true);
  }, [layout, focus, sized, readableView, go]);

  // A new filter: fit what it shows once its layout is there.
  const fitPending = useRef(false);
  const firstFilter = useRef(filterKey);
  useEffect(() => {
    if (filterKey !== firstFilter.current) fitPending.current = true;
    firstFilter.current = filterKey;
  }, [filterKey]);

  // A task asked for before it was laid out (one just created): shown once it is.
  const pendingShow = useRef<string | null>(null);
  // Where the view is moving to a task: `reveal` starts from there, not from a frame halfway.
  const movingTo = useRef<{ view: ViewportValue; until: number } | null>(null);
  const showTask = useCallback(
    (id: string, options: { keepZoom?: boolean } = {}) => {
      const p = latest.current.layout.positions[id];
      pendingShow.current = p ? null : id;
      if (!p) return;
      const now = store.getState().transform[2];
      const zoom = options.keepZoom ? Math.max(now, READABLE_ZOOM) : Math.max(READABLE_ZOOM, Math.min(1, now));
      const view = centreOn({ x: p.x + CARD_WIDTH / 2, y: p.y + CARD_HEIGHT / 2 }, zoom, area());
      movingTo.current = { view, until: performance.now() + 300 };
      go(view, 250);
    },
    [store, go, area],
  );

  // Keep the picture still when the layout changes under it.
  const shownLayout = useRef<Scene | null>(null);
  useEffect(() => {
    const beforeScene = shownLayout.current;
    const before = beforeScene?.layout ?? null;
    shownLayout.current = scene;
    if (pendingShow.current && layout.positions[pendingShow.current]) {
      // Shown again with each picture until the layout is complete: the task may still move.
      const id = pendingShow.current;
      showTask(id);
      if (!isComplete(layout)) pendingShow.current = id;
      return;
    }
    if (fitPending.current && isComplete(layout) && layout.groups.length > 0) {
      fitPending.current = false;
      const view = readableView();
      if (view) go(view, 200);
      return;
    }
    if (!beforeScene || !before || before === layout || !shownFirst.current) return;
    const { transform, width, height } = store.getState();
    const [x, y, zoom] = transform;
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
      if (d < near && now.x === p.x && now.y === p.y) return;
      if (d < nearest) {
        nearest = d;
        anchor = id;
      }
    }
    const old = anchor ? before.positions[anchor] : undefined;
    const now = anchor ? layout.positions[anchor] : undefined;
    if (!old || !now || (old.x === now.x && old.y === now.y)) return;
    go({ x: x - (now.x - old.x) * zoom, y: y - (now.y - old.y) * zoom, zoom });
  }, [layout, scene, store, readableView, go, showTask]);

  return useMemo(
    () => ({
      shown,
      fit: () => {
        const { bounds } = latest.current.layout;
        if (bounds.width > 0) go(wholeView(bounds, latest.current.clusterExtent, area()), 250);
      },
      work: () => {
        const view = readableView();
        if (view) go(view, 250);
      },
      showTask,
      showBox: (box) => go(fitBox(box, area(), { min: MIN_ZOOM, max: READABLE_ZOOM }), 250),
      reveal: (id) => {
        const p = latest.current.layout.positions[id];
        if (!p) return;
        const [x, y, zoom] = store.getState().transform;
        const moving = movingTo.current && performance.now() < movingTo.current.until ? movingTo.current.view : null;
        const moved = revealBox({ ...p, ...CARD }, moving ?? { x, y, zoom }, area());
        if (moved) go(moved, 200);
      },
    }),
    [shown, readableView, go, area, store, showTask],
  );
}

const distance = (a: XY, b: XY) => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * The cards on the canvas at `view` and a few cards' room around it (uncutTopLeft moves the view by
 * up to a card a pass): only these can be cut at its edges.
 */
function cardsAround(scene: Scene, view: ViewportValue, space: CanvasArea): XY[] {
  const rect = {
    x: -view.x / view.zoom - 4 * CARD_WIDTH,
    y: -view.y / view.zoom - 4 * CARD_HEIGHT,
    width: space.width / view.zoom + 8 * CARD_WIDTH,
    height: space.height / view.zoom + 8 * CARD_HEIGHT,
  };
  const cards: XY[] = [];
  for (const id of scene.queryNodes(rect)) {
    const p = scene.layout.positions[id];
    if (p) cards.push(p);
  }
  return cards;
}

/** The panels lying over the canvas (view controls, minimap), in canvas pixels: views leave them room. */
function overlaysIn(root: HTMLElement | null): Box[] {
  if (!root) return [];
  const origin = root.getBoundingClientRect();
  return [...root.querySelectorAll('.react-flow__panel')].map((panel) => {
    const r = panel.getBoundingClientRect();
    return { x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height };
  });
}
