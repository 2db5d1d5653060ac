import { useEffect, useRef } from 'react';
import { useConnection } from '../hooks/use-connection';
import { useGraphRefresh } from './graph-context';
import { useProjectFacts } from './project-facts';

/**
 * When the coordinator answers again after it did not, the graph and the project's facts are read afresh: what
 * changed meanwhile (a run that ended, `wg` commands) was told to nobody, and the coordinator's status (paused,
 * running) may be another now.
 */
export function useResyncOnReconnect(): void {
  const { reachable } = useConnection();
  const refresh = useGraphRefresh();
  const { reload } = useProjectFacts();
  const wasLost = useRef(false);
  useEffect(() => {
    if (!reachable) {
      wasLost.current = true;
      return;
    }
    if (!wasLost.current) return;
    wasLost.current = false;
    void refresh();
    void reload();
  }, [reachable, refresh, reload]);
}
