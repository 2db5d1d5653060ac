import type { Agent, HeartbeatEntry, HeartbeatStatus } from '../../../shared/agent';

/**
 * Upstream's `wg heartbeat --check` (run_check_agents): each working run is active when it was heard from
 * within `thresholdMinutes`, else stale; dead runs are listed apart; ended ones not at all. A run never
 * heard from counts from its start, as upstream's registry starts its heartbeat at registration.
 */
export function heartbeatStatus(agents: readonly Agent[], thresholdMinutes: number, now: Date): HeartbeatStatus {
  const status: HeartbeatStatus = { threshold_minutes: thresholdMinutes, stale: [], active: [], dead: [] };
  for (const agent of agents) {
    const last = agent.last_heartbeat ?? agent.started_at;
    if (agent.state === 'dead') {
      status.dead.push({ id: agent.id, task_id: agent.task_id, last_heartbeat: last });
      continue;
    }
    if (agent.state !== 'working') continue;
    const at = Date.parse(last);
    if (Number.isNaN(at)) {
      status.stale.push({ id: agent.id, task_id: agent.task_id, last_heartbeat: last, minutes_ago: -1 });
      continue;
    }
    const seconds = Math.floor((now.getTime() - at) / 1000);
    const entry: HeartbeatEntry = { id: agent.id, task_id: agent.task_id, last_heartbeat: last, minutes_ago: Math.floor(seconds / 60) };
    (seconds > thresholdMinutes * 60 ? status.stale : status.active).push(entry);
  }
  return status;
}
