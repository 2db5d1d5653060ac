import { useEffect, useState } from 'react';
import type { GraphLayout } from '../layout/layout-types';
import type { Scene } from './scene';
import { routesBeingDrawn } from './wrapped-plan';

/**
 * Whether the picture's routes are all drawn (wrapped-plan.ts draws a fresh picture's in background slices after its
 * cards) and indexed (its scene's, in slices too). Edges are asked for only then: asked for before, the rest were
 * drawn at once, in one long task of the window's (a 50,000-task plan at Fit: 170–260 ms); asked for before they are
 * indexed, every frame scanned all the routes (a search flying over that plan: frames of 120–190 ms). Until then the
 * cards show without their edges, as in the first picture; the render after the last slice puts them in.
 */
export function useRoutesDrawn(picture: GraphLayout, scene: Scene): boolean {
  const pending = routesBeingDrawn(picture);
  const [drawnFor, setDrawnFor] = useState<GraphLayout | null>(null);
  useEffect(() => {
    if (!pending) return;
    let live = true;
    void pending
      .then(() => {
        if (!live) return;
        scene.indexAll();
        return scene.indexed();
      })
      // The edges go in all the same (a query scans what is not indexed).
      .catch(() => undefined)
      .then(() => {
        if (live) setDrawnFor(picture);
      });
    return () => {
      live = false;
    };
  }, [picture, scene, pending]);
  return pending === null || drawnFor === picture;
}
