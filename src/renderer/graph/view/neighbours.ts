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
 * height), up and down to the nearest card in the same column. A card with no dependent (or dependency) that way
 * moves to the next card beside it: the work's grid of unconnected cards (what failed, what runs) is walked by
 * arrows too, as a person expects.
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
    if (best !== null) return best;
  }
  return nextInLine(scene, id, here, direction);
}

/** How far along a row or column the next card is looked for. */
const FAR = 4000;

/** The nearest card straight that way: in the same column (up, down) or row (left, right), at least half a card off. */
function nextInLine(scene: Scene, id: string, here: { x: number; y: number }, direction: Direction): string | null {
  const vertical = direction === 'up' || direction === 'down';
  const forward = direction === 'down' || direction === 'right';
  const strip = vertical
    ? { x: here.x - CARD_WIDTH / 2, y: forward ? here.y + 1 : here.y - FAR, width: CARD_WIDTH * 2, height: FAR }
    : { x: forward ? here.x + 1 : here.x - FAR, y: here.y - CARD_HEIGHT / 2, width: FAR, height: CARD_HEIGHT * 2 };
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const other of scene.queryNodes(strip)) {
    const p = scene.layout.positions[other];
    if (!p || other === id) continue;
    const across = vertical ? Math.abs(p.x - here.x) > CARD_WIDTH / 2 : Math.abs(p.y - here.y) > CARD_HEIGHT / 2;
    if (across) continue;
    const along = vertical ? (forward ? p.y - here.y : here.y - p.y) : forward ? p.x - here.x : here.x - p.x;
    if (along >= (vertical ? CARD_HEIGHT : CARD_WIDTH) / 2 && along < bestDistance) {
      best = other;
      bestDistance = along;
    }
  }
  return best;
}
