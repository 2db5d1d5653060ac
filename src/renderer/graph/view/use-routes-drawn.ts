import { useEffect, useState } from 'react';
import type { GraphLayout } from '../layout/layout-types';
import { routesBeingDrawn } from './wrapped-plan';

/**
 * Whether the picture's routes are all drawn (wrapped-plan.ts draws a fresh picture's in background slices after its
 * cards). Edges are asked for only then: asked for before, the rest were drawn at once, in one long task of the
 * window's (a 50,000-task plan at Fit: 170–260 ms). Until then the cards show without their edges, as in the first
 * picture; the render after the last slice puts them in.
 */
export function useRoutesDrawn(picture: GraphLayout): boolean {
  const pending = routesBeingDrawn(picture);
  const [drawnFor, setDrawnFor] = useState<GraphLayout | null>(null);
  useEffect(() => {
    if (!pending) return;
    let live = true;
    void pending.then(() => {
      if (live) setDrawnFor(picture);
    });
    return () => {
      live = false;
    };
  }, [picture, pending]);
  return pending === null || drawnFor === picture;
}
