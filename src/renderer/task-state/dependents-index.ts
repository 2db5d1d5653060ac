import { isSystemTaskId, type Task } from '../../shared/task';

/**
 * Who reads whose status, kept up to date task by task: for each id, the tasks whose state depends
 * on it (those that list it in `after`, and, for a dependency that is not a system task, those that
 * wait on its evaluation `.evaluate-<id>` too, as the hold rules in shared/task-hold.ts do).
 */
export class DependentsIndex {
  private readonly readers = new Map<string, Set<string>>();

  /** A task replaced (`before` its old version, `after` its new; either absent when added or removed). */
  update(before: Task | undefined, after: Task | undefined): void {
    if (before) for (const id of readIds(before)) this.readers.get(id)?.delete(before.id);
    if (after) {
      for (const id of readIds(after)) {
        const set = this.readers.get(id);
        if (set) set.add(after.id);
        else this.readers.set(id, new Set([after.id]));
      }
    }
  }

  /** The ids given and every task that depends on one of them, directly or further down (a loop is walked once). */
  closure(starts: Iterable<string>): Set<string> {
    const reached = new Set<string>();
    const stack: string[] = [];
    for (const id of starts) {
      if (reached.has(id)) continue;
      reached.add(id);
      stack.push(id);
    }
    while (stack.length > 0) {
      const id = stack.pop() as string;
      for (const reader of this.readers.get(id) ?? []) {
        if (reached.has(reader)) continue;
        reached.add(reader);
        stack.push(reader);
      }
    }
    return reached;
  }
}

/** The ids a task's state reads: its dependencies, and their evaluations where the hold rules look at them. */
function readIds(task: Task): string[] {
  if (isSystemTaskId(task.id)) return task.after;
  const ids: string[] = [];
  for (const id of task.after) {
    ids.push(id);
    if (!isSystemTaskId(id)) ids.push(`.evaluate-${id}`);
  }
  return ids;
}
