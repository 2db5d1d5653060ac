import type { Agent } from '../../shared/agent';
import type { KillResult } from '../../shared/service-types';
import { invalid } from '../../shared/errors';
import type { Store } from '../store/store';
import { requireTaskRow } from '../store/task-reads';
import { appendLog, transition } from '../store/task-writes';
import { readRecordedPid, runFiles } from '../runs/run-files';
import { killGroup } from './process-group';

/** The store has a run's pid a moment after it starts; its folder has it from the start. */
function pidOf(agent: Agent): number | null {
  return agent.pid ?? (agent.output_path ? readRecordedPid(runFiles(agent.output_path)) : null);
}

/**
 * Kills agents' process groups, then in one transaction marks them killed and puts their
 * tasks back to open. Whoever watches the process (the coordinator) sees the state and stands down.
 */
export async function killAgents(store: Store, target: { id?: string; all?: boolean; force?: boolean }, actor: string): Promise<KillResult> {
  if (!target.id && !target.all) throw invalid('name an agent (e.g. agent-7) or pass --all');
  const agents: Agent[] = target.all ? store.agents.list({ alive: true }) : [store.agents.get(target.id as string)];
  if (!target.all && agents[0]?.state !== 'working') throw invalid(`agent '${target.id}' is not working (${agents[0]?.state})`);
  const pids = agents.filter((a) => !a.remote).map(pidOf).filter((pid) => pid !== null);
  await Promise.all(pids.map((pid) => killGroup(pid, { force: target.force })));
  const core = store.core;
  core.write((rev) => {
    for (const agent of agents) {
      store.agents.update(agent.id, { state: 'killed', ended_at: core.nowIso(), reason: target.force ? 'killed (SIGKILL)' : 'killed' }, rev);
      const row = requireTaskRow(core, agent.task_id);
      if (row.status === 'in-progress' && row.assigned === agent.id) {
        transition(core, row, { status: 'open', assigned: null, started_at: null }, rev);
        appendLog(core, agent.task_id, actor, `Agent ${agent.id} killed; task unclaimed`);
      }
    }
  });
  return { killed: agents.map((a) => store.agents.get(a.id)) };
}
