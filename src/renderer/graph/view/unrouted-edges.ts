import type { Task } from '../../../shared/task';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import { edgeKey, type GraphLayout } from '../layout/layout-types';
import type { SceneEdge } from './scene';

/**
 * The dependencies of the cards in the page that the layout has no route for yet: one just added,
 * while the layout places it (on a big plan that takes seconds). Each is drawn at once, straight
 * from its dependency's card to its dependent's as they stand, until the layout's route replaces
 * it: the person sees the link they made the moment the graph has it. Looks only at the cards in
 * the page, never at the whole plan.
 */
export function unroutedEdges(ids: readonly string[], tasks: ReadonlyMap<string, Task>, layout: GraphLayout): SceneEdge[] {
  const found: SceneEdge[] = [];
  for (const id of ids) {
    const to = layout.positions[id];
    const task = tasks.get(id);
    if (!to || !task) continue;
    for (const source of task.after) {
      const key = edgeKey(source, id);
      const from = layout.positions[source];
      if (!from || layout.routes[key]) continue;
      const points = [
        { x: from.x + CARD_WIDTH, y: from.y + CARD_HEIGHT / 2 },
        { x: to.x, y: to.y + CARD_HEIGHT / 2 },
      ];
      const [a, b] = points as [{ x: number; y: number }, { x: number; y: number }];
      const box = {
        x: Math.min(a.x, b.x),
        y: Math.min(a.y, b.y),
        width: Math.max(1, Math.abs(a.x - b.x)),
        height: Math.max(1, Math.abs(a.y - b.y)),
      };
      found.push({ id: key, source, target: id, points, box, unrouted: true });
    }
  }
  return found;
}
