import type { Agent, HeartbeatStatus } from '../shared/agent';

/** `wg heartbeat --check` in upstream's words. */
function heartbeatStatusText(status: HeartbeatStatus): string {
  const lines = [`Agent heartbeat status (threshold: ${status.threshold_minutes} minutes):`, ''];
  if (status.active.length > 0) {
    lines.push('Active agents:', ...status.active.map((a) => `  ${a.id} on '${a.task_id}' (heartbeat ${a.minutes_ago} min ago)`));
  }
  if (status.stale.length > 0) {
    lines.push(
      '',
      'Stale agents (may be dead):',
      ...status.stale.map((a) =>
        (a.minutes_ago ?? -1) < 0
          ? `  ${a.id} on '${a.task_id}' (invalid heartbeat: ${a.last_heartbeat})`
          : `  ${a.id} on '${a.task_id}' (last heartbeat ${a.minutes_ago} min ago)`,
      ),
    );
  }
  if (status.dead.length > 0) lines.push('', 'Dead agents:', ...status.dead.map((a) => `  ${a.id} was on '${a.task_id}'`));
  if (status.active.length + status.stale.length + status.dead.length === 0) lines.push('No agents registered.');
  return lines.join('\n');
}

/** `wg heartbeat AGENT` in upstream's words, or the check. */
export function heartbeatText(result: Agent | HeartbeatStatus): string {
  if ('threshold_minutes' in result) return heartbeatStatusText(result);
  return `Agent heartbeat recorded for '${result.id}' at ${result.last_heartbeat}`;
}
