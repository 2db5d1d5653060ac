import type { LeaseMember, ServiceStatus } from '../shared/service-types';
import { configSource, configValue } from './config-format';
import { plainText } from '../core/text/plain-text';

function duration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'm'],
    [1, 's'],
  ];
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

/** The settings the coordinator runs with (or would), each with where it came from. */
function settingLines(status: ServiceStatus): string[] {
  const entries = status.settings ?? [];
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map((e) => e.key.length));
  const valueWidth = Math.max(...entries.map((e) => configValue(e).length));
  return [
    // A coordinator that did not answer did not say its own: these are what its configuration says.
    status.not_answering
      ? 'settings (as configured; the coordinator did not say its own):'
      : status.running
        ? 'settings:'
        : 'settings (as a start would use them):',
    ...entries.map((e) => `  ${e.key.padEnd(width)}  ${configValue(e).padEnd(valueWidth)}  ${configSource(e)}`),
  ];
}

/** A team's graph: every coordinator of the project, each active with a lease of its own. */
function leaseLines(status: ServiceStatus): string[] {
  const lease = status.lease;
  if (!lease) return [];
  const who = (m: LeaseMember) =>
    `${plainText(m.host)}:${plainText(m.folder)} (pid ${m.pid}) at ${m.url === null ? 'no address' : plainText(m.url)}${m.id === lease.me ? ' — this one' : ''}`;
  const role = {
    active: 'this coordinator is active, with a lease of its own',
    fenced: 'this coordinator was declared lost (its lease lapsed): its runs were taken over, and it stops',
    'not running': "no coordinator runs in this folder; the project's are",
    'not answering': "this folder's coordinator did not answer, so its own lease was not heard; the project's coordinators are",
  }[lease.role];
  const lines = [`lease: ${role}`];
  if (lease.coordinators.length === 0) lines.push('  coordinators: none');
  for (const m of lease.coordinators) lines.push(memberLine(m, who(m)));
  return lines;
}

/** One coordinator's line: active (and whether its process is gone), stopped by `wg service stop`, or lost. */
function memberLine(m: LeaseMember, who: string): string {
  if (m.role === 'stopped') return `  stopped: ${who}, at ${m.renewed_at}`;
  if (m.role === 'lost') return `  lost:   ${who}, last renewed ${m.renewed_at}`;
  // Killed on this machine: its row stays active until the lease lapses and the sweep declares it lost.
  const state = m.gone
    ? ` (its process is not running on this machine${m.expires_in_ms <= 0 ? '; lapsed' : ''})`
    : m.expires_in_ms <= 0
      ? ' (lapsed)'
      : '';
  return `  active: ${who}, epoch ${m.epoch}, since ${m.since ?? '?'}, renewed ${m.renewed_at}${state}`;
}

/** A team's database the running coordinator cannot reach now: since when, why, and what waits for it. */
function outageLines(status: ServiceStatus): string[] {
  const away = status.database_outage;
  if (!away) return [];
  const waiting = away.waiting > 0 ? `; ${away.waiting} write(s) wait for it` : '';
  return [`database: cannot be reached since ${away.since} (${plainText(away.last_error)}); runs and agent daemons' jobs go on${waiting}`];
}

/** The agent daemons connected to the running coordinator (`wg agentd status` says more of each). */
function daemonLines(status: ServiceStatus): string[] {
  const daemons = status.agent_daemons;
  if (!daemons) return [];
  if (daemons.connected === 0) return ['agent daemons: none connected'];
  return [`agent daemons: ${daemons.connected} connected (${daemons.names.map(plainText).join(', ')})`];
}

/** `wg service status` for people. */
export function formatStatus(status: ServiceStatus): string {
  const a = status.agents;
  const agents = status.store_problem
    ? `agents: not known, the store cannot be read now: ${plainText(status.store_problem)}`
    : // On a team's graph the store's runs are every coordinator's; max agents is this machine's own.
      `agents${status.lease ? ", the team's" : ''}: ${a.working} working, ${a.done} done, ${a.failed} failed, ${a.dead} dead${a.killed === undefined ? '' : `, ${a.killed} killed`}`;
  const silent = status.not_answering;
  const lines = silent
    ? [
        `coordinator is running${status.pid === null ? '' : ` (pid ${status.pid})`} but did not answer within ${silent.waited_ms / 1000} s; it may be busy (a long import, say): try again in a moment`,
        agents,
        ...leaseLines(status),
      ]
    : status.running
      ? [
          `coordinator running (pid ${status.pid}), up ${duration(status.uptime_seconds ?? 0)}${status.paused ? ', PAUSED' : ''}`,
          `max agents: ${status.max_agents}${status.lease ? " (this coordinator's)" : ''}`,
          agents,
          `url: ${status.url}`,
          ...outageLines(status),
          ...daemonLines(status),
          ...leaseLines(status),
        ]
      : [
          status.read_only ? 'coordinator is not running (the project is read-only)' : 'coordinator is not running',
          agents,
          ...leaseLines(status),
        ];
  lines.push(...settingLines(status));
  // A team's settings live in its store: when that is what cannot be read, its line is not said twice.
  if (status.settings_error)
    lines.push(
      status.settings_error === status.store_problem
        ? 'settings: cannot be read either (they are in the store), so the coordinator cannot start'
        : `settings: cannot be read, so the coordinator cannot start: ${plainText(status.settings_error)}`,
    );
  // Tasks that wait for what this machine lacks (an agent CLI, a first commit), as the window's banner says.
  for (const wait of status.waiting ?? []) {
    lines.push(`waiting: tasks of executor ${wait.executors.map((e) => `'${e}'`).join(', ')}: ${plainText(wait.reason)}`);
  }
  // What the window's banner says: graph.jsonl (or messages/) not in step with upstream's wg until it is mended.
  if (status.sync_problem) lines.push(...status.sync_problem.split('\n').map((line) => `upstream sync: ${plainText(line)}`));
  if (status.recent_errors.length > 0) {
    lines.push('recent errors:', ...status.recent_errors.slice(-5).map((e) => `  ${e.timestamp} ${plainText(e.message)}`));
  }
  return lines.join('\n');
}
