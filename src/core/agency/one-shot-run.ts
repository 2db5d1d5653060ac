import type { ModelRegistry, Settings } from '../../shared/config-types';
import { buildOneShotClaudeLaunch } from '../executors/claude';
import { assertProgramFound, ClaimWaits } from '../runs/claiming/claim-waits';
import type { HostEnv } from '../executors/host-env';
import type { ResolvedModel } from '../executors/launch';
import { describeModelSource } from '../executors/model-resolution';
import type { InternalRequest } from '../runs/claiming/internal-run';
import type { InternalResult } from '../runs/local-runs';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { appendLog, touch } from '../store/task-writes';

/**
 * An assigner's or evaluator's question as an internal run (LocalRuns.runInternal): recorded,
 * started and killed like any run (visible in the agents list with its output, cost and tokens),
 * but using no agent slot and never settling its task by itself.
 */
export type OneShotRequest = InternalRequest & { purpose: 'assign' | 'evaluate' };
export type OneShotResult = Pick<InternalResult, 'code' | 'events'>;

type RunOneShot = (request: OneShotRequest) => Promise<OneShotResult>;

/** Why a one-shot run gave no answer, in a few words for the task log. */
export function describeTrouble(result: OneShotResult, timeoutS: number): string {
  const error = [...result.events].reverse().find((e) => e.type === 'result' && e.is_error);
  const said = error?.type === 'result' && error.text ? `: ${error.text.slice(0, 160)}` : '';
  if (result.code === null) return `it did not finish (stopped, or timed out after ${timeoutS} s)${said}`;
  return `it exited with code ${result.code}${said}`;
}

/** What the assigner's and the evaluator's runs need from the coordinator. */
export interface AgencyRunOptions {
  store: Store;
  paths: ProjectPaths;
  config: () => { settings: Settings; registry: ModelRegistry };
  hostEnv: HostEnv;
  run: RunOneShot;
  log: { info(message: string): void; error(message: string): void };
  /** Another look at the graph: a task may start or be unblocked now. */
  wake: () => void;
  /**
   * A one-shot run of the task waits for what this machine lacks (Claude Code not installed): the coordinator looks at
   * it again every few seconds with its tasks' own waits, lists it in `wg service status`, and wakes once it is found.
   */
  waiting?: (waits: ClaimWaits, taskId: string) => void;
  /**
   * The coordinator is stopping: a run it stopped answers nothing, and that is no evaluator's
   * failure (the next coordinator asks again).
   */
  stopping?: () => boolean;
}

/** Each one-shot purpose's role (whose model it runs) and the word its log line starts with. */
const PURPOSES = {
  assign: { role: 'assigner', started: 'Assignment' },
  evaluate: { role: 'evaluator', started: 'Evaluation' },
} as const;

/**
 * Asks the assigner or the evaluator once: notes on the task that it started (with its model and where
 * that came from), then runs Claude Code in print mode with `prompt` as an internal run of the project.
 */
export async function askOneShot(
  o: AgencyRunOptions,
  request: { purpose: OneShotRequest['purpose']; taskId: string; prompt: string; model: ResolvedModel; timeoutS: number },
): Promise<OneShotResult> {
  const { purpose, taskId, prompt, model, timeoutS } = request;
  const { role, started } = PURPOSES[purpose];
  const spec = buildOneShotClaudeLaunch({ prompt, modelId: model.id, cwd: o.paths.root, hostEnv: o.hostEnv });
  if (spec.kind !== 'process') throw new Error(`the ${role} has no process to run`);
  // Not started when it surely cannot be (the claude CLI not installed): its caller is told why, by the check a task's
  // claim makes, instead of a run that ends "exited with code 127" for every task.
  assertProgramFound(spec, o.hostEnv, { executor: 'claude', readyExecutor: 'claude' });
  await noteOnTask(
    o.store,
    taskId,
    `${started} started --executor claude${model.name ? ` --model ${model.name}` : ''} (${describeModelSource(role, model)})`,
  );
  return o.run({
    purpose,
    taskId,
    spec,
    executor: 'claude',
    model: model.name,
    model_source: model.source,
    timeout_s: timeoutS,
  });
}

/** What a one-shot run (the assigner's, the evaluator's) waits for on this machine (Claude Code not installed), or null. */
export function oneShotWaits(o: Pick<AgencyRunOptions, 'paths' | 'hostEnv'>): ClaimWaits | null {
  const spec = buildOneShotClaudeLaunch({ prompt: '', modelId: null, cwd: o.paths.root, hostEnv: o.hostEnv });
  try {
    assertProgramFound(spec, o.hostEnv, { executor: 'claude', readyExecutor: 'claude' });
    return null;
  } catch (error) {
    if (error instanceof ClaimWaits) return error;
    throw error;
  }
}

/** A line in the task's log from the coordinator, as its own small write. */
export async function noteOnTask(store: Store, taskId: string, message: string): Promise<void> {
  await store.core.write(async (rev) => {
    await appendLog(store.core, taskId, 'coordinator', message);
    await touch(store.core, taskId, rev);
  });
}
