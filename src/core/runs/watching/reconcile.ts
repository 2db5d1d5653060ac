import { shouldRetryFresh } from '../../executors/index';
import { readRunEvents, runDir } from '../../run-folder/run-log';
import type { ProjectPaths } from '../../project';
import type { Store } from '../../store/store';
import type { Settings } from '../../../shared/config-types';
import { agentView, type LaunchRecords } from '../run-views';
import type { RunHandle } from '../../processes/kill-runs';
import { processesOfRuns } from '../../processes/run-marker';
import { populatedRunCgroups } from '../../processes/run-cgroup';
import type { LaunchRecord } from '../../run-folder/run-files';
import { runHandle } from '../../run-folder/run-handle';
import type { FoundRun } from '../../deciding/scheduler-types';

/** Whether a `--resume` run failed only because the session could not be loaded. */
export function resumeFailed(paths: ProjectPaths, agentId: string, record: LaunchRecord | null, code: number | null): boolean {
  if (!record?.resumed_session) return false;
  const events = readRunEvents(runDir(paths.runsDir, agentId), agentId, 0, 1000).events.map((e) => e.event);
  return shouldRetryFresh(code, events);
}

export interface ReconcileDeps {
  store: Store;
  records: LaunchRecords;
  settings: Settings;
}

/**
 * What the coordinator finds at start: every agent the store says is working. Local runs are
 * adopted (the monitor reads what they printed meanwhile and reports their exit, if they ended);
 * remote ones are kept (their deadlines apply); internal runs have lost who waited for them.
 */
export async function findRuns(deps: ReconcileDeps): Promise<FoundRun[]> {
  const { store, records, settings } = deps;
  return Promise.all(
    (await store.agents.list({ working: true })).map(
      async (agent): Promise<FoundRun> => ({ agent: await agentView(store, agent, await records.get(agent.id), settings) }),
    ),
  );
}

/**
 * Runs that are over in the store but whose processes still run (their agent was ended while no
 * coordinator watched: a person's `wg done`, a kill that could not finish, a crash between a run's
 * settling and the stop of what it left): to be stopped. Found by the marker in their processes'
 * environment (the wrapper and everything it starts carry it), or by their cgroup still being
 * populated: a child that cleared its environment (`env -i`) carries no marker, and its cgroup is
 * what exists to catch it (the cgroup sweep leaves a populated cgroup alone, so nothing else would).
 */
export async function strayRuns(store: Store, paths: ProjectPaths): Promise<RunHandle[]> {
  const rows = (
    await store.core.all(
      store.core.build
        .selectFrom('agents')
        .select(['id', 'pid', 'run_id'])
        .where('state', '!=', 'working')
        .where('run_id', 'is not', null)
        .where('runs_elsewhere', '=', 0),
    )
  ).map((row) => ({ ...row, run_id: row.run_id as string }));
  if (rows.length === 0) return [];
  const alive = processesOfRuns(new Set(rows.map((row) => row.run_id)));
  const populated = populatedRunCgroups();
  return Promise.all(
    rows
      .filter((row) => alive.has(row.run_id) || populated.has(row.run_id))
      .map(async (row) => {
        const handle = await runHandle(store, paths, row);
        // The run folder's note may be gone (the run removed its folder) while its cgroup still holds processes.
        return { ...handle, cgroup: handle.cgroup ?? populated.get(row.run_id) ?? null };
      }),
  );
}
