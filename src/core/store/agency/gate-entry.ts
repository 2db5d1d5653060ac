import type { ExecutorProfile, Settings } from '../../../shared/config-types';
import { isSystemTaskId } from '../../../shared/task';
import type { StoreCore } from '../store-core';
import { evaluationPending } from '../dependency-writes';
import { needsEvaluation } from './gate-rules';

export const PENDING_EVAL_LINE = 'Task pending eval (agent reported done; awaiting evaluation)';

/**
 * Whether an agent's "done" on this task must wait for a score: asked inside the transaction that
 * records the done, so the task goes straight to pending-eval and no dependent can start meanwhile.
 * `evaluationPending`: whether the task's `.evaluate-X` is pending, when the caller read it with the task already.
 */
export type GateCheck = (core: StoreCore, taskId: string, agentId: string | null, evaluationPending?: boolean) => Promise<boolean>;

/** The gate as configured now: `[agency] auto_evaluate`, the task's tags, the type of the executor that did the work. */
export function gateCheck(settings: Pick<Settings, 'agency'>, profiles: readonly Pick<ExecutorProfile, 'name' | 'type'>[]): GateCheck {
  return async (core, taskId, agentId, pending) => {
    // Upstream's system tasks (.assign-x, .evaluate-x, …) are the agency's own bookkeeping.
    if (isSystemTaskId(taskId)) return false;
    // Upstream's `.evaluate-X`, not ended yet, scores X whatever this app's settings (upstream's `wg done`: pick_done_target_status).
    if (pending ?? (await evaluationPending(core, taskId))) return true;
    if (!settings.agency.auto_evaluate) return false;
    const tags = (await core.all(core.build.selectFrom('task_tags').select('tag').where('task_id', '=', taskId))).map((r) => r.tag);
    const run =
      agentId === null
        ? undefined
        : await core.get(core.build.selectFrom('agents').select(['executor', 'purpose']).where('id', '=', agentId));
    if (run && run.purpose !== 'task') return false;
    const executor =
      run?.executor ?? (await core.get(core.build.selectFrom('tasks').select('executor').where('id', '=', taskId)))?.executor ?? null;
    const executorType = profiles.find((p) => p.name === executor)?.type ?? null;
    return needsEvaluation({ autoEvaluate: true, tags, executorType, byAgent: agentId !== null });
  };
}
