import { useReactFlow, useStore } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { Task } from '../../shared/task';
import { useGraph } from '../state/graph-context';
import { CARD_HEIGHT, CARD_WIDTH } from './card-size';
import type { GraphFilter } from './graph-filter';
import type { LayoutPositions } from './layout/layout-types';

/** Above this many visible tasks, opening the graph zooms to readable cards instead of fitting all. */
const FIT_ALL_UP_TO = 150;
const BIG_GRAPH_ZOOM = 0.75;

/**
 * Once the first layout is there: fit small graphs; show big ones at a readable zoom, centred on
 * the first task in progress (what is happening now), else on the top-most task.
 */
export function useInitialViewport(positions: LayoutPositions, visibleCount: number) {
  const flow = useReactFlow();
  const { tasks } = useGraph();
  const sized = useCanvasSized();
  const done = useRef(false);
  useEffect(() => {
    if (done.current || !sized || Object.keys(positions).length === 0) return;
    done.current = true;
    if (visibleCount <= FIT_ALL_UP_TO) {
      // Wait a frame so React Flow has the nodes in its store.
      requestAnimationFrame(() => void flow.fitView({ padding: 0.2, maxZoom: 1 }));
      return;
    }
    const focus = startingPoint(tasks, positions);
    if (focus) void flow.setCenter(focus.x + CARD_WIDTH / 2, focus.y + CARD_HEIGHT / 2, { zoom: BIG_GRAPH_ZOOM });
  }, [flow, positions, visibleCount, tasks, sized]);
}

/** Fitting a canvas of no size (hidden page, tests without layout) would give a NaN viewport. */
export function useCanvasSized(): boolean {
  return useStore((state) => state.width > 0 && state.height > 0);
}

function startingPoint(tasks: ReadonlyMap<string, Task>, positions: LayoutPositions) {
  let top: { x: number; y: number } | null = null;
  for (const task of tasks.values()) {
    const position = positions[task.id];
    if (!position) continue;
    if (task.status === 'in-progress') return position;
    if (!top || position.y < top.y) top = position;
  }
  return top;
}

/** After the user changes the filter, fit the view to what is shown (when that is a readable amount). */
export function useFitOnFilterChange(filter: GraphFilter, visibleCount: number) {
  const flow = useReactFlow();
  const sized = useCanvasSized();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (sized && visibleCount > 0 && visibleCount <= FIT_ALL_UP_TO) {
      requestAnimationFrame(() => void flow.fitView({ padding: 0.2, maxZoom: 1, duration: 200 }));
    }
    // Refit when the user changes the filter, not when the data under it changes.
  }, [filter]);
}
