import type { ServiceStatus } from '../shared/service-types';

function duration(seconds: number): string {
  const units: Array<[number, string]> = [[86_400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, unit] of units) {
    if (rest >= size || (unit === 's' && parts.length === 0)) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** `wg service status` for people. */
export function formatStatus(status: ServiceStatus): string {
  const a = status.agents;
  const agents = `agents: ${a.working} working, ${a.done} done, ${a.failed} failed, ${a.dead} dead`;
  if (!status.running) return ['coordinator is not running', agents].join('\n');
  const lines = [
    `coordinator running (pid ${status.pid}), up ${duration(status.uptime_seconds ?? 0)}${status.paused ? ', PAUSED' : ''}`,
    `max agents: ${status.max_agents}`,
    agents,
    `url: ${status.url}`,
  ];
  if (status.recent_errors.length > 0) {
    lines.push('recent errors:', ...status.recent_errors.slice(-5).map((e) => `  ${e.timestamp} ${e.message}`));
  }
  return lines.join('\n');
}
