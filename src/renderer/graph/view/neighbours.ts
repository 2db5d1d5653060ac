import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Scene } from './scene';

export type Direction = 'left' | 'right' | 'up' | 'down';

export const ARROW_DIRECTIONS: Record<string, Direction> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
};

/**
 * The card an arrow key moves to: right to a dependent, left to a dependency (the one nearest in
 * height), up and down to the nearest card in the same column.
 */
export function neighbour(scene: Scene, id: string, direction: Direction): string | null {
  const positions = scene.layout.positions;
  const here = positions[id];
  if (!here) return null;
  if (direction === 'left' || direction === 'right') {
    const { incoming, outgoing } = scene.links();
    const candidates = (direction === 'right' ? outgoing : incoming).get(id) ?? [];
    let best: string | null = null;
    let bestDistance = Infinity;
    for (const other of candidates) {
      const p = positions[other];
      if (!p) continue;
      const distance = Math.abs(p.y - here.y);
      if (distance < bestDistance) {
        best = other;
        bestDistance = distance;
      }
    }
    return best;
  }
  const down = direction === 'down';
  const strip = { x: here.x - CARD_WIDTH / 2, y: down ? here.y + 1 : here.y - 4000, width: CARD_WIDTH * 2, height: 4000 };
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const other of scene.queryNodes(strip)) {
    const p = positions[other];
    if (!p || other === id || Math.abs(p.x - here.x) > CARD_WIDTH / 2) continue;
    const dy = down ? p.y - here.y : here.y - p.y;
    if (dy >= CARD_HEIGHT / 2 && dy < bestDistance) {
      best = other;
      bestDistance = dy;
    }
  }
  return best;
}
