import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { XY } from '../layout/layout-types';
import type { Scene } from './scene';
import type { CanvasArea, ViewportValue } from './viewport-math';

/**
 * The cards on the canvas at `view` and a few cards' room around it (uncutTopLeft moves the view by
 * up to a card a pass): only these can be cut at its edges.
 */
export function cardsAround(scene: Scene, view: ViewportValue, space: CanvasArea): XY[] {
  const rect = {
    x: -view.x / view.zoom - 4 * CARD_WIDTH,
    y: -view.y / view.zoom - 4 * CARD_HEIGHT,
    width: space.width / view.zoom + 8 * CARD_WIDTH,
    height: space.height / view.zoom + 8 * CARD_HEIGHT,
  };
  const cards: XY[] = [];
  for (const id of scene.queryNodes(rect)) {
    const p = scene.layout.positions[id];
    if (p) cards.push(p);
  }
  return cards;
}
