import { type RefObject, useCallback } from 'react';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import { isComplete } from '../layout/layout-graph';
import type { GraphLayout } from '../layout/layout-types';
import { CARD } from './card';
import { cardsAround } from './cards-around';
import { aboutLens } from './lens-words';
import type { Scene } from './scene';
import type { LensRequest, WorkFocus } from './view-control-types';
import type { LensTried } from './view-control-state';
import {
  type CanvasArea,
  centreOn,
  clearSize,
  densestWindow,
  fitBox,
  fitsReadably,
  uncutTopLeft,
  urgencyWeights,
  type ViewportValue,
} from './viewport-math';
import { decideWorkView } from './work-view';
import type { WorkTarget } from './work-set';
import { MIN_ZOOM, READABLE_ZOOM, TITLE_ZOOM } from './zoom-levels';

/*
 * Where the view goes to show what it is asked for, worked out from the layout as it stands: a readable view, a lens
 * whole, or the view or lens `decideWorkView` chooses for a target. Only the reckoning: the view control
 * (use-view-control.ts) moves the view and asks for lenses.
 */

/** What the reckoning reads of the view control's latest inputs. */
interface ViewsOfInputs {
  layout: GraphLayout;
  scene: Scene;
  work: WorkFocus;
  centre: string | null;
}

export function useViewsOf(latest: RefObject<ViewsOfInputs>, area: () => CanvasArea, lastLens: RefObject<LensTried | null>) {
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
    [area, latest],
  );

  /**
   * A lens laid out: all of it at the largest zoom up to 1 that holds it, down to where compact cards still show their
   * titles. Its room shrinks first (neighbours go, then the next ready tasks), so it is drawn compact only when what a
   * person acts on alone is taller or wider than a readable screen: all of that in view beats the densest part of it
   * read whole with the rest cut off by the canvas's edges (20 tasks at 1024×700 had 12 cut).
   */
  const lensView = useCallback((): ViewportValue | null => {
    const { layout: current } = latest.current;
    if (current.groups.length === 0) return null;
    const space = area();
    const whole = fitBox(current.bounds, space, { min: MIN_ZOOM, max: 1 });
    return whole.zoom >= TITLE_ZOOM ? whole : readableView();
  }, [area, readableView, latest]);

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
    [area, readableView, latest, lastLens],
  );

  return { readableView, lensView, viewOf };
}
