import { useSyncExternalStore } from 'react';
import { useBackendIfAny } from '../api/backend-context';
import type { ConnectionState } from '../api/connection';

const ALWAYS: ConnectionState = { reachable: true, lostAt: null };
const never = () => () => undefined;
const always = () => ALWAYS;

/** Whether the coordinator answers the window (always, where it runs in the app's own process or there is none). */
export function useConnection(): ConnectionState {
  const watch = useBackendIfAny()?.connection;
  return useSyncExternalStore(watch?.subscribe ?? never, watch?.getState ?? always);
}

/**
 * The time for what keeps going while nobody reports on it (a running task's elapsed time): `now` while the
 * coordinator answers, else the moment it stopped, so a run that may have ended meanwhile is not shown ticking on.
 */
export function useReportedNow(now: number): { now: number; stale: boolean } {
  const { lostAt } = useConnection();
  return lostAt === null ? { now, stale: false } : { now: Math.min(now, lostAt), stale: true };
}
