import type { ServiceStatus } from '../../shared/service-types';
import type { Store } from '../store/store';

/** Agent runs by final state, for the status summary. */
export function agentCounts(store: Store): ServiceStatus['agents'] {
  const counts = { working: 0, done: 0, failed: 0, dead: 0 };
  const rows = store.core.sql<{ state: string; n: number }>('SELECT state, count(*) AS n FROM agents GROUP BY state').all();
  for (const row of rows) if (row.state in counts) counts[row.state as keyof typeof counts] = row.n;
  return counts;
}

/** What `status` says when no coordinator runs: nothing running, but the store's agent summary still. */
export function stoppedStatus(maxAgents: number, agents: ServiceStatus['agents']): ServiceStatus {
  return {
    running: false, pid: null, started_at: null, uptime_seconds: null, paused: false, max_agents: maxAgents, url: null,
    agents, recent_errors: [],
  };
}
