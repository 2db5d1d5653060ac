import { useCallback, useEffect, useState } from 'react';
import { UNREACHABLE_TEXT } from '../api/connection';
import { errorMessage } from '../api/op-error';
import { useGraphRefresh } from '../state/graph-context';
import { useConnection } from './use-connection';

/**
 * Runs an op from a button or form: tracks whether it is running, keeps the refusal text
 * verbatim, and refreshes the graph afterwards so the window shows the result at once.
 */
export function useMutation() {
  const refresh = useGraphRefresh();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { reachable } = useConnection();

  // "The coordinator is not answering" is false once it answers again: left there, it would be read as still so.
  useEffect(() => {
    if (reachable) setError((shown) => (shown === UNREACHABLE_TEXT ? null : shown));
  }, [reachable]);

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
