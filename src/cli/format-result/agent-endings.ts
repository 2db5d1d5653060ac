import type { Agent } from '../../shared/agent';
import type { DeadAgentsResult, KillResult, RunElsewhere } from '../../shared/service-types';
import { plainText } from '../../core/text/plain-text';
import { agentList } from './agents';
import type { Formatters } from './formatters';

/** Runs ended: `wg kill` and `wg dead-agents`, with the runs another coordinator of a team's graph holds. */

export const agentEndingFormatters: Formatters = {
  'agent:kill': (r) =>
    r.tree
      ? [killTreeText(r.tree, r.killed), ...killedElsewhereLines(r.elsewhere)].join('\n')
      : r.killed.length
        ? r.killed.map((a) => killedLine(a, r.paused === true, r.elsewhere, r.not_holding)).join('\n')
        : 'no running agents to kill',
  'agent:dead': (r) =>
    [
      r.processes
        ? processCheckText(r.processes)
        : [
            agentList(r.dead),
            r.cleaned ? `requeued ${r.cleaned} task(s)` : '',
            r.purged ? `purged ${r.purged}` : '',
            r.dirs_deleted?.length ? `deleted ${r.dirs_deleted.length} run folder(s): ${r.dirs_deleted.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
      ...(r.elsewhere ?? []).map(leftElsewhereLine),
    ].join('\n'),
};

/** A team's graph: the coordinator a run is another's of, as its lease row names it. */
function ownerText(run: RunElsewhere): string {
  return run.host === null ? 'no coordinator' : `the coordinator on ${plainText(run.host)}:${plainText(run.folder ?? '?')}`;
}

/** `wg kill`: one line a run; another coordinator's run was ended through the store, and that coordinator stops it. */
function killedLine(agent: Agent, paused: boolean, elsewhere: readonly RunElsewhere[] = [], notHolding: readonly string[] = []): string {
  const run = elsewhere.find((r) => r.id === agent.id);
  const task = notHolding.includes(agent.id)
    ? `task ${agent.task_id} was no longer its (done, or taken since) and is left as it is`
    : paused
      ? `task ${agent.task_id} paused (\`wg resume ${agent.task_id}\` to start it again)`
      : `task ${agent.task_id} back in the queue`;
  return `killed ${agent.id}${run ? killedElsewhereText(run) : ''}; ${task}`;
}

function killedElsewhereText(run: RunElsewhere): string {
  if (!run.lost) return ` in the store; it runs under ${ownerText(run)}, which stops its process`;
  return run.host === null
    ? ' in the store; it names no coordinator that runs, so no process was signalled here'
    : ` in the store; ${ownerText(run)} was declared lost (it stops its runs if it comes back), so no process was signalled here`;
}

function killedElsewhereLines(elsewhere: readonly RunElsewhere[] = []): string[] {
  return elsewhere.map((run) => `${run.id}: killed${killedElsewhereText(run)}`);
}

/** `wg dead-agents`: a working run of another coordinator, not judged here. */
function leftElsewhereLine(run: RunElsewhere): string {
  const what = `${run.id} (task ${run.task_id})`;
  if (!run.lost) return `${what} runs under ${ownerText(run)}: left to it`;
  return run.host === null
    ? `${what} names no coordinator that runs: the coordinators running take it over`
    : `${what}: ${ownerText(run)} was declared lost; the coordinators still running take it over`;
}

/** Upstream's `wg kill --tree` summary, or its dry run. */
function killTreeText(tree: NonNullable<KillResult['tree']>, killed: readonly Agent[]): string {
  const pid = (a: Agent) => (a.pid === null ? '' : ` (PID ${a.pid})`);
  if (tree.dry_run) {
    const agentOn = (id: string) => tree.would_kill.find((a) => a.task_id === id);
    return [
      'Dry run — no changes will be made',
      '',
      `Tree rooted at '${tree.root}' (${tree.tasks.length} tasks total):`,
      ...tree.tasks.map((id) => {
        const agent = agentOn(id);
        return `  ${id}${agent ? ` [agent: ${agent.id}${pid(agent)}]` : ''}`;
      }),
      '',
      `Would kill ${tree.would_kill.length} agent(s)`,
      tree.no_abandon ? 'Would NOT abandon tasks (--no-abandon)' : `Would abandon ${tree.abandoned.length} task(s)`,
    ].join('\n');
  }
  const lines = [`Killed ${killed.length} agent(s), abandoned ${tree.abandoned.length} task(s)`];
  if (killed.length > 0) lines.push('', 'Killed agents:', ...killed.map((a) => `  ${a.id}${pid(a)} — task '${a.task_id}'`));
  if (tree.abandoned.length > 0) lines.push('', 'Abandoned tasks:', ...tree.abandoned.map((id) => `  ${id}`));
  return lines.join('\n');
}

/** Upstream's `wg dead-agents --processes`. */
function processCheckText(p: NonNullable<DeadAgentsResult['processes']>): string {
  const pid = (n: number | null) => (n === null ? 'no pid' : `PID ${n}`);
  const lines = ['Process check for registered agents:', ''];
  if (p.alive.length > 0)
    lines.push(`Alive (${p.alive.length}):`, ...p.alive.map((a) => `  ${a.id} on '${a.task_id}' (${pid(a.pid)} running)`));
  if (p.dead_process.length > 0) {
    lines.push(
      '',
      `Dead processes (${p.dead_process.length}):`,
      ...p.dead_process.map((a) => `  ${a.id} on '${a.task_id}' (${pid(a.pid)} not running)`),
      '',
      "Run 'wg dead-agents --cleanup' to clean up these agents.",
    );
  }
  if (p.alive.length + p.dead_process.length === 0) lines.push('No agents registered.');
  return lines.join('\n');
}
