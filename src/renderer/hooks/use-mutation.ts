import { useCallback, useState } from 'react';
import { errorMessage } from '../api/op-error';
import { useGraphRefresh } from '../state/graph-context';

/**
 * Runs an op from a button or form: tracks whether it is running, keeps the refusal text
 * verbatim, and refreshes the graph afterwards so the window shows the result at once.
 */
export function useMutation() {
  const refresh = useGraphRefresh();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(
    async <T>(action: () => Promise<T>): Promise<T | undefined> => {
      setPending(true);
      setError(null);
      try {
        const result = await action();
        await refresh();
        return result;
      } catch (failure) {
        setError(errorMessage(failure));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [refresh],
  );

  return { run, pending, error, setError, clearError: useCallback(() => setError(null), []) };
}
