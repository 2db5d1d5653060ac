import type { Agent } from '../../shared/agent';
import type { TimeStats } from '../../shared/history';

/*
 * `wg stats`: upstream's time counters. Every run counts from its start to its end (a
 * run still working: to now; one that ended without a recorded end: to its last heartbeat); the
 * service's uptime only while its process lives.
 */

const seconds = (from: string, to: string | number) => {
  const start = Date.parse(from);
  const end = typeof to === 'number' ? to : Date.parse(to);
  return Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, Math.trunc((end - start) / 1000));
};

export function timeStats(agents: readonly Agent[], service: { startedAt: string } | null, now: Date): TimeStats {
  let cumulative = 0;
  let active = 0;
  let activeCount = 0;
  for (const agent of agents) {
    if (agent.state === 'working') {
      const elapsed = seconds(agent.started_at, now.getTime());
      if (elapsed === null) continue;
      cumulative += elapsed;
      active += elapsed;
      activeCount++;
      continue;
    }
    const end = agent.ended_at ?? agent.last_heartbeat;
    if (end) cumulative += seconds(agent.started_at, end) ?? 0;
  }
  return {
    service_uptime_secs: service ? seconds(service.startedAt, now.getTime()) : null,
    cumulative_agent_secs: cumulative,
    active_agent_secs: active,
    active_agent_count: activeCount,
    total_agents: agents.length,
  };
}
