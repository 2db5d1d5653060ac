import { evaluationTaskOf, isStartable } from '../../graph/readiness';
import { isSystemTaskId } from '../../../shared/task';
import { sql } from 'kysely';
import type { TaskRow } from '../../store/rows';
import type { StoreCore } from '../../store/store-core';
import type { GateCheck } from '../../store/agency/gate-entry';
import { rearmSchedule } from '../../store/schedule-writes';
import type { Store } from '../../store/store';
import type { EngineLog } from '../../engine-log';
import type { TaskState } from '../../store/task-reads';
import { appendLog, reopen, transition } from '../../store/task-writes';
import type { EndState, SettleAction } from '../../deciding/scheduler-types';

export const COORDINATOR = 'coordinator';

/** A run's task as its settle sees it: its state, schedule, and whether its `.evaluate-X` is pending. */
export type SettledRow = TaskState & Pick<TaskRow, 'schedule'> & { evaluation_pending: boolean };
type SettledRowRead = TaskState & Pick<TaskRow, 'schedule'> & { evaluation_pending: number };

/** A system task has no evaluation of its own (evaluationPending). */
const settledOf = (row: SettledRowRead): SettledRow => ({
  id: row.id,
  status: row.status,
  assigned: row.assigned,
  schedule: row.schedule,
  evaluation_pending: !isSystemTaskId(row.id) && Number(row.evaluation_pending) === 1,
});

/** The task's state, and whether its `.evaluate-X` is pending (the gate asks), in one statement. */
async function settledRow(core: StoreCore, taskId: string): Promise<SettledRow | undefined> {
  const row = await core.get(
    sql<SettledRowRead>`SELECT id, status, assigned, schedule,
       CASE WHEN ${core.ready.evaluationPending(evaluationTaskOf(taskId))} THEN 1 ELSE 0 END AS evaluation_pending
     FROM tasks WHERE id = ${taskId}`,
  );
  return row && settledOf(row);
}

/**
 * What a coordinator's turn read, at its opening and under the project's write turn, of a run that ended and its task,
 * for `settle` to use instead of reading them again: the run was working, and its task was `row`. Only a read nothing
 * in the turn can have changed since is given (AgentJudge.exitedAll says which). The agent's end is then written
 * without waiting for its row count, which `trusted` is given to check before the turn commits.
 */
export interface SettleRead {
  agentId: string;
  row: SettledRow;
  trusted(ended: () => Promise<boolean>): void;
}

/** The rows `settle` reads of these runs' tasks (as settledRow), by agent, in one statement sent before the first await. */
export async function settledRows(core: StoreCore, agentIds: readonly string[]): Promise<Map<string, SettledRow>> {
  const rows = await core.all(
    sql<SettledRowRead & { agent_id: string }>`SELECT a.id AS agent_id, t.id, t.status, t.assigned, t.schedule,
       CASE WHEN ${core.ready.evaluationPendingOfT} THEN 1 ELSE 0 END AS evaluation_pending
     FROM agents a JOIN tasks t ON t.id = a.task_id WHERE ${core.fn.inList(sql.ref('a.id'), [...new Set(agentIds)])}`,
  );
  return new Map(rows.map((row) => [row.agent_id, settledOf(row)]));
}

/**
 * Performs one settling action as one transaction. The scheduler decided on a snapshot; other
 * processes may have written since, so each change is re-checked here: an agent is ended only
 * while it is still working, a task is changed only while it still waits on that agent.
 * A run that completed work the evaluation gate covers (`gate`) leaves its task pending-eval, not done.
 * `read`: what the turn read of the run and its task, when it may stand in for reading them again (a coordinator's
 * turn, whose project's write turn nothing else had meanwhile: its re-check is the turn's own, before it commits).
 * Returns whether anything changed.
 */
export async function settle(store: Store, action: SettleAction, gate?: GateCheck, read?: SettleRead): Promise<boolean> {
  const core = store.core;
  const known = read && action.type !== 'end-agent' && read.agentId === action.agent_id && read.row.id === action.task_id ? read : null;
  let trustedEnd: (() => Promise<boolean>) | null = null;
  const changed = await core.write(async (rev) => {
    const now = core.nowIso();
    // Whether the agent was ended is asked for only after its task's row is read (owned): one round trip for both. With
    // the turn's read, it is not waited for: the turn checks it before it commits.
    const endAgent = async (
      id: string | null,
      state: EndState,
      exitCode: number | null,
      reason: string | null,
    ): Promise<() => Promise<boolean>> => {
      if (id === null) return async () => false;
      const ended = await store.agents.ending(id, { state, ended_at: now, exit_code: exitCode, reason }, rev);
      if (!known) return ended;
      trustedEnd = ended;
      return async () => true;
    };
    const owned = async (agentId: string | null, taskId: string): Promise<SettledRow | null> => {
      const row = known ? known.row : await settledRow(core, taskId);
      if (!row) return null;
      if (agentId === null) return isStartable(row.status) ? row : null;
      return row.status === 'in-progress' && row.assigned === agentId ? row : null;
    };
    switch (action.type) {
      case 'complete': {
        const ended = await endAgent(action.agent_id, 'done', action.exit_code, null);
        const row = await owned(action.agent_id, action.task_id);
        if (!(await ended())) return false;
        if (row) {
          const evaluate = await gate?.(core, row.id, action.agent_id, row.evaluation_pending);
          await transition(
            core,
            row,
            { status: evaluate ? 'pending-eval' : 'done', completed_at: now, failure_reason: null, not_before: null },
            rev,
          );
          const why =
            action.exit_code === null ? `triage found agent ${action.agent_id}'s work complete` : `agent ${action.agent_id} exited 0`;
          await appendLog(core, row.id, COORDINATOR, evaluate ? `Task pending eval (${why}; awaiting evaluation)` : `Task done: ${why}`);
          if (!evaluate && row.schedule !== null) await rearmSchedule(core, row.id, rev);
        }
        return true;
      }
      case 'fail': {
        const ending = await endAgent(action.agent_id, action.agent_state, action.exit_code, action.reason);
        const row = await owned(action.agent_id, action.task_id);
        const ended = await ending();
        if (action.agent_id !== null && !ended) return false;
        if (row) {
          const counted = action.attempt ? { retry_count: (await retryCount(store, row.id)) + 1 } : {};
          // A conversation that outgrew the context is not resumed by the next attempt (it would send it all again).
          const forget = action.forget_session ? { session_id: null } : {};
          await transition(core, row, { status: 'failed', completed_at: now, failure_reason: action.reason, ...counted, ...forget }, rev);
          await appendLog(core, row.id, COORDINATOR, `Task failed: ${action.reason}`);
          if (action.detail) await appendLog(core, row.id, COORDINATOR, `The end of its stderr: ${action.detail}`);
          if (row.schedule !== null) await rearmSchedule(core, row.id, rev);
        }
        return ended || row !== null;
      }
      case 'retry': {
        const ended = await endAgent(action.agent_id, action.agent_state ?? 'dead', action.exit_code ?? null, action.reason);
        const row = await owned(action.agent_id, action.task_id);
        if (!(await ended())) return false;
        if (row) {
          // The reason stays on the task: the next attempt's prompt tells it what stopped this one.
          const notBefore = action.not_before_ms ? new Date(action.not_before_ms).toISOString() : undefined;
          await reopen(core, row, rev, {
            retry_count: action.retry_count,
            failure_reason: action.reason,
            ...(notBefore ? { not_before: notBefore } : {}),
          });
          await appendLog(core, row.id, COORDINATOR, `Agent ${action.agent_id} stopped: ${action.reason}`);
        }
        return true;
      }
      case 'requeue': {
        const ended = await endAgent(action.agent_id, 'failed', null, action.reason);
        const row = await owned(action.agent_id, action.task_id);
        if (!(await ended())) return false;
        if (row) {
          const notBefore = action.not_before_ms ? new Date(action.not_before_ms).toISOString() : undefined;
          await reopen(core, row, rev, {
            failure_reason: action.reason,
            ...(action.forget_session ? { session_id: null } : {}),
            ...(notBefore ? { not_before: notBefore } : {}),
          });
          await appendLog(core, row.id, COORDINATOR, `Agent ${action.agent_id}: ${action.reason}`);
        }
        return true;
      }
      case 'end-agent':
        return (await endAgent(action.agent_id, action.state, action.exit_code, action.reason))();
    }
  });
  // Checked by the turn only once its write went through: a settle that failed was undone alone, its run not ended.
  if (known && trustedEnd) known.trusted(trustedEnd);
  return changed;
}

async function retryCount(store: Store, taskId: string): Promise<number> {
  const { core } = store;
  return (await core.get(core.build.selectFrom('tasks').select('retry_count').where('id', '=', taskId)))?.retry_count ?? 0;
}

/**
 * A task that cannot be launched at all (bad executor, missing command): failed with the reason,
 * which is a dispatch error: a warning, so `wg service status` and the Service page list it.
 */
export async function failUnlaunchable(store: Store, taskId: string, reason: string, log: Pick<EngineLog, 'info' | 'warn'>): Promise<void> {
  const action: SettleAction = { type: 'fail', agent_id: null, task_id: taskId, reason, agent_state: 'failed', exit_code: null };
  if (await settle(store, action)) logSettled(log, action);
}

/** What a settled action leaves in the coordinator's log; a task failed without a run is a warning (see above). */
export function logSettled(log: Pick<EngineLog, 'info' | 'warn'>, action: SettleAction): void {
  if (action.type === 'fail' && action.agent_id === null) log.warn(describeSettled(action));
  else log.info(describeSettled(action));
}

/** Records the pids of runs that just started (a run that already ended keeps its pid too). */
export async function recordPids(store: Store, pids: readonly (readonly [agentId: string, pid: number])[]): Promise<void> {
  await store.core.write((rev) => store.agents.setPids(pids, rev));
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
