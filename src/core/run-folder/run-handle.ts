import type { Agent } from '../../shared/agent';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { runDir } from './run-log';
import { readRecordedPid, readRunCgroup, runFiles } from './run-files';
import type { RunHandle } from '../processes/kill-runs';
import { processAlive } from '../processes/process-group';
import { processesOfRuns } from '../processes/run-marker';

/* Where a run's processes are found: its wrapper's pid, its marker, its cgroup (from the store and its run folder). */

/** The pid of an agent's wrapper: the store's, else the one the wrapper wrote (a crash before the store had it). */
export function runPid(paths: ProjectPaths, agent: Pick<Agent, 'id' | 'pid'>): number | null {
  return agent.pid ?? readRecordedPid(runFiles(runDir(paths.runsDir, agent.id)));
}

/** Everything that identifies a run's processes, from the store and its run folder (the folder has its pid first). */
export async function runHandle(store: Store, paths: ProjectPaths, agent: Pick<Agent, 'id' | 'pid'>): Promise<RunHandle> {
  return {
    pid: runPid(paths, agent),
    runId: await store.agents.runId(agent.id),
    cgroup: readRunCgroup(runFiles(runDir(paths.runsDir, agent.id))),
  };
}

/**
 * The handle of a run found at start, with its pid only if that process is still the run's: a
 * pid can be reused by an unrelated process once the run is gone, and on Linux the run's marker in
 * its environment tells them apart (a run from before markers keeps its pid).
 */
export async function adoptedHandle(store: Store, paths: ProjectPaths, agent: Pick<Agent, 'id' | 'pid'>): Promise<RunHandle> {
  const handle = await runHandle(store, paths, agent);
  if (handle.pid === null || !processAlive(handle.pid) || handle.runId === null || process.platform !== 'linux') return handle;
  const carries =
    processesOfRuns(new Set([handle.runId]))
      .get(handle.runId)
      ?.includes(handle.pid) ?? false;
  return carries ? handle : { ...handle, pid: null };
}
