import { useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import { isComplete } from '../layout/layout-graph';
import { edgeKey, type Box, type GraphLayout } from '../layout/layout-types';
import { overlaysIn } from './canvas-overlays';
import { CARD } from './card';
import { FOLLOW_MS, linkView } from './followed-link';
import { aboutLens } from './lens-words';
import { viewKeptStill } from './picture-kept-still';
import type { Scene } from './scene';
import { useClusterFit } from './use-cluster-fit';
import { useFirstView } from './use-first-view';
import { useLensFollow } from './use-lens-follow';
import { useViewsOf } from './use-views-of';
import type { LensRequest, Reveal, ViewControl, WorkFocus } from './view-control-types';
import type { FitPending, LensTried } from './view-control-state';
import { viewMoveMs } from './view-motion';
import { centreOn, fitBox, fitsReadably, revealBox, wholeView, type CanvasArea, type ViewportValue } from './viewport-math';
import { lensFor, smallerRoom } from './work-view';
import type { WorkTarget } from './work-set';
import { CLUSTER_ZOOM, MIN_ZOOM, READABLE_ZOOM } from './zoom-levels';

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
  /** The zoom below which clusters are drawn (viewport-math.ts clustersUpTo). */
  clusterUpTo?: number;
  /** The task the view is focused on (key `.`): a fit that cannot show all readably centres on it, clear of the inspector. */
  centre?: string | null;
  /**
   * Brings a task asked for into what the page shows (a lens or a filter leaving it out): every way to show a
   * task (a link, a notice's Show, a search result, another page) comes through `showTask`, and so through here.
   */
  reveal?: (id: string) => Reveal;
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
  clusterUpTo = CLUSTER_ZOOM,
  centre = null,
  reveal,
}: ViewControlOptions): ViewControl {
  const flow = useReactFlow();
  const store = useStoreApi();
  const sized = useStore((state) => state.width > 0 && state.height > 0);
  const latest = useRef({ layout, scene, work, onLens, lensShown, coveredRight, clusterExtent, clusterStory, clusterUpTo, centre, reveal });
  latest.current = { layout, scene, work, onLens, lensShown, coveredRight, clusterExtent, clusterStory, clusterUpTo, centre, reveal };

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

  // The last lens asked for: its target, how many cards it had room for (fewer when it came out too big to read) and
  // the canvas it was made for. A lens that follows its tasks keeps that room: the inspector opening does not shrink it.
  const lastLens = useRef<LensTried | null>(null);
  // The person moved the view by hand since a lens was fitted: a lens following its tasks then keeps the view as it is.
  const movedSinceFit = useRef(false);
  const { readableView, lensView, viewOf } = useViewsOf(latest, area, lastLens);

  // A fit waiting for the layout a filter asked for: what it shows at a readable zoom, a lens
  // whole, every task, or a target to show once the whole graph's picture is back.
  const fitPending = useRef<FitPending | null>(null);
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

  /**
   * Asks for a lens and fits it once laid out (at once, when it is the one shown). Says whether a layout of it is to
   * come: not when it is the lens asked for already.
   */
  const requestLens = useCallback(
    (lens: LensRequest, duration: number): boolean => {
      awaitFit('lens');
      movedSinceFit.current = false;
      if (latest.current.onLens(lens)) return true;
      // The lens is the first view's, still being laid out: its fit, pending, sets the first view.
      if (!shownFirst.current) return false;
      fitPending.current = null;
      const view = lensView();
      if (view) go(view, duration);
      return false;
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
        const space = area();
        const lens = lensFor(target.ids, target.mostUrgent, space, CARD, focus.lensOf, undefined, target.acting);
        if (lens) {
          lastLens.current = { target, room: lens.room, space };
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

  // A task asked for before it was laid out (one just created, one brought into what the page shows): shown once it is.
  const pendingShow = useRef<string | null>(null);
  // Where the view is moving to a task: `reveal` starts from there, not from a frame halfway.
  const movingTo = useRef<{ view: ViewportValue; until: number } | null>(null);
  // The last task shown on request (a search result, a link): while on screen, the picture keeps it still.
  const asked = useRef<string | null>(null);
  // The first view is set (below): cards may be built.
  const [shown, setShown] = useState(false);
  const showTask = useCallback(
    (id: string, options: { keepZoom?: boolean; duration?: number } = {}) => {
      const p = latest.current.layout.positions[id];
      asked.current = id;
      const first = !shownFirst.current;
      if (first) {
        // Asked for before the first view is set (a card chosen on the board, a link or a notice's Show while the
        // graph was never shown): the first view is this task, not the work, whose lens (asked a moment ago, not
        // laid out yet) could leave it out: the page lets that lens go if it does (reveal, below).
        firstByLens.current = false;
        fitPending.current = null;
      }
      // Not in the picture (laid out in a moment: just created; or left out by a lens or a filter), or asked for
      // first: the page shows it, widening its filter if need be (the one place every way of showing a task comes
      // through). Shown once laid out.
      const reveal = !p || first ? (latest.current.reveal?.(id) ?? 'shown') : 'shown';
      if (!p || reveal === 'widened' || (first && store.getState().width === 0)) {
        pendingShow.current = reveal === 'absent' ? null : id;
        return;
      }
      // Laid out, but perhaps not for good yet (the first picture comes part by part): shown again with each picture.
      pendingShow.current = first && !isComplete(latest.current.layout) ? id : null;
      const now = store.getState().transform[2];
      const zoom = options.keepZoom ? Math.max(now, READABLE_ZOOM) : Math.max(READABLE_ZOOM, Math.min(1, now));
      const view = centreOn({ x: p.x + CARD_WIDTH / 2, y: p.y + CARD_HEIGHT / 2 }, zoom, area());
      const duration = first ? 0 : (options.duration ?? 250);
      movingTo.current = { view, until: performance.now() + duration + 50 };
      go(view, duration);
      // Where the person asked to be: a lens following its tasks does not fit itself again over it.
      movedSinceFit.current = true;
      if (first) {
        shownFirst.current = true;
        setShown(true);
      }
    },
    [store, go, area],
  );

  // The first view (use-first-view.ts): where work happens, set once it is laid out, before the browser paints.
  useFirstView({
    layout,
    sized,
    latest,
    shownFirst,
    firstByLens,
    pendingShow,
    setShown,
    readableView,
    viewOf,
    requestLens,
    area,
    go,
    showTask,
  });

  // A new filter: fit what it shows once its layout is there.
  const firstFilter = useRef(filterKey);
  useEffect(() => {
    if (filterKey !== firstFilter.current && !fitPending.current) awaitFit('readable');
    firstFilter.current = filterKey;
  }, [filterKey, awaitFit]);

  // The lens shown follows what it frames (use-lens-follow.ts).
  const { followLaidOut } = useLensFollow({ work, lensShown, latest, lastLens, fitPending });

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
      const moved = linkView(layout, link, store.getState().transform, area());
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
        // Fitted once the clusters of this layout are worked out (use-cluster-fit.ts).
        fitPending.current = pending;
        return;
      }
      // A lens laid out bigger than one readable screen: the same target with fewer neighbours.
      const tried = lastLens.current;
      if (pending === 'lens' && tried && fitBox(layout.bounds, area(), { min: MIN_ZOOM, max: 1 }).zoom < READABLE_ZOOM) {
        // Neighbours go first, then the ready tasks at the end of the work; what a person acts on stays.
        const room = smallerRoom(tried.room, tried.target.acting ?? tried.target.ids.length);
        const lens =
          room === null
            ? null
            : lensFor(tried.target.ids, tried.target.mostUrgent, area(), CARD, latest.current.work.lensOf, room, tried.target.acting);
        if (lens) {
          lastLens.current = { target: tried.target, room: lens.room, space: tried.space };
          const request = { ids: lens.ids, gridColumns: lens.gridColumns, about: aboutLens(tried.target, lens.whole), of: tried.target.of };
          if (requestLens(request, 0)) return;
          // The smaller room left out nothing more (the same lens, laid out here): no other layout comes, so this one
          // is fitted as it is, below its readable zoom, rather than waited on with no card built.
          fitPending.current = null;
        }
      }
      const view =
        pending === 'lens'
          ? lensView()
          : pending === 'whole'
            ? wholeView(layout.bounds, latest.current.clusterExtent, area(), latest.current.clusterStory, latest.current.clusterUpTo)
            : readableView();
      const first = !shownFirst.current;
      if (view) go(view, first ? 0 : 200);
      if (first) {
        shownFirst.current = true;
        setShown(true);
      }
      return;
    }
    if (followLaidOut.current && (!latest.current.lensShown || (before !== layout && isComplete(layout)))) {
      followLaidOut.current = false;
      // The lens followed its tasks, laid out: fitted whole again only if some of its cards now lie outside the
      // view and the person left the view where the lens put it; otherwise the view stays (below).
      const [x, y, zoom] = store.getState().transform;
      if (latest.current.lensShown && !movedSinceFit.current && revealBox(layout.bounds, { x, y, zoom }, area(), 8) !== null) {
        const view = lensView();
        if (view) {
          go(view, 200);
          return;
        }
      }
    }
    if (!beforeScene || !before || before === layout || !shownFirst.current) return;
    const { transform, width, height } = store.getState();
    const still = viewKeptStill(beforeScene, layout, transform, width, height, asked.current);
    if (still) go(still);
  }, [layout, scene, store, readableView, lensView, show, requestLens, area, go, showTask, followLaidOut]);

  // The clusters, all of them: at once, or once the whole graph is back from a lens (use-cluster-fit.ts).
  const fitClusters = useClusterFit({ layout, clustersOf, clusterExtent, latest, fitPending, committed, awaitFit, area, go });

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
        if (bounds.width > 0)
          go(wholeView(bounds, latest.current.clusterExtent, area(), latest.current.clusterStory, latest.current.clusterUpTo), 250);
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
        movedSinceFit.current = true;
      },
      follow: (link) => {
        following.current = { ...link, until: performance.now() + FOLLOW_MS };
      },
      fitClusters,
      clustersReached: () => {
        if (latest.current.lensShown && shownFirst.current && !fitPending.current) fitClusters();
      },
      reveal: (id) => {
        const p = latest.current.layout.positions[id];
        if (!p) return;
        const [x, y, zoom] = store.getState().transform;
        const moving = movingTo.current && performance.now() < movingTo.current.until ? movingTo.current.view : null;
        const moved = revealBox({ ...p, ...CARD }, moving ?? { x, y, zoom }, area());
        if (moved) {
          go(moved, 200);
          movedSinceFit.current = true;
        }
      },
    }),
    [shown, readableView, show, requestLens, go, area, store, showTask, awaitFit, fitClusters],
  );
}
