import { useStore } from '@xyflow/react';
import { useState } from 'react';
import { readSetting, writeSetting } from './view-settings';

const MINIMAP_KEY = 'wg.minimap';
const CHOICES = ['true', 'false', 'auto'] as const;
/**
 * Below this canvas size the map starts hidden: on a small window (1024×700) it lay over the
 * cards in the bottom-right corner, and a graph that does not fit at a readable zoom has cards
 * everywhere, so no view could leave it room.
 */
const MINIMAP_MIN_CANVAS = { width: 1100, height: 700 };

/**
 * Whether the overview map is shown: the person's choice once made (kept across sessions), until
 * then shown only on a canvas big enough for it to lie beside the cards, less the part the
 * inspector covers (the map then steps aside for it, or out of the way if there is no room).
 */
export function useMiniMapChoice(coveredRight: number): { shown: boolean; choose: (shown: boolean) => void } {
  const [choice, setChoice] = useState(() => readSetting(MINIMAP_KEY, CHOICES, 'auto'));
  const roomy = useStore((state) => state.width - coveredRight >= MINIMAP_MIN_CANVAS.width && state.height >= MINIMAP_MIN_CANVAS.height);
  return {
    shown: choice === 'auto' ? roomy : choice === 'true',
    choose: (shown) => setChoice(writeSetting(MINIMAP_KEY, shown ? 'true' : 'false')),
  };
}
