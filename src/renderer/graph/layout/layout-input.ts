import type { Task } from '../../../shared/task';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { LayoutInput } from './layout-types';

/** The layout's view of the tasks: one card-sized node per task, an edge per dependency present. */
export function layoutInput(tasks: ReadonlyMap<string, Task>): LayoutInput {
  const nodes: LayoutInput['nodes'] = [];
  const edges: LayoutInput['edges'] = [];
  for (const task of tasks.values()) {
    nodes.push({ id: task.id, width: CARD_WIDTH, height: CARD_HEIGHT });
    for (const dependency of task.after) if (tasks.has(dependency)) edges.push({ source: dependency, target: task.id });
  }
  return { nodes, edges };
}
