import { type RefObject, useLayoutEffect } from 'react';
import { isComplete } from '../layout/layout-graph';
import type { GraphLayout } from '../layout/layout-types';
import { CARD } from './card';
import type { LensRequest, WorkFocus } from './view-control-types';
import type { CanvasArea, ViewportValue } from './viewport-math';
import { lensShare, readableGrid } from './work-view';
import type { WorkTarget } from './work-set';

/*
 * The graph's first view: where work happens, a task asked for before the graph was shown, or a readable view of
 * what is laid out, set once enough of it is. A part of the view control (use-view-control.ts) of its own, as no
 * other move waits for the layout so.
 */

interface FirstViewInputs {
  layout: GraphLayout;
  /** The canvas has a size. */
  sized: boolean;
  latest: RefObject<{ work: WorkFocus }>;
  /** The first view is set (cards may be built). */
  shownFirst: RefObject<boolean>;
  /** The first view waits for its lens to be laid out. */
  firstByLens: RefObject<boolean>;
  /** A task asked for before it was laid out. */
  pendingShow: RefObject<string | null>;
  setShown: (shown: boolean) => void;
  readableView: () => ViewportValue | null;
  viewOf: (target: WorkTarget) => { view: ViewportValue } | { lens: LensRequest } | null;
  requestLens: (lens: LensRequest, duration: number) => boolean;
  area: () => CanvasArea;
  go: (value: ViewportValue, duration?: number) => void;
  showTask: (id: string) => void;
}

export function useFirstView({
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
}: FirstViewInputs): void {
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
  }, [layout, sized, readableView, viewOf, requestLens, area, go, showTask, latest, shownFirst, firstByLens, pendingShow, setShown]);
}
