import type { Task } from '../../../shared/task';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { LayoutInput } from './layout-types';

/** A lens's tasks in its order (most urgent first: its grid reads so), and the widest its grid may be. */
export interface LensLayout {
  order: readonly string[];
  gridColumns: number;
}

/**
 * The layout's view of the tasks: one card-sized node per task shown, an edge per dependency
 * between two tasks shown (a filtered view is laid out on its own, without the hidden tasks).
 */
export function layoutInput(tasks: ReadonlyMap<string, Task>, shown?: (task: Task) => boolean, lens?: LensLayout): LayoutInput {
  const nodes: LayoutInput['nodes'] = [];
  const edges: LayoutInput['edges'] = [];
  const included = shown ? new Set<string>() : null;
  if (included && shown) for (const task of tasks.values()) if (shown(task)) included.add(task.id);
  const ordered = lens ? lens.order.flatMap((id) => tasks.get(id) ?? []) : tasks.values();
  for (const task of ordered) {
    if (included && !included.has(task.id)) continue;
    nodes.push({ id: task.id, width: CARD_WIDTH, height: CARD_HEIGHT });
    for (const dependency of task.after) {
      if (!tasks.has(dependency) || (included && !included.has(dependency))) continue;
      edges.push({ source: dependency, target: task.id });
    }
  }
  return lens ? { nodes, edges, gridColumns: lens.gridColumns } : { nodes, edges };
}
