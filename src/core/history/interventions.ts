import type { HumanIntervention, OperationEntry } from '../../shared/history';
import type { LogEntry } from '../../shared/task';

/*
 * Human interventions in a subgraph's history, as upstream's detect_interventions finds them: a
 * fail, retry, abandon, added task or edit by anyone but an agent or the coordinator. Upstream reads
 * its operations log; this app's equivalent record is each task's log, whose lines this app writes
 * for the same commands (store/task-commands.ts), so both are read and worded as upstream words them.
 */

/** Agents (`agent-N`), the coordinator and the scheduler act on their own; anyone else is a person. */
function isPerson(actor: string | null | undefined): boolean {
  if (!actor) return true;
  return !actor.startsWith('agent-') && !actor.startsWith('coordinator') && actor !== 'scheduler';
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Upstream's wording of an operation from its log, or null when it is not an intervention. */
function fromOperation(op: OperationEntry): Pick<HumanIntervention, 'kind' | 'detail'> | null {
  const detail = typeof op.detail === 'object' && op.detail !== null && !Array.isArray(op.detail) ? op.detail : {};
  switch (op.op) {
    case 'fail':
      return { kind: 'fail', detail: `Task manually failed: ${str(detail.reason) ?? 'unknown'}` };
    case 'retry':
      return { kind: 'retry', detail: `Task retried (attempt ${typeof detail.attempt === 'number' ? detail.attempt : 0})` };
    case 'abandon':
      return { kind: 'abandon', detail: `Task abandoned: ${str(detail.reason) ?? 'unknown'}` };
    case 'add_task':
      return { kind: 'add_task', detail: 'Task manually added' };
    case 'edit': {
      const fields = Array.isArray(detail.fields)
        ? detail.fields.flatMap((f) =>
            typeof f === 'object' && f !== null && !Array.isArray(f) && typeof f.field === 'string' ? [f.field] : [],
          )
        : [];
      return { kind: 'edit', detail: `Task manually edited: ${fields.join(', ')}` };
    }
    default:
      return null;
  }
}

/** The same from a line of this app's task log. */
function fromLog(message: string): Pick<HumanIntervention, 'kind' | 'detail'> | null {
  if (message.startsWith('Task failed: '))
    return { kind: 'fail', detail: `Task manually failed: ${message.slice('Task failed: '.length)}` };
  if (message === 'Abandoned') return { kind: 'abandon', detail: 'Task abandoned: unknown' };
  if (message.startsWith('Abandoned: ')) return { kind: 'abandon', detail: `Task abandoned: ${message.slice('Abandoned: '.length)}` };
  if (message === 'Task created') return { kind: 'add_task', detail: 'Task manually added' };
  const retry = /^Retry #(\d+)/.exec(message);
  if (retry) return { kind: 'retry', detail: `Task retried (attempt ${retry[1]})` };
  return null;
}

export function detectInterventions(
  operations: readonly OperationEntry[],
  logs: ReadonlyMap<string, readonly LogEntry[]>,
): HumanIntervention[] {
  const found: HumanIntervention[] = [];
  for (const op of operations) {
    if (!op.task_id || !logs.has(op.task_id) || !isPerson(op.actor)) continue;
    const worded = fromOperation(op);
    if (worded) found.push({ timestamp: op.timestamp, task_id: op.task_id, actor: op.actor ?? null, ...worded });
  }
  // A task upstream's log speaks of is read from there only: its own log would say the same again.
  const logged = new Set(operations.flatMap((op) => (op.task_id ? [op.task_id] : [])));
  for (const [taskId, log] of logs) {
    if (logged.has(taskId)) continue;
    for (const entry of log) {
      if (!isPerson(entry.actor)) continue;
      const worded = fromLog(entry.message);
      if (worded) found.push({ timestamp: entry.timestamp, task_id: taskId, actor: entry.actor || null, ...worded });
    }
  }
  return found.sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
}
