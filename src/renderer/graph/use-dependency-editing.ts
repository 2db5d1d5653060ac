import { useCallback, useState } from 'react';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useGraphRefresh } from '../state/graph-context';

export interface DependencyLink {
  /** The dependency: the node the drag started from (its right-hand, source handle). */
  source: string;
  /** The dependent: the node the drag ended on (its left-hand, target handle). */
  target: string;
}

/**
 * Editing dependencies from the canvas. Dragging from A to B means "B depends on A"
 * (`task:addDep({task: B, dependency: A})`), matching the left-to-right layout where
 * dependencies sit left of their dependents. Refusals (cycles) are kept as `error`, verbatim;
 * each call resolves with whether it went through (the page offers Undo after a removal).
 */
export function useDependencyEditing() {
  const client = useClient();
  const refresh = useGraphRefresh();
  const [error, setError] = useState<string | null>(null);

  const link = useCallback(
    async ({ source, target }: DependencyLink) => {
      setError(null);
      try {
        await client['task:addDep']({ task: target, dependency: source });
        await refresh();
        return true;
      } catch (failure) {
        setError(errorMessage(failure));
        return false;
      }
    },
    [client, refresh],
  );

  const unlink = useCallback(
    async (links: readonly DependencyLink[]) => {
      setError(null);
      try {
        for (const { source, target } of links) await client['task:rmDep']({ task: target, dependency: source });
        await refresh();
        return true;
      } catch (failure) {
        setError(errorMessage(failure));
        return false;
      }
    },
    [client, refresh],
  );

  return { link, unlink, error, dismissError: useCallback(() => setError(null), []) };
}
