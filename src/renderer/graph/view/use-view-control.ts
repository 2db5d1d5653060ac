import { useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import { isComplete } from '../layout/layout-graph';
import { edgeKey, type Box, type GraphLayout, type XY } from '../layout/layout-types';
import type { Scene } from './scene';
import {
  boxAround,
  centreOn,
  clearSize,
  clusterView,
  densestWindow,
  fitBox,
  fitsReadably,
  revealBox,
  uncutTopLeft,
  urgencyWeights,
  wholeView,
  type CanvasArea,
  type ViewportValue,
} from './viewport-math';
import { decideWorkView, lensFor, lensShare, readableGrid, smallerRoom } from './work-view';
import type { WorkTarget } from './work-set';
import { viewMoveMs } from './view-motion';
import { CARD_ZOOM, MIN_ZOOM, READABLE_ZOOM } from './zoom-levels';

const CARD = { width: CARD_WIDTH, height: CARD_HEIGHT };

/** Tasks shown by themselves, laid out on their own (a lens): what the view asks the page for when they lie too far apart. */
export interface LensRequest {
  ids: string[];
  about: string;
  /** Which framing asked for it (WorkTarget.of). */
  of: string;
  /** The widest grid of unlinked cards one readable screen holds. */
  gridColumns: number;
}

/** What the view frames on opening and on W, and how to reach a task's neighbours (work-set.ts). */
export interface WorkFocus {
  target: WorkTarget | null;
  neighbours: (id: string) => readonly string[];
  lensOf: (target: readonly string[], room: number) => string[];
}

interface ViewControlOptions {
  layout: GraphLayout;
  /** The layout indexed: the view looks only at the cards near where it goes. */
  scene: Scene;
  /** What the first view and Work frame: the tasks a person acts on, or what is ready next. */
  work: WorkFocus;
  /** Shows tasks by themselves (a lens), or every task again (null): the page sets the filter. False: that is what is shown already. */
  onLens: (lens: LensRequest | null) => boolean;
  /** A lens is shown (the layout is of its tasks alone). */
  lensShown: boolean;
  /** Changes when the filter does: the view is fitted to what the filter shows once it is laid out. */
  filterKey: string;
  coveredRight: number;
  /** The box around the clusters drawn at cluster zoom when they lie beyond the layout (by tag), else null. */
  clusterExtent: Box | null;
  /** The layout the clusters were worked out from (they follow the canvas's a moment later). */
  clustersOf: GraphLayout;
  /** The clusters tell the plan's story (use-clusters.ts): a Fit that would draw titleless cards shows them. */
  clusterStory: boolean;
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
  /**
   * What a person acts on (the first view): running, failed, needs-you and just-finished tasks with
   * their neighbours, whole and readable: in the graph's picture where they lie close, else by
   * themselves (a lens); with nothing active, what is ready next.
   */
  work(): void;
  /** The same for other tasks (a state chip's): framed where they are, or by themselves. */
  frame(target: WorkTarget): void;
  /** Centre on a task at a readable zoom (search results, links, keyboard moves off screen). */
  showTask(id: string, options?: { keepZoom?: boolean }): void;
  /**
   * A cluster opened by a click, to readable cards in one step: its tasks where they lie if they
   * fit one readable screen there, else by themselves (a lens) if few enough, else the part of it
   * where its work is (or most of its tasks), at a readable zoom.
   */
  openCluster(cluster: { ids: readonly string[]; box: Box; name: string }): void;
  /** The clusters, all of them (a new grouping takes effect at once). */
  fitClusters(): void;
  /** Bring a card out from under the inspector, if it is there. */
  reveal(id: string): void;
  /** A dependency drawn by hand: both its cards are brought into view once it is laid out (the edit may move them). */
  follow(link: { source: string; target: string }): void;
  /** The person panned or zoomed: the task last shown on request no longer holds the picture. */
  movedByHand(): void;
}

/**
 * Moves the view: the first view (where work happens), fitting, the whole graph, a task, and
 * keeping the picture still when the layout changes under it (the card in the middle of the
 * screen stays where it was, whatever moved elsewhere).
 */
export function useViewControl({
  layout,
  scene,
  work,
  onLens,
  lensShown,
  filterKey,
  coveredRight,
  clusterExtent,
  clustersOf,
  clusterStory,
  centre = null,
}: ViewControlOptions): ViewControl {
  const flow = useReactFlow();
  const store = useStoreApi();
  const sized = useStore((state) => state.width > 0 && state.height > 0);
  const latest = useRef({ layout, scene, work, onLens, lensShown, coveredRight, clusterExtent, clusterStory, centre });
  latest.current = { layout, scene, work, onLens, lensShown, coveredRight, clusterExtent, clusterStory, centre };

  const area = useCallback((): CanvasArea => {
    const { width, height, domNode } = store.getState();
    return { width, height, coveredRight: latest.current.coveredRight, overlays: overlaysIn(domNode) };
  }, [store]);
  const go = useCallback(
    (value: ViewportValue, duration = 0) => {
      const ms = viewMoveMs(duration);
      void flow.setViewport(value, ms ? { duration: ms } : undefined);
    },
    [flow],
  );

  /**
   * The view of what the layout shows at a readable zoom: all of it if it fits so; focused on a
   * task, that task; else the densest part of `target` (the work), or the top left of the graph.
   */
  const readableView = useCallback(
    (target: Pick<WorkTarget, 'ids' | 'mostUrgent'> = latest.current.work.target ?? { ids: [], mostUrgent: 0 }): ViewportValue | null => {
      const { layout: current } = latest.current;
      if (current.groups.length === 0) return null;
      const space = area();
      if (isComplete(current) && fitsReadably(current.bounds, space)) return fitBox(current.bounds, space, { min: READABLE_ZOOM, max: 1 });
      const uncut = (view: ViewportValue) => uncutTopLeft(view, cardsAround(latest.current.scene, view, space), CARD, space);
      // Focused on a task: it, in the middle of the part of the canvas the inspector leaves clear.
      const focused = latest.current.centre ? current.positions[latest.current.centre] : undefined;
      if (focused) return uncut(centreOn({ x: focused.x + CARD_WIDTH / 2, y: focused.y + CARD_HEIGHT / 2 }, READABLE_ZOOM, space));
      // The part of the target that one readable screen holds most of, the most urgent counting most.
      const weights = urgencyWeights(target.ids, target.mostUrgent);
      const middle = densestWindow(weights, current.positions, CARD, clearSize(space, READABLE_ZOOM));
      if (middle) return uncut(centreOn(middle, READABLE_ZOOM, space));
      // Nothing to focus on: the top left of the graph.
      const { bounds } = current;
      return { x: 40 - bounds.x * READABLE_ZOOM, y: 40 - bounds.y * READABLE_ZOOM, zoom: READABLE_ZOOM };
    },
    [area],
  );

  // The last lens asked for: its target and how many cards it had room for (fewer when it came out too big to read).
  const lastLens = useRef<{ target: WorkTarget; room: number } | null>(null);

  /** A lens laid out: all of it at the largest zoom up to 1 that holds it, down to where cards are still drawn as cards. */
  const lensView = useCallback((): ViewportValue | null => {
    const { layout: current } = latest.current;
    if (current.groups.length === 0) return null;
    const space = area();
    const whole = fitBox(current.bounds, space, { min: MIN_ZOOM, max: 1 });
    return whole.zoom >= CARD_ZOOM ? whole : readableView();
  }, [area, readableView]);

  /**
   * Where to show `target` (decideWorkView): the view to go to, or a lens asked of the page (the
   * view is set once the lens is laid out). Null when nothing is laid out yet.
   */
  const viewOf = useCallback(
    (target: WorkTarget): { view: ViewportValue } | { lens: LensRequest } | null => {
      const { layout: current, work: focus } = latest.current;
      if (current.groups.length === 0) return null;
      const space = area();
      const decided = decideWorkView({
        target: target.ids,
        mostUrgent: target.mostUrgent,
        positions: current.positions,
        complete: isComplete(current),
        bounds: current.bounds,
        area: space,
        card: CARD,
        neighbours: focus.neighbours,
        lensOf: focus.lensOf,
      });
      switch (decided.kind) {
        case 'whole':
          return { view: fitBox(current.bounds, space, { min: READABLE_ZOOM, max: 1 }) };
        case 'frame':
          return { view: fitBox(decided.box, space, { min: READABLE_ZOOM, max: 1 }) };
        case 'lens':
          lastLens.current = { target, room: decided.room };
          return { lens: { ids: decided.ids, about: aboutLens(target, decided.whole), of: target.of, gridColumns: decided.grid.columns } };
        case 'densest': {
          const view = readableView(target);
          return view ? { view } : null;
        }
      }
    },
    [area, readableView],
  );

  // A fit waiting for the layout a filter asked for: what it shows at a readable zoom, a lens
  // whole, every task, or a target to show once the whole graph's picture is back.
  const fitPending = useRef<'readable' | 'lens' | 'whole' | 'clusters' | { target: WorkTarget } | null>(null);
  // The lens's layout the clusters were asked from: they are fitted once another (the whole graph's) is shown.
  const clustersFrom = useRef<GraphLayout | null>(null);
  // The layout on screen (committed: a render React has not committed yet may have another).
  const committed = useRef(layout);
  useLayoutEffect(() => {
    committed.current = layout;
  }, [layout]);
  // The layout on screen when the pending fit was asked for: the fit is of the next one (what was asked for), never of this.
  const pendingFrom = useRef<GraphLayout | null>(null);
  const awaitFit = useCallback((pending: NonNullable<typeof fitPending.current>) => {
    fitPending.current = pending;
    pendingFrom.current = committed.current;
  }, []);
  // The first view waits for its lens to be laid out: no card is built before it.
  const firstByLens = useRef(false);
  // The first view is set (cards may be built).
  const shownFirst = useRef(false);

  /** Asks for a lens and fits it once laid out (at once, when it is the one shown). */
  const requestLens = useCallback(
    (lens: LensRequest, duration: number) => {
      awaitFit('lens');
      if (latest.current.onLens(lens)) return;
      // The lens is the first view's, still being laid out: its fit, pending, sets the first view.
      if (!shownFirst.current) return;
      fitPending.current = null;
      const view = lensView();
      if (view) go(view, duration);
    },
    [lensView, go, awaitFit],
  );

  /**
   * Shows `target`: goes there, or asks for its lens. From a lens, another lens is made of the
   * tasks the lens leaves out as well (the graph's picture is not laid out meanwhile); when they
   * are too many for one, the whole graph comes back first.
   */
  const show = useCallback(
    (target: WorkTarget, duration: number) => {
      const { lensShown, work: focus } = latest.current;
      if (lensShown) {
        const lens = lensFor(target.ids, target.mostUrgent, area(), CARD, focus.lensOf);
        if (lens) {
          lastLens.current = { target, room: lens.room };
          requestLens({ ids: lens.ids, gridColumns: lens.gridColumns, about: aboutLens(target, lens.whole), of: target.of }, duration);
        } else {
          awaitFit({ target });
          latest.current.onLens(null);
        }
        return;
      }
      const where = viewOf(target);
      if (!where) return;
      if ('view' in where) go(where.view, duration);
      else requestLens(where.lens, duration);
    },
    [viewOf, requestLens, go, area, awaitFit],
  );

  // The first view, once the part where work happens is laid out (or all of it is). Set before
  // the browser paints (a layout effect): the cards are then built in the same task, not after
  // a frame painted without them. When the work lies too far apart, its lens is asked for and
  // the first view is set once that is laid out.
  const [shown, setShown] = useState(false);
  useLayoutEffect(() => {
    if (shownFirst.current || firstByLens.current || !sized || Object.keys(layout.positions).length === 0) return;
    const target = latest.current.work.target;
    if (target && !isComplete(layout)) {
      // What one screen shows whole (all of them, or the most urgent ones): wait for all of it (their
      // parts are laid out first). More than that: for some, to show the densest part of.
      const { columns, rows } = readableGrid(area(), CARD);
      const share = lensShare(target.ids.length, target.mostUrgent, columns * rows);
      const wanted = share > 0 ? target.ids.slice(0, share) : target.ids;
      const placed = wanted.filter((id) => layout.positions[id]).length;
      if (share > 0 ? placed < wanted.length : placed === 0) return;
    }
    if (target) {
      const where = viewOf(target);
      if (!where) return;
      if ('lens' in where) {
        firstByLens.current = true;
        requestLens(where.lens, 0);
        return;
      }
      go(where.view);
    } else {
      const view = readableView();
      if (!view) return;
      go(view);
    }
    shownFirst.current = true;
    setShown(true);
  }, [layout, sized, readableView, viewOf, requestLens, area, go]);

  // A new filter: fit what it shows once its layout is there.
  const firstFilter = useRef(filterKey);
  useEffect(() => {
    if (filterKey !== firstFilter.current && !fitPending.current) awaitFit('readable');
    firstFilter.current = filterKey;
  }, [filterKey, awaitFit]);

  // A task asked for before it was laid out (one just created): shown once it is.
  const pendingShow = useRef<string | null>(null);
  // Where the view is moving to a task: `reveal` starts from there, not from a frame halfway.
  const movingTo = useRef<{ view: ViewportValue; until: number } | null>(null);
  const showTask = useCallback(
    (id: string, options: { keepZoom?: boolean } = {}) => {
      const p = latest.current.layout.positions[id];
      pendingShow.current = p ? null : id;
      asked.current = id;
      if (!p) return;
      const now = store.getState().transform[2];
      const zoom = options.keepZoom ? Math.max(now, READABLE_ZOOM) : Math.max(READABLE_ZOOM, Math.min(1, now));
      const view = centreOn({ x: p.x + CARD_WIDTH / 2, y: p.y + CARD_HEIGHT / 2 }, zoom, area());
      movingTo.current = { view, until: performance.now() + 300 };
      go(view, 250);
    },
    [store, go, area],
  );

  // The last task shown on request (a search result, a link): while on screen, the picture keeps it still.
  const asked = useRef<string | null>(null);

  // A dependency drawn by hand, until its edge is laid out (or FOLLOW_MS passed).
  const following = useRef<{ source: string; target: string; until: number } | null>(null);

  // Keep the picture still when the layout changes under it.
  const shownLayout = useRef<Scene | null>(null);
  useEffect(() => {
    const beforeScene = shownLayout.current;
    const before = beforeScene?.layout ?? null;
    shownLayout.current = scene;
    // A dependency just drawn by hand: once it is laid out, both its cards in view (where the edit put them).
    const link = following.current;
    if (link && performance.now() > link.until) following.current = null;
    else if (link && layout.routes[edgeKey(link.source, link.target)]) {
      following.current = null;
      const ends = [layout.positions[link.source], layout.positions[link.target]].filter((p): p is XY => p !== undefined);
      const box = boxAround(ends, CARD);
      const [x, y, zoom] = store.getState().transform;
      const space = area();
      const moved = box
        ? fitsIn(box, zoom, space)
          ? revealBox(box, { x, y, zoom }, space)
          : fitBox(box, space, { min: READABLE_ZOOM, max: Math.max(READABLE_ZOOM, zoom) })
        : null;
      if (moved) {
        go(moved, 250);
        return;
      }
    }
    if (pendingShow.current && layout.positions[pendingShow.current]) {
      // Shown again with each picture until the layout is complete: the task may still move.
      const id = pendingShow.current;
      showTask(id);
      if (!isComplete(layout)) pendingShow.current = id;
      // Shown where it is for good: the readable fit a filter's change asked for with it (a search from
      // a lens brings every task back) is done too, or the next layout (an edit elsewhere) would move the view off it.
      else if (fitPending.current === 'readable') fitPending.current = null;
      return;
    }
    if (fitPending.current && layout !== pendingFrom.current && isComplete(layout) && layout.groups.length > 0) {
      // A lens's fit outlived by its lens (Show all, another filter before it was laid out): this layout is
      // what the person chose instead, fitted as any filter's is, and never a lens asked for again.
      const pending = fitPending.current === 'lens' && !latest.current.lensShown ? 'readable' : fitPending.current;
      fitPending.current = null;
      if (typeof pending === 'object') {
        show(pending.target, 200);
        return;
      }
      if (pending === 'clusters') {
        // Fitted once the clusters of this layout are worked out (below).
        fitPending.current = pending;
        return;
      }
      // A lens laid out bigger than one readable screen: the same target with fewer neighbours.
      const tried = lastLens.current;
      if (pending === 'lens' && tried && fitBox(layout.bounds, area(), { min: MIN_ZOOM, max: 1 }).zoom < READABLE_ZOOM) {
        const room = smallerRoom(tried.room, tried.target.ids.length);
        const lens =
          room === null ? null : lensFor(tried.target.ids, tried.target.mostUrgent, area(), CARD, latest.current.work.lensOf, room);
        if (lens) {
          lastLens.current = { target: tried.target, room: lens.room };
          requestLens({ ids: lens.ids, gridColumns: lens.gridColumns, about: aboutLens(tried.target, lens.whole), of: tried.target.of }, 0);
          if (fitPending.current === 'lens') return;
        }
      }
      const view =
        pending === 'lens'
          ? lensView()
          : pending === 'whole'
            ? wholeView(layout.bounds, latest.current.clusterExtent, area(), latest.current.clusterStory)
            : readableView();
      const first = !shownFirst.current;
      if (view) go(view, first ? 0 : 200);
      if (first) {
        shownFirst.current = true;
        setShown(true);
      }
      return;
    }
    if (!beforeScene || !before || before === layout || !shownFirst.current) return;
    const { transform, width, height } = store.getState();
    const [x, y, zoom] = transform;
    // The task a person asked to see (a search result), if it is on screen: it stays where it is.
    const seen = asked.current ? before.positions[asked.current] : undefined;
    const moved = asked.current ? layout.positions[asked.current] : undefined;
    const onScreen = (p: XY) =>
      p.x * zoom + x < width && (p.x + CARD_WIDTH) * zoom + x > 0 && p.y * zoom + y < height && (p.y + CARD_HEIGHT) * zoom + y > 0;
    if (seen && moved && onScreen(seen)) {
      if (seen.x !== moved.x || seen.y !== moved.y) go({ x: x - (moved.x - seen.x) * zoom, y: y - (moved.y - seen.y) * zoom, zoom });
      return;
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
  }, [layout, scene, store, readableView, lensView, show, requestLens, area, go, showTask]);

  // Clusters asked for from a lens: fitted once the whole graph is back and its clusters are worked out
  // (after the effect above, which leaves the view alone while they are awaited).
  useEffect(() => {
    if (fitPending.current !== 'clusters' || layout === clustersFrom.current) return;
    if (clustersOf !== layout || !isComplete(layout) || !clusterExtent) return;
    fitPending.current = null;
    clustersFrom.current = null;
    go(clusterView(clusterExtent, area()), 200);
  }, [clustersOf, layout, clusterExtent, area, go]);

  return useMemo(
    () => ({
      shown,
      fit: () => {
        if (latest.current.lensShown) {
          // Every task: the lens gives way to the whole graph, fitted once it is back.
          awaitFit('whole');
          latest.current.onLens(null);
          return;
        }
        const { bounds } = latest.current.layout;
        if (bounds.width > 0) go(wholeView(bounds, latest.current.clusterExtent, area(), latest.current.clusterStory), 250);
      },
      work: () => {
        const target = latest.current.work.target;
        if (target) show(target, 250);
        else {
          const view = readableView();
          if (view) go(view, 250);
        }
      },
      frame: (target) => {
        if (target.ids.length > 0) show(target, 250);
      },
      showTask,
      openCluster: ({ ids, box, name }) => {
        const space = area();
        if (fitsReadably(box, space)) {
          go(fitBox(box, space, { min: READABLE_ZOOM, max: 1 }), 250);
          return;
        }
        const lens = lensFor(ids, ids.length, space, CARD, (target) => [...target]);
        if (lens?.whole) {
          lastLens.current = null;
          requestLens({ ids: lens.ids, gridColumns: lens.gridColumns, about: name, of: 'cluster' }, 250);
          return;
        }
        // Its work first (what needs a person, failed, running), else its own tasks.
        const inside = new Set(ids);
        const work = latest.current.work.target?.ids.filter((id) => inside.has(id)) ?? [];
        const view = readableView({ ids: work.length > 0 ? work : ids, mostUrgent: 0 });
        if (view) go(view, 250);
      },
      movedByHand: () => {
        asked.current = null;
      },
      follow: (link) => {
        following.current = { ...link, until: performance.now() + FOLLOW_MS };
      },
      fitClusters: () => {
        if (latest.current.lensShown) {
          // The clusters of every task: the lens gives way to the whole graph first.
          awaitFit('clusters');
          clustersFrom.current = committed.current;
          latest.current.onLens(null);
          return;
        }
        const extent = latest.current.clusterExtent;
        if (extent) go(clusterView(extent, area()), 250);
      },
      reveal: (id) => {
        const p = latest.current.layout.positions[id];
        if (!p) return;
        const [x, y, zoom] = store.getState().transform;
        const moving = movingTo.current && performance.now() < movingTo.current.until ? movingTo.current.view : null;
        const moved = revealBox({ ...p, ...CARD }, moving ?? { x, y, zoom }, area());
        if (moved) go(moved, 200);
      },
    }),
    [shown, readableView, show, requestLens, go, area, store, showTask, awaitFit],
  );
}

const distance = (a: XY, b: XY) => Math.hypot(a.x - b.x, a.y - b.y);

/** How long a hand-drawn dependency is followed: its layout comes within a second or two on a big plan. */
const FOLLOW_MS = 20_000;

/** Whether `box` fits the clear part of the canvas at `zoom` (with a margin each side). */
const fitsIn = (box: Box, zoom: number, area: CanvasArea) =>
  box.width * zoom + 48 <= area.width - area.coveredRight && box.height * zoom + 48 <= area.height;

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

/** What a lens shows, in words: "the work", or "the most urgent work" when only that part fits one screen. */
const aboutLens = (target: WorkTarget, whole: boolean) => (whole ? target.about : `the most urgent ${target.about.replace(/^the /, '')}`);
