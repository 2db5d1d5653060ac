import type { Agent } from '../../../shared/agent';
import type { RunEvent } from '../../../shared/run-event';
import { shouldRetryFresh } from '../../executors/index';
import { createOutputParser } from '../../output/index';
import { readRunEvents, runDir } from '../../runs/run-log';
import type { ProjectPaths } from '../../project';
import type { Store } from '../../store/store';
import type { Settings } from '../../../shared/config-types';
import { agentView, type LaunchRecords } from '../engine-state';
import { signalFromStatus } from '../deciding/failure-reason';
import { OutputTail } from './output-tail';
import { groupAlive, killGroup, processAlive } from '../../agents/process-group';
import { readExitStatus, readFileTail, readRecordedPid, runFiles, type LaunchRecord } from '../../runs/run-files';
import type { FoundRun } from '../deciding/scheduler-types';

/** Whether a `--resume` run failed only because the session could not be loaded. */
export function resumeFailed(paths: ProjectPaths, agentId: string, record: LaunchRecord | null, code: number | null): boolean {
  if (!record?.resumed_session) return false;
  const events = readRunEvents(runDir(paths.runsDir, agentId), agentId, 0, 1000).events.map((e) => e.event);
  return shouldRetryFresh(code, events);
}

/** The pid of an agent's wrapper: the store's, else the one the wrapper wrote (a crash before the store had it). */
export function runPid(paths: ProjectPaths, agent: Agent): number | null {
  return agent.pid ?? readRecordedPid(runFiles(runDir(paths.runsDir, agent.id)));
}

export interface ReconcileDeps {
  store: Store;
  paths: ProjectPaths;
  records: LaunchRecords;
  settings: Settings;
  /** Output read from a run that ended while nobody watched (usage, session). */
  onEvents(agent: Agent, events: RunEvent[], total: number): void;
  onError(message: string): void;
}

/** Reads the rest of a finished run's output into its run log, so it is complete before the run is judged. */
function drainFinished(deps: ReconcileDeps, agent: Agent, record: LaunchRecord | null): void {
  try {
    const tail = new OutputTail(runFiles(runDir(deps.paths.runsDir, agent.id)), createOutputParser(record?.output ?? 'plain'));
    const events = tail.drain(true);
    tail.close();
    if (events.length > 0) deps.onEvents(agent, events, tail.total);
  } catch (error) {
    deps.onError(`reading the output of ${agent.id}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * What the coordinator finds at start: every agent the store says is working, and what became of
 * its process while no coordinator was watching. Remote agents are simply kept (their deadlines apply).
 */
export function findRuns(deps: ReconcileDeps): FoundRun[] {
  const { store, paths, records, settings } = deps;
  return store.agents.list({ working: true }).map((agent): FoundRun => {
    const record = records.get(agent.id);
    const view = agentView(store, agent, record, settings);
    if (view.kind !== 'process') return { agent: view, process: { state: 'alive' } };
    const files = runFiles(runDir(paths.runsDir, agent.id));
    const status = readExitStatus(files);
    const pid = runPid(paths, agent);
    if (status === null && pid !== null && processAlive(pid)) return { agent: view, process: { state: 'alive' } };
    drainFinished(deps, agent, record);
    // Anything the finished command left behind in its group goes too.
    if (pid !== null && groupAlive(pid)) void killGroup(pid, { graceMs: 1000 });
    if (status === null || signalFromStatus(status) !== null) return { agent: view, process: { state: 'gone' } };
    return {
      agent: view,
      process: { state: 'exited', code: status, stderr_tail: readFileTail(files.stderr), resume_failed: resumeFailed(paths, agent.id, record, status) },
    };
  });
}
