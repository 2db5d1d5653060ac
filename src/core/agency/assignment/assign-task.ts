import { IDENTITY_CLEARED, shortHash, type AgentIdentity, type AssignmentRecord } from '../../../shared/agency';
import type { Task } from '../../../shared/task';
import type { Store } from '../../store/store';
import { getTask, requireTaskRow } from '../../store/task-reads';
import { appendLog, transition } from '../../store/task-writes';

export interface Assignment {
  identity: AgentIdentity;
  exec_mode: string | null;
  context_scope: string | null;
  reason: string;
  source: AssignmentRecord['source'];
}

/** Seed 004's log line for an assignment. */
function assignmentLogLine(a: Assignment): string {
  return (
    `Lightweight assignment: agent=${a.identity.name} (${shortHash(a.identity.id)}), exec_mode=${a.exec_mode ?? '(default)'}, ` +
    `context_scope=${a.context_scope ?? '(default)'}, reason=${a.reason}`
  );
}

/**
 * Gives a task its identity (or takes it away) in one transaction: the task's `agent` is the
 * identity's full hash, the assignment record says how it was chosen, the log says so too.
 */
export async function assignIdentity(
  store: Store,
  taskId: string,
  assignment: Assignment | null,
  actor: string,
  line?: string,
): Promise<Task> {
  await store.core.write(async (rev) => {
    const row = await requireTaskRow(store.core, taskId);
    await transition(store.core, row, { agent: assignment?.identity.id ?? null }, rev);
    if (assignment) {
      await store.evaluations.setAssignment({
        task_id: taskId,
        agent_id: assignment.identity.id,
        exec_mode: assignment.exec_mode,
        context_scope: assignment.context_scope,
        reason: assignment.reason,
        source: assignment.source,
        timestamp: store.core.nowIso(),
      });
    } else {
      await store.evaluations.clearAssignment(taskId);
    }
    await appendLog(store.core, taskId, actor, line ?? (assignment ? assignmentLogLine(assignment) : IDENTITY_CLEARED));
  });
  return getTask(store.core, taskId);
}
