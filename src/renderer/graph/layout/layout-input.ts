import type { Task } from '../../../shared/task';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { LayoutInput } from './layout-types';

/**
 * The layout's view of the tasks: one card-sized node per task shown, an edge per dependency
 * between two tasks shown (a filtered view is laid out on its own, without the hidden tasks).
 */
export function layoutInput(tasks: ReadonlyMap<string, Task>, shown?: (task: Task) => boolean): LayoutInput {
  const nodes: LayoutInput['nodes'] = [];
  const edges: LayoutInput['edges'] = [];
  const included = shown ? new Set<string>() : null;
  if (included && shown) for (const task of tasks.values()) if (shown(task)) included.add(task.id);
  for (const task of tasks.values()) {
    if (included && !included.has(task.id)) continue;
    nodes.push({ id: task.id, width: CARD_WIDTH, height: CARD_HEIGHT });
    for (const dependency of task.after) {
      if (!tasks.has(dependency) || (included && !included.has(dependency))) continue;
      edges.push({ source: dependency, target: task.id });
    }
  }
  return { nodes, edges };
}
