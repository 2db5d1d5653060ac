import { evaluationTaskOf, isStartable } from '../../graph/readiness';
import { isSystemTaskId } from '../../../shared/task';
import { EVALUATION_PENDING } from '../../store/readiness-sql';
import type { TaskRow } from '../../store/rows';
import type { StoreCore } from '../../store/store-core';
import type { GateCheck } from '../../agency/evaluation/gate-entry';
import { rearmSchedule } from '../../store/schedule-writes';
import type { Store } from '../../store/store';
import type { EngineLog } from '../../engine-log';
import type { TaskState } from '../../store/task-reads';
import { appendLog, transition } from '../../store/task-writes';
import type { EndState, SettleAction } from '../../deciding/scheduler-types';

export const COORDINATOR = 'coordinator';

/**
 * Performs one settling action as one transaction. The scheduler decided on a snapshot; other
 * processes may have written since, so each change is re-checked here: an agent is ended only
 * while it is still working, a task is changed only while it still waits on that agent.
 * A run that completed work the evaluation gate covers (`gate`) leaves its task pending-eval, not done.
 * Returns whether anything changed.
 */
type SettledRow = TaskState & Pick<TaskRow, 'schedule'> & { evaluation_pending: boolean };

/** The task's state, and whether its `.evaluate-X` is pending (the gate asks), in one statement. */
function settledRow(core: StoreCore, taskId: string): SettledRow | undefined {
  const row = core
    .sql<TaskState & Pick<TaskRow, 'schedule'> & { evaluation_pending: number }>(
      `SELECT id, status, assigned, schedule, CASE WHEN ${EVALUATION_PENDING} THEN 1 ELSE 0 END AS evaluation_pending FROM tasks WHERE id = ?`,
    )
    .get(evaluationTaskOf(taskId), taskId);
  // A system task has no evaluation of its own (evaluationPending).
  return row && { ...row, evaluation_pending: !isSystemTaskId(taskId) && Number(row.evaluation_pending) === 1 };
}

export function settle(store: Store, action: SettleAction, gate?: GateCheck): boolean {
  const core = store.core;
  return core.write((rev) => {
    const now = core.nowIso();
    // Whether the agent was ended is asked for only after its task's row is read (owned): one round trip for both.
    const endAgent = (id: string | null, state: EndState, exitCode: number | null, reason: string | null): (() => boolean) => {
      if (id === null) return () => false;
      return store.agents.ending(id, { state, ended_at: now, exit_code: exitCode, reason }, rev);
    };
    const owned = (agentId: string | null, taskId: string): SettledRow | null => {
      const row = settledRow(core, taskId);
      if (!row) return null;
      if (agentId === null) return isStartable(row.status) ? row : null;
      return row.status === 'in-progress' && row.assigned === agentId ? row : null;
    };
    switch (action.type) {
      case 'complete': {
        const ended = endAgent(action.agent_id, 'done', action.exit_code, null);
        const row = owned(action.agent_id, action.task_id);
        if (!ended()) return false;
        if (row) {
          const evaluate = gate?.(core, row.id, action.agent_id, row.evaluation_pending);
          transition(
            core,
            row,
            { status: evaluate ? 'pending-eval' : 'done', completed_at: now, failure_reason: null, not_before: null },
            rev,
          );
          const why =
            action.exit_code === null ? `triage found agent ${action.agent_id}'s work complete` : `agent ${action.agent_id} exited 0`;
          appendLog(core, row.id, COORDINATOR, evaluate ? `Task pending eval (${why}; awaiting evaluation)` : `Task done: ${why}`);
          if (!evaluate && row.schedule !== null) rearmSchedule(core, row.id, rev);
        }
        return true;
      }
      case 'fail': {
        const ending = endAgent(action.agent_id, action.agent_state, action.exit_code, action.reason);
        const row = owned(action.agent_id, action.task_id);
        const ended = ending();
        if (action.agent_id !== null && !ended) return false;
        if (row) {
          const counted = action.attempt ? { retry_count: retryCount(store, row.id) + 1 } : {};
          // A conversation that outgrew the context is not resumed by the next attempt (it would send it all again).
          const forget = action.forget_session ? { session_id: null } : {};
          transition(core, row, { status: 'failed', completed_at: now, failure_reason: action.reason, ...counted, ...forget }, rev);
          appendLog(core, row.id, COORDINATOR, `Task failed: ${action.reason}`);
          if (action.detail) appendLog(core, row.id, COORDINATOR, `The end of its stderr: ${action.detail}`);
          if (row.schedule !== null) rearmSchedule(core, row.id, rev);
        }
        return ended || row !== null;
      }
      case 'retry': {
        const ended = endAgent(action.agent_id, action.agent_state ?? 'dead', action.exit_code ?? null, action.reason);
        const row = owned(action.agent_id, action.task_id);
        if (!ended()) return false;
        if (row) {
          // The reason stays on the task: the next attempt's prompt tells it what stopped this one.
          const notBefore = action.not_before_ms ? new Date(action.not_before_ms).toISOString() : undefined;
          transition(
            core,
            row,
            {
              status: 'open',
              assigned: null,
              started_at: null,
              retry_count: action.retry_count,
              failure_reason: action.reason,
              ...(notBefore ? { not_before: notBefore } : {}),
            },
            rev,
          );
          appendLog(core, row.id, COORDINATOR, `Agent ${action.agent_id} stopped: ${action.reason}`);
        }
        return true;
      }
      case 'requeue': {
        const ended = endAgent(action.agent_id, 'failed', null, action.reason);
        const row = owned(action.agent_id, action.task_id);
        if (!ended()) return false;
        if (row) {
          const notBefore = action.not_before_ms ? new Date(action.not_before_ms).toISOString() : undefined;
          transition(
            core,
            row,
            {
              status: 'open',
              assigned: null,
              started_at: null,
              failure_reason: action.reason,
              ...(action.forget_session ? { session_id: null } : {}),
              ...(notBefore ? { not_before: notBefore } : {}),
            },
            rev,
          );
          appendLog(core, row.id, COORDINATOR, `Agent ${action.agent_id}: ${action.reason}`);
        }
        return true;
      }
      case 'end-agent':
        return endAgent(action.agent_id, action.state, action.exit_code, action.reason)();
    }
  });
}

function retryCount(store: Store, taskId: string): number {
  return store.core.sql<{ retry_count: number }>('SELECT retry_count FROM tasks WHERE id = ?').get(taskId)?.retry_count ?? 0;
}

/**
 * A task that cannot be launched at all (bad executor, missing command): failed with the reason,
 * which is a dispatch error: a warning, so `wg service status` and the Service page list it.
 */
export function failUnlaunchable(store: Store, taskId: string, reason: string, log: Pick<EngineLog, 'info' | 'warn'>): void {
  const action: SettleAction = { type: 'fail', agent_id: null, task_id: taskId, reason, agent_state: 'failed', exit_code: null };
  if (settle(store, action)) logSettled(log, action);
}

/** What a settled action leaves in the coordinator's log; a task failed without a run is a warning (see above). */
export function logSettled(log: Pick<EngineLog, 'info' | 'warn'>, action: SettleAction): void {
  if (action.type === 'fail' && action.agent_id === null) log.warn(describeSettled(action));
  else log.info(describeSettled(action));
}

/** Records the pids of runs that just started (a run that already ended keeps its pid too). */
export function recordPids(store: Store, pids: readonly (readonly [agentId: string, pid: number])[]): void {
  store.core.write((rev) => store.agents.setPids(pids, rev));
}

/** One line for the log about a settling action that changed something. */
function describeSettled(action: SettleAction): string {
  switch (action.type) {
    case 'complete':
      return `${action.agent_id} finished ${action.task_id}`;
    case 'fail':
      return `${action.task_id} failed: ${action.reason}`;
    case 'retry':
      return `${action.task_id} requeued (retry ${action.retry_count}): ${action.reason}`;
    case 'requeue':
      return `${action.task_id} requeued: ${action.reason}`;
    case 'end-agent':
      return `${action.agent_id} ended (${action.state})`;
  }
}
