import { GROUP_GAP } from '../layout/pack-groups';
import type { Box, XY } from '../layout/layout-types';

export interface Wanted {
  anchor: string;
  /** The corner that would put the box where it belongs (centred on its tasks). */
  want: XY;
  width: number;
  height: number;
}

/** Beyond this many boxes only the places straight across from the wanted one are tried (the search is quadratic). */
const FULL_SEARCH = 60;

/**
 * Each box at the free place nearest to where it wants to be, in any direction, in the order
 * given (the first keep theirs): a box pushed off its tasks by another lands on the side nearest
 * to them, not always right or down. The places tried are the wanted one and those just beside a
 * box already placed (left, right, above, below, and their corners); the far right is always free.
 */
export function placeNear(boxes: readonly Wanted[], gap = GROUP_GAP): Map<string, XY> {
  const placed: Box[] = [];
  const result = new Map<string, XY>();
  for (const { anchor, want, width, height } of boxes) {
    const free = (x: number, y: number) =>
      placed.every((p) => x + width + gap <= p.x || p.x + p.width + gap <= x || y + height + gap <= p.y || p.y + p.height + gap <= y);
    let best = want;
    if (!free(want.x, want.y)) {
      const xs = [want.x, ...placed.flatMap((p) => [p.x - width - gap, p.x + p.width + gap])];
      const ys = [want.y, ...placed.flatMap((p) => [p.y - height - gap, p.y + p.height + gap])];
      const tries =
        placed.length <= FULL_SEARCH
          ? xs.flatMap((x) => ys.map((y) => ({ x, y })))
          : [...xs.map((x) => ({ x, y: want.y })), ...ys.map((y) => ({ x: want.x, y }))];
      let nearest = Infinity;
      for (const at of tries) {
        const d = Math.hypot(at.x - want.x, at.y - want.y);
        if (d < nearest && free(at.x, at.y)) {
          nearest = d;
          best = at;
        }
      }
      // Only when the capped search found nothing: right of everything.
      if (nearest === Infinity) best = { x: Math.max(...placed.map((p) => p.x + p.width + gap)), y: want.y };
    }
    placed.push({ ...best, width, height });
    result.set(anchor, best);
  }
  return result;
}
