import type { AgentView, SchedulerEvent, SchedulerState } from './scheduler-types';

/**
 * When a working agent stops being given the benefit of the doubt: local processes have a run
 * timeout, http agents must keep sending heartbeats, external agents wait as long as it takes, and
 * agent daemons' runs end by their leases (src/core/agent-daemons/job-lease-clock.ts), not here.
 */
export function deadlineOf(agent: AgentView, state: Pick<SchedulerState, 'heartbeat_timeout_s'>): number | null {
  switch (agent.kind) {
    case 'process':
      return agent.timeout_s === null ? null : agent.started_at_ms + agent.timeout_s * 1000;
    case 'http':
      return (agent.last_heartbeat_ms ?? agent.started_at_ms) + state.heartbeat_timeout_s * 1000;
    case 'external':
    case 'remote':
      return null;
  }
}

/** The event an agent's passed deadline amounts to, or null while it is within its time. */
export function expiredEvent(agent: AgentView, state: Pick<SchedulerState, 'heartbeat_timeout_s' | 'now_ms'>): SchedulerEvent | null {
  if (agent.state !== 'working') return null;
  const deadline = deadlineOf(agent, state);
  if (deadline === null || state.now_ms < deadline) return null;
  return agent.kind === 'http' ? { type: 'heartbeat-timeout', agent } : { type: 'run-timeout', agent };
}
