import { type RefObject, useCallback, useEffect, useRef } from 'react';
import { isComplete } from '../layout/layout-graph';
import type { Box, GraphLayout } from '../layout/layout-types';
import type { LensRequest } from './view-control-types';
import type { FitPending } from './view-control-state';
import { type CanvasArea, clusterView, type ViewportValue } from './viewport-math';

/*
 * The view fitted to the clusters: at once, or from a lens once the whole graph is back and its clusters are worked
 * out. A part of the view control (use-view-control.ts) of its own: it waits on the clusters, which follow the layout.
 */

interface ClusterFitInputs {
  layout: GraphLayout;
  /** The layout the clusters were worked out from. */
  clustersOf: GraphLayout;
  /** The box around the clusters, else null. */
  clusterExtent: Box | null;
  latest: RefObject<{
    lensShown: boolean;
    onLens: (lens: LensRequest | null) => boolean;
    clusterExtent: Box | null;
    clusterUpTo?: number;
  }>;
  fitPending: RefObject<FitPending | null>;
  /** The layout on screen (committed). */
  committed: RefObject<GraphLayout>;
  awaitFit: (pending: FitPending) => void;
  area: () => CanvasArea;
  go: (value: ViewportValue, duration?: number) => void;
}

/** The clusters, all of them: `fitClusters` (a lens shown gives way to the whole graph first). */
export function useClusterFit({
  layout,
  clustersOf,
  clusterExtent,
  latest,
  fitPending,
  committed,
  awaitFit,
  area,
  go,
}: ClusterFitInputs): () => void {
  // The lens's layout the clusters were asked from: they are fitted once another (the whole graph's) is shown.
  const clustersFrom = useRef<GraphLayout | null>(null);

  // Clusters asked for from a lens: fitted once the whole graph is back and its clusters are worked out
  // (after the view control's effect that keeps the picture still, which leaves the view alone while they are awaited).
  useEffect(() => {
    if (fitPending.current !== 'clusters' || layout === clustersFrom.current) return;
    if (clustersOf !== layout || !isComplete(layout) || !clusterExtent) return;
    fitPending.current = null;
    clustersFrom.current = null;
    go(clusterView(clusterExtent, area(), latest.current.clusterUpTo), 200);
  }, [clustersOf, layout, clusterExtent, area, go, fitPending, latest]);

  const fitClusters = useCallback(() => {
    if (latest.current.lensShown) {
      // The clusters of every task: the lens gives way to the whole graph first.
      awaitFit('clusters');
      clustersFrom.current = committed.current;
      latest.current.onLens(null);
      return;
    }
    const extent = latest.current.clusterExtent;
    if (extent) go(clusterView(extent, area(), latest.current.clusterUpTo), 250);
  }, [awaitFit, go, area, latest, committed]);

  return fitClusters;
}
