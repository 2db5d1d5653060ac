import type { AgentDaemonsStatus } from '../shared/agent-daemon-types';
import { type Terminal, when } from './terminal';

/** Jobs that ended `wg agentd status` shows; the rest are in `--json`. */
const RECENT_SHOWN = 5;

/**
 * `wg agentd status`: the connected agent daemons (what each offers, how busy it is), the jobs they run, the tasks that
 * wait for a daemon and why, and the last jobs that ended.
 */
export function agentdStatusText(status: AgentDaemonsStatus, term: Terminal): string {
  const lines: string[] = [];
  if (status.daemons.length === 0) lines.push('No agent daemon connected (start one with wg agentd on the machine that runs the jobs)');
  else {
    lines.push(`Agent daemons (${status.daemons.length}):`);
    for (const d of status.daemons) {
      const offers = [
        d.repos.length ? `repos ${d.repos.join(', ')}` : 'any repo',
        d.roles.length ? `roles ${d.roles.join(', ')}` : 'any role',
      ];
      const quota = d.downgraded_until
        ? `; out of quota until ${when(d.downgraded_until, term)}${d.downgrade_reason ? ` (${d.downgrade_reason})` : ''}`
        : '';
      // A team's graph: one connected to another coordinator runs only what that one sends it.
      const via = d.coordinator && !d.coordinator.here ? `  via the coordinator on ${d.coordinator.host} in ${d.coordinator.folder}` : '';
      lines.push(
        `  ${d.host}  ${d.active}/${d.capacity} busy  token ${d.token}  ${offers.join(', ')}  connected ${when(d.connected_at, term)}${quota}${via}`,
      );
    }
  }
  if (status.active_jobs.length > 0) {
    lines.push('', `Running (${status.active_jobs.length}):`);
    for (const j of status.active_jobs)
      lines.push(`  ${j.agent_id}  ${j.task_id}  on ${j.daemon_host}  ${j.state} since ${when(j.created_at, term)}`);
  }
  if (status.waiting.length > 0) {
    lines.push('', `Waiting for a daemon (${status.waiting.length}):`);
    for (const w of status.waiting) lines.push(`  ${w.task_id}  ${w.reason}`);
  }
  const recent = status.recent_jobs.slice(0, RECENT_SHOWN);
  if (recent.length > 0) {
    lines.push('', 'Ended lately:');
    for (const j of recent)
      lines.push(`  ${j.agent_id}  ${j.task_id}  on ${j.daemon_host}  ${j.state}${j.outcome ? `: ${j.outcome}` : ''}`);
  }
  if (!status.accepting) lines.push('', 'The coordinator is not running: nothing is dispatched to daemons until it is (wg service start)');
  return lines.join('\n');
}
