import type { Task } from '../../shared/task';

/** "Required by": for each task, the tasks that list it in `after`. */
export function dependentsIndex(tasks: ReadonlyMap<string, Task>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const task of tasks.values()) {
    for (const dependency of task.after) {
      const list = index.get(dependency);
      if (list) list.push(task.id);
      else index.set(dependency, [task.id]);
    }
  }
  return index;
}
