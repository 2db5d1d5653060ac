import type { Task, TaskStatus } from '../../../shared/task';
import type { Bottlenecks } from '../../../shared/insight';
import { dependentsIndex } from './task-index';

/** Every task that depends on `id`, directly or not (upstream collect_transitive_dependents). */
export function transitiveDependents(dependents: ReadonlyMap<string, readonly string[]>, id: string): Set<string> {
  const found = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    for (const next of dependents.get(stack.pop() as string) ?? []) {
      if (found.has(next)) continue;
      found.add(next);
      stack.push(next);
    }
  }
  return found;
}

/** Upstream's generate_recommendation: by status and the share of the project waiting on the task. */
export function recommendation(status: TaskStatus, transitive: number, total: number): string | null {
  if (total === 0) return null;
  const percent = Math.round((transitive / total) * 100);
  if (status === 'open' && percent >= 20) return `High priority - blocking ${percent}% of project`;
  if (status === 'open' && percent >= 10) return `Medium priority - blocking ${percent}% of project`;
  if (status === 'in-progress' && percent >= 20) return `Critical path - blocking ${percent}% of project`;
  if (status === 'blocked' && percent >= 20) return `Urgent: unblock this first - blocking ${percent}% of project`;
  if (status === 'blocked' && percent >= 10) return `Priority: unblock this - blocking ${percent}% of project`;
  return null;
}

/** `wg bottlenecks` (upstream): the ten tasks most work waits on, transitively. */
export function bottlenecks(tasks: readonly Task[]): Bottlenecks {
  const dependents = dependentsIndex(tasks);
  const rows = tasks
    .map((task) => {
      // A task of a loop (an imported graph's) waits on itself too, and counts so, as upstream's does.
      const transitive = transitiveDependents(dependents, task.id);
      return {
        id: task.id,
        title: task.title,
        direct_blocks: dependents.get(task.id)?.length ?? 0,
        transitive_before: transitive.size,
        status: task.status,
        assigned: task.assigned,
        recommendation: recommendation(task.status, transitive.size, tasks.length),
      };
    })
    .filter((row) => row.transitive_before > 0)
    .sort((a, b) => b.transitive_before - a.transitive_before);
  return { bottlenecks: rows.slice(0, 10), total_tasks: tasks.length };
}
