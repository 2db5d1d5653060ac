import type { Agent, ListedAgent } from '../../shared/agent';
import { heartbeatText } from '../heartbeat-format';
import { runOutputText } from '../run-output-format';
import { table } from '../table';
import type { Formatters } from './formatters';

/** Agent runs: the list of them, one started, its heartbeat and what it printed. */

export const agentFormatters: Formatters = {
  'agent:list': listedAgentsText,
  'run:events': runOutputText,
  'task:spawn': (a) => `spawned ${a.id} on ${a.task_id} (${a.executor})`,
  'task:heartbeat': heartbeatText,
};

export function agentList(agents: readonly Agent[]): string {
  if (agents.length === 0) return '(no agents)';
  // An internal run (triage, the assigner, the evaluator) is about the task, not its work: say which.
  const task = (a: Agent) => (a.purpose === 'task' ? a.task_id : `${a.task_id} (${a.purpose})`);
  // Why a run ended badly (dead, failed, killed), last: what a person looks at the list for.
  const why = (a: Agent) => (a.state === 'working' || a.state === 'done' ? '' : (a.reason ?? ''));
  return table(
    agents.map((a) => [a.id, a.state, task(a), a.executor, a.model ?? '-', a.pid === null ? '-' : String(a.pid), a.started_at, why(a)]),
  )
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/**
 * `wg agents`: upstream's table (its output_table: a header, ID, TASK, EXECUTOR, PID, UPTIME, STATUS, with this app's
 * model beside the executor and why a run ended after its status), then upstream's summary line after a blank line:
 * "N agent(s) total: X alive, Y dead" when a run is dead, else "N agent(s)". Alive and dead as upstream counts them:
 * working with its process running, and a dead status (a killed run's is dead, as listedRun says).
 */
function listedAgentsText(agents: readonly ListedAgent[]): string {
  if (agents.length === 0) return 'No agents registered.';
  const task = (a: Agent) => (a.purpose === 'task' ? a.task_id : `${a.task_id} (${a.purpose})`);
  // Why a run ended badly, after its status word: the reason says more than upstream's "dead (process exited)".
  const status = (a: ListedAgent) =>
    a.state === 'working' || a.state === 'done' || !a.reason ? a.status : `${a.status.replace(/ \(.*\)$/, '')}: ${a.reason}`;
  // Uptime of a run still working; an ended run's would only keep growing (--json keeps upstream's uptime for every run).
  const uptime = (a: ListedAgent) => (a.state === 'working' && a.process_alive ? a.uptime : '-');
  const rows = agents.map((a) => [a.id, task(a), a.executor, a.model ?? '-', a.pid === null ? '-' : String(a.pid), uptime(a), status(a)]);
  const alive = agents.filter((a) => a.state === 'working' && a.process_alive).length;
  const dead = agents.filter((a) => a.status.startsWith('dead')).length;
  const summary = dead > 0 ? `${agents.length} agent(s) total: ${alive} alive, ${dead} dead` : `${agents.length} agent(s)`;
  return [table([['ID', 'TASK', 'EXECUTOR', 'MODEL', 'PID', 'UPTIME', 'STATUS'], ...rows]), '', summary].join('\n');
}
