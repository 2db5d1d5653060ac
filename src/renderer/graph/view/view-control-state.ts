import type { CanvasArea } from './viewport-math';
import type { WorkTarget } from './work-set';

/** What the view control (use-view-control.ts) and its parts (use-first-view.ts, use-lens-follow.ts…) keep between renders. */

/**
 * A fit waiting for the layout a filter asked for: what it shows at a readable zoom, a lens whole, every task, the
 * clusters, or a target to show once the whole graph's picture is back.
 */
export type FitPending = 'readable' | 'lens' | 'whole' | 'clusters' | { target: WorkTarget };

/** The last lens asked for: its target, how many cards it had room for, and the canvas it was made for. */
export interface LensTried {
  target: WorkTarget;
  room: number;
  space: CanvasArea;
}
