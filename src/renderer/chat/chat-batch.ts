import type { Task } from '../../shared/task';

/** What one answer of the coordinator agent did to the graph: the tasks its run made and those it changed. */
export interface ChatBatch {
  /** The run that answered (`agent-N`): its name is on every log line of what it did. */
  agentId: string;
  made: string[];
  changed: string[];
  /** The changed tasks as they were before the message was sent: what Undo puts back. */
  before: ReadonlyMap<string, Task>;
  /** Every task's title as the answer left it: named after an Undo took the new ones off the graph. */
  titles: ReadonlyMap<string, string>;
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Whether a task's plan changed between two looks: what a person or the coordinator edits (title, description,
 * dependencies, tags, priority, pause), not what a task's own run changes as it works (its status, its log).
 */
const planChanged = (then: Task, now: Task): boolean =>
  then.title !== now.title ||
  then.description !== now.description ||
  then.priority_value !== now.priority_value ||
  then.paused !== now.paused ||
  !same(then.after, now.after) ||
  !same(then.tags, now.tags);

/**
 * The tasks the run `agentId` made or changed, told apart by the graph as it was when the message was sent. A task's
 * log names who made it and who changed its state (`wg add`, `wg pause`, `wg abandon` log their actor), but `wg edit`
 * logs nothing (nor does upstream's): a plan edited during the exchange counts as the coordinator's too, while a
 * status that moved by a run's own work does not.
 */
export function batchOf(agentId: string, before: ReadonlyMap<string, Task>, now: ReadonlyMap<string, Task>): ChatBatch {
  const made: string[] = [];
  const changed: string[] = [];
  const kept = new Map<string, Task>();
  const titles = new Map<string, string>();
  for (const task of now.values()) {
    const then = before.get(task.id);
    const byTheAgent = task.log.some((entry) => entry.actor === agentId);
    if (!byTheAgent && !(then && planChanged(then, task))) continue;
    titles.set(task.id, task.title);
    if (!then) made.push(task.id);
    else {
      changed.push(task.id);
      kept.set(task.id, then);
    }
  }
  return { agentId, made, changed, before: kept, titles };
}

export const batchIds = (batch: ChatBatch): string[] => [...batch.made, ...batch.changed];
