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
import { MIN_ZOOM, READABLE_ZOOM, TITLE_ZOOM } from './zoom-levels';

const CARD = { width: CARD_WIDTH, height: CARD_HEIGHT };

/** Tasks shown by themselves, laid out on their own (a lens): what the view asks the page for when they lie too far apart. */
export interface LensRequest {
  ids: string[];
  about: string;
  /** Which framing asked for it (WorkTarget.of). */
  of: string;
  /** The widest grid of unlinked cards one readable screen holds. */
  gridColumns: number;
  /**
   * The lens shown, following what it frames as the tasks change (its tasks now): the page keeps its key
   * and grid, so that the cards that stay keep their places and the view is not fitted again.
   */
  live?: boolean;
}

/** What the view frames on opening and on W, and how to reach a task's neighbours (work-set.ts). */
export interface WorkFocus {
  target: WorkTarget | null;
  neighbours: (id: string) => readonly string[];
  lensOf: (target: readonly string[], room: number) => string[];
  /** What a lens frames now, by its framing (WorkTarget.of: the work, a state's tasks); null for one that does not change (a cluster's). */
  targetOf: (of: string) => WorkTarget | null;
}

/**
 * Whether the page shows a task asked for: `shown` (its filter shows it: laid out, or about to be), `widened`
 * (the filter left it out and was widened to show it: laid out in a moment), `absent` (no such task, or one
 * the window folds away).
 */
export type Reveal = 'shown' | 'widened' | 'absent';

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
  /**
   * Brings a task asked for into what the page shows (a lens or a filter leaving it out): every way to show a
   * task (a link, a notice's Show, a search result, another page) comes through `showTask`, and so through here.
   */
  reveal?: (id: string) => Reveal;
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
  /**
   * Centre on a task at a readable zoom (search results, links, keyboard moves off screen); one the page does not
   * show (a lens or a filter leaves it out) is brought in first (`reveal`), and shown once laid out.
   */
  showTask(id: string, options?: { keepZoom?: boolean }): void;
  /**
   * A cluster opened by a click, to readable cards in one step: its tasks where they lie if they
   * fit one readable screen there, else by themselves (a lens) if few enough, else the part of it
   * where its work is (or most of its tasks), at a readable zoom.
   */
  openCluster(cluster: { ids: readonly string[]; box: Box; name: string }): void;
  /** The clusters, all of them (a new grouping takes effect at once). */
  fitClusters(): void;
  /**
   * The view zoomed out to the clusters: a lens shown gives way to the whole graph's clusters, as `fitClusters`
   * does (a lens's few cards are no overview, and its clusters would count only its tasks). Not while a fit is on
   * its way (W or a chip pressed at the clusters: its lens is being laid out).
   */
  clustersReached(): void;
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
  reveal,
}: ViewControlOptions): ViewControl {
  const flow = useReactFlow();
  const store = useStoreApi();
  const sized = useStore((state) => state.width > 0 && state.height > 0);
  const latest = useRef({ layout, scene, work, onLens, lensShown, coveredRight, clusterExtent, clusterStory, centre, reveal });
  latest.current = { layout, scene, work, onLens, lensShown, coveredRight, clusterExtent, clusterStory, centre, reveal };

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

  // The last lens asked for: its target, how many cards it had room for (fewer when it came out too big to read) and
  // the canvas it was made for. A lens that follows its tasks keeps that room: the inspector opening does not shrink it.
  const lastLens = useRef<{ target: WorkTarget; room: number; space: CanvasArea } | null>(null);
  // The person moved the view by hand since a lens was fitted: a lens following its tasks then keeps the view as it is.
  const movedSinceFit = useRef(false);

  /**
   * A lens laid out: all of it at the largest zoom up to 1 that holds it, down to where compact cards still show their
   * titles. Its room shrinks first (neighbours go, then the next ready tasks), so it is drawn compact only when what a
   * person acts on alone is taller or wider than a readable screen: all of that in view beats the densest part of it
   * read whole with the rest cut off by the canvas's edges (a reviewer's 20 tasks at 1024×700, 12 cut).
   */
  const lensView = useCallback((): ViewportValue | null => {
    const { layout: current } = latest.current;
    if (current.groups.length === 0) return null;
    const space = area();
    const whole = fitBox(current.bounds, space, { min: MIN_ZOOM, max: 1 });
    return whole.zoom >= TITLE_ZOOM ? whole : readableView();
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
        firm: target.acting,
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
          lastLens.current = { target, room: decided.room, space };
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

  // The first view, once the part where work happens is laid out (or all of it is). Set before
  // the browser paints (a layout effect): the cards are then built in the same task, not after
  // a frame painted without them. When the work lies too far apart, its lens is asked for and
  // the first view is set once that is laid out.
  useLayoutEffect(() => {
    if (shownFirst.current || firstByLens.current || !sized || Object.keys(layout.positions).length === 0) return;
    // A task asked for before the graph was first shown (a card chosen on the board, a link from another page, a
    // notice's Show): the first view is that task, once laid out, not the work (whose lens could leave it out).
    const askedFor = pendingShow.current;
    if (askedFor) {
      if (layout.positions[askedFor]) {
        showTask(askedFor);
        return;
      }
      if (!isComplete(layout)) return;
      // All laid out without it (a filter being widened to show it, a task not arrived yet): a readable view of what
      // is shown for now, never a lens (which could leave it out); the task is shown once laid out (pendingShow).
      const view = readableView();
      if (!view) return;
      go(view);
      shownFirst.current = true;
      setShown(true);
      return;
    }
    const target = latest.current.work.target;
    if (target && !isComplete(layout)) {
      // What one screen shows whole (all of them, or the most urgent ones): wait for all of it (their
      // parts are laid out first). More than that: for some, to show the densest part of. The ready tasks
      // at the end of the work are not waited for: their parts are not laid out first (work-focus.ts).
      const { columns, rows } = readableGrid(area(), CARD);
      const share = lensShare(target.ids.length, target.mostUrgent, columns * rows);
      const wanted = (share > 0 ? target.ids.slice(0, share) : target.ids).slice(0, target.acting ?? target.ids.length);
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
  }, [layout, sized, readableView, viewOf, requestLens, area, go, showTask]);

  // A new filter: fit what it shows once its layout is there.
  const firstFilter = useRef(filterKey);
  useEffect(() => {
    if (filterKey !== firstFilter.current && !fitPending.current) awaitFit('readable');
    firstFilter.current = filterKey;
  }, [filterKey, awaitFit]);

  // The lens shown follows what it frames (the work, a state chip's tasks) while the person has not chosen another
  // view: what becomes running, failed, needs them or ready comes in, what no longer is goes. In place: the page
  // keeps the lens's key, so the cards that stay keep their cells and the view stays where it is (the person may be
  // reading a card); it is fitted again only when the cards no longer fit it and the person has not moved it by
  // hand since the lens was fitted (below). At most once every FOLLOW_EVERY_MS: a plan that changes many times a
  // second is not laid out again at each change, and a person can follow what comes and goes.
  const followedAt = useRef(Number.NEGATIVE_INFINITY);
  const followTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A followed lens asked of the page, until its layout is shown.
  const followLaidOut = useRef(false);
  const follow = useCallback(() => {
    const tried = lastLens.current;
    const { lensShown: showing, work: focus } = latest.current;
    if (!showing || !tried) return;
    const target = focus.targetOf(tried.target.of);
    if (!target || target.ids.length === 0) return;
    // The room and canvas the lens was made for: an inspector opened since does not take cards away.
    const lens = lensFor(target.ids, target.mostUrgent, tried.space, CARD, focus.lensOf, tried.room, target.acting);
    const { columns, rows } = readableGrid(tried.space, CARD);
    // More of the most urgent kind than one readable screen holds: the first of them (a lens is one screen).
    const ids = lens?.ids ?? target.ids.slice(0, columns * rows);
    lastLens.current = { ...tried, target };
    const asked = { ids, about: aboutLens(target, lens?.whole ?? false), of: target.of, gridColumns: columns, live: true };
    if (!latest.current.onLens(asked)) return;
    followedAt.current = performance.now();
    followLaidOut.current = true;
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: work is the trigger (the tasks or their states changed); follow reads it as it is when it runs
  useEffect(() => {
    if (!lensShown) return;
    const wait = followedAt.current + FOLLOW_EVERY_MS - performance.now();
    if (wait <= 0 && !fitPending.current) {
      follow();
      return;
    }
    if (followTimer.current !== null) return;
    const tick = () => {
      followTimer.current = null;
      if (!latest.current.lensShown) return;
      // A lens being laid out or a fit waiting (W just pressed, a chip's tasks): followed once that is done.
      if (fitPending.current) followTimer.current = setTimeout(tick, FOLLOW_EVERY_MS / 4);
      else follow();
    };
    followTimer.current = setTimeout(tick, Math.max(wait, 0));
  }, [work, lensShown, follow]);
  useEffect(
    () => () => {
      if (followTimer.current !== null) clearTimeout(followTimer.current);
    },
    [],
  );

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

  const fitClusters = useCallback(() => {
    if (latest.current.lensShown) {
      // The clusters of every task: the lens gives way to the whole graph first.
      awaitFit('clusters');
      clustersFrom.current = committed.current;
      latest.current.onLens(null);
      return;
    }
    const extent = latest.current.clusterExtent;
    if (extent) go(clusterView(extent, area()), 250);
  }, [awaitFit, go, area]);

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

const distance = (a: XY, b: XY) => Math.hypot(a.x - b.x, a.y - b.y);

/** How long a hand-drawn dependency is followed: its layout comes within a second or two on a big plan. */
const FOLLOW_MS = 20_000;

/**
 * A lens follows its tasks at most this often: a change alone is shown at once, and a burst of them (an agent
 * pool finishing and starting tasks, a script failing many) lays the lens out again once a second, not at each.
 */
const FOLLOW_EVERY_MS = 1000;

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
