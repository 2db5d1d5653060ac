import type { Agent, RunPurpose } from '../../../shared/agent';
import type { LaunchSpec } from '../../executors/launch';
import type { ProjectPaths } from '../../project';
import { runDir } from '../../run-folder/run-log';
import { runFiles, type LaunchRecord, type RunFiles } from '../../run-folder/run-files';
import { newRun } from '../../store/agent-records';
import type { Store } from '../../store/store';
import { WgError } from '../../../shared/errors';
import { requireTaskRow } from '../../store/task-reads';
import { newRunId } from './claim';

type InternalSpec = Extract<LaunchSpec, { kind: 'process' }>;

/** An internal run the coordinator needs about a task: triage, assignment, evaluation. */
export interface InternalRequest {
  purpose: Exclude<RunPurpose, 'task'>;
  taskId: string;
  spec: InternalSpec;
  /** Shown as the run's executor and model. */
  executor: string;
  model: string | null;
  /** Where the model came from (the role's route, its default tier, …), shown with the run. */
  model_source?: string | null;
  /** The run is stopped (and ends failed) after this long. */
  timeout_s: number;
  /**
   * It acts through `wg` as an agent does (the coordinator agent): its environment names its run (WG_AGENT_ID,
   * WG_RUN_ID, its credential, this app's `wg` first on PATH). Without it, a one-shot question with no tools.
   */
  acts?: boolean;
}

export interface InternalClaim {
  agent: Agent;
  runId: string;
  files: RunFiles;
  record: LaunchRecord;
}

/**
 * Records an internal run in ONE transaction before it starts (like a task's run: a crash leaves a
 * run the restarted coordinator finds and stops). It leaves the task alone: not claimed, not
 * assigned; the scheduler neither counts it toward max_agents nor lets its end settle the task.
 */
export async function claimInternal(store: Store, paths: ProjectPaths, request: InternalRequest): Promise<InternalClaim> {
  const core = store.core;
  return core.write(async (rev) => {
    // The coordinator agent's runs are on upstream's `.chat-0`, no task of the graph here.
    if (request.purpose === 'chat') await requireNoOtherChat(store);
    else await requireTaskRow(core, request.taskId);
    const id = await store.agents.nextId();
    const files = runFiles(runDir(paths.runsDir, id));
    const agent = newRun(
      id,
      {
        task_id: request.taskId,
        executor: request.executor,
        model: request.model,
        model_source: request.model_source ?? null,
        runs_elsewhere: false,
        output_path: files.dir,
        purpose: request.purpose,
      },
      core.nowIso(),
      rev,
    );
    const record: LaunchRecord = {
      kind: 'process',
      output: request.spec.output,
      resumed_session: null,
      timeout_s: request.timeout_s,
      needs_evidence: false,
      cwd: request.spec.cwd,
    };
    const runId = newRunId();
    await store.agents.insert(agent, JSON.stringify(record), runId);
    return { agent, runId, files, record };
  });
}

/**
 * One coordinator agent at a time, on a team's graph too (its coordinators share this table): a second message meets
 * the one answering, in the same transaction as its claim, so two coordinators never both host it.
 */
async function requireNoOtherChat(store: Store): Promise<void> {
  const core = store.core;
  const busy = await core.get(
    core.build.selectFrom('agents').select(['id', 'coordinator_id']).where('purpose', '=', 'chat').where('state', '=', 'working'),
  );
  if (busy)
    throw new WgError(
      'unavailable',
      `the coordinator agent is answering another message (${busy.id}${busy.coordinator_id ? ` on coordinator ${busy.coordinator_id}` : ''}); try again when it is done`,
    );
}
