import { useEffect, useMemo, useState } from 'react';
import type { Task } from '../../shared/task';
import { WORKER_ABOVE } from './layout/layout-runner';
import { useLayoutRunner } from './layout/layout-runner-context';
import { layoutGraph } from './layout/layout-graph';
import { layoutInput } from './layout/layout-input';
import type { LayoutInput, LayoutPositions } from './layout/layout-types';

export interface GraphLayout {
  positions: LayoutPositions;
  /** True while a worker layout for the current structure is still running. */
  pending: boolean;
}

const EMPTY: LayoutPositions = {};

/**
 * Positions for every task. Recomputed only when `structureVersion` changes (a task added or its
 * dependencies edited), never for status changes. Small graphs are laid out synchronously in render
 * so a new task appears in the same frame; big ones in the layout worker.
 */
export function useGraphLayout(tasks: ReadonlyMap<string, Task>, structureVersion: number): GraphLayout {
  // Keyed on the structure version alone: it changes exactly when the shape of `tasks` does.
  const input = useMemo(() => layoutInput(tasks), [structureVersion]);
  const small = input.nodes.length <= WORKER_ABOVE;
  const syncPositions = useMemo(() => (small ? layoutGraph(input) : null), [input, small]);

  const runner = useLayoutRunner();
  const [async, setAsync] = useState<{ input: LayoutInput; positions: LayoutPositions; complete: boolean } | null>(null);
  const hasLayout = async !== null;
  useEffect(() => {
    if (small) return;
    let current = true;
    // The first layout is shown part by part as it is computed (the parts are final); later ones
    // keep the previous picture until they are complete, so nothing disappears for a moment.
    const onProgress = hasLayout
      ? undefined
      : (positions: LayoutPositions) => {
          if (current) setAsync({ input, positions, complete: false });
        };
    runner.run(input, onProgress).then(
      (positions) => {
        if (current && positions) setAsync({ input, positions, complete: true });
      },
      (error: unknown) => console.error(error),
    );
    return () => {
      current = false;
    };
    // `hasLayout` only picks the mode when a layout starts; it must not restart one.
  }, [input, small, runner]);

  if (syncPositions) return { positions: syncPositions, pending: false };
  // Until the worker answers, keep showing the previous layout (tasks new since then wait a moment).
  return { positions: async?.positions ?? EMPTY, pending: async?.input !== input || !async.complete };
}
