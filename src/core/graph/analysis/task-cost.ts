import type { TaskCost } from '../../../shared/insight';
import { estimateOf, type TaskIndex } from './task-index';

/**
 * `wg cost ID` (upstream query::cost_of): the estimated cost of the task and of everything it
 * depends on, each counted once. This app also adds what their runs spent (`cost_usd`), and a task whose runs spent
 * more than its estimate (or that has none) counts what they spent in the total: a total below what was already
 * spent ("$0.00" beside "Spent by their runs so far: $0.01") is no total.
 */
export function taskCost(index: TaskIndex, id: string): TaskCost {
  const seen = new Set<string>();
  const stack = [id];
  let estimated = 0;
  let spent = 0;
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    const task = index.get(current);
    if (!task) continue;
    estimated += Math.max(estimateOf(task, 'cost') ?? 0, task.cost_usd);
    spent += task.cost_usd;
    stack.push(...task.after);
  }
  return { task_id: id, total_cost: estimated, spent_usd: spent };
}
