import type { Agent } from '../../../shared/agent';
import type { KillResult } from '../../../shared/service-types';
import { invalid } from '../../../shared/errors';
import type { Store } from '../../store/store';
import { findTaskRow } from '../../store/task-reads';
import { appendLog, transition } from '../../store/task-writes';
import type { ProjectPaths } from '../../project';
import { runHandle } from '../watching/reconcile';
import { killRuns } from './kill-runs';

/**
 * `wg kill`, `--force`, `--all`, and every stop that kills agents. First, in ONE transaction, the
 * agents are marked killed and their tasks put back to open (each task only while it is still
 * that agent's; with `hold` also paused, so it is not started again): from then on no report of
 * theirs counts, and the coordinator takes their exits as echoes, so one agent slow to die never
 * makes another's task look vanished or use a retry.
 * Then everything the runs started is stopped, the whole run each (killRuns).
 */
export async function killAgents(
  store: Store,
  paths: ProjectPaths,
  target: { id?: string; all?: boolean; force?: boolean; hold?: boolean },
  actor: string,
): Promise<KillResult> {
  if (!target.id && !target.all) throw invalid('name an agent (e.g. agent-7) or pass --all');
  const agents: Agent[] = target.all ? store.agents.list({ alive: true }) : [store.agents.get(target.id as string)];
  if (!target.all && agents[0]?.state !== 'working') throw invalid(`agent '${target.id}' is not working (${agents[0]?.state})`);
  const core = store.core;
  core.write((rev) => {
    for (const agent of agents) {
      if (
        !store.agents.end(
          agent.id,
          { state: 'killed', ended_at: core.nowIso(), exit_code: null, reason: target.force ? 'killed (SIGKILL)' : 'killed' },
          rev,
        )
      )
        continue;
      const row = findTaskRow(core, agent.task_id);
      if (row && row.status === 'in-progress' && row.assigned === agent.id) {
        // Held: paused in the same transaction, so the coordinator never sees it ready in between.
        transition(
          core,
          row,
          target.hold
            ? { status: 'open', assigned: null, started_at: null, paused: true }
            : { status: 'open', assigned: null, started_at: null },
          rev,
        );
        appendLog(
          core,
          agent.task_id,
          actor,
          `Agent ${agent.id} killed; task ${target.hold ? 'unclaimed and held (paused)' : 'unclaimed'}`,
        );
      }
    }
  });
  const local = agents.filter((agent) => !agent.runs_elsewhere).map((agent) => runHandle(store, paths, agent));
  await killRuns(local, { force: target.force });
  return { killed: agents.map((a) => store.agents.get(a.id)) };
}
