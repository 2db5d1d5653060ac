import { CARD_WIDTH } from './card-size';

/** A card's borders and padding beside its title: its left state border (5), right border (1) and padding (8 + 9). */
export const CARD_TITLE_INSET = 5 + 1 + 8 + 9;
/** The title's box on a graph card. */
const TITLE_WIDTH = CARD_WIDTH - CARD_TITLE_INSET;
/** The card title's font (graph.css .task-card-title); the page's family. */
const TITLE_FONT = '650 15px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
/** Without a canvas (tests): a wide average for 15px bold. */
const FALLBACK_CHAR_PX = 9;

let context: CanvasRenderingContext2D | null | undefined;
const cache = new Map<string, number>();

/**
 * How many lines a card's title takes (1 or 2: it is clamped at 2), measured with the title's font
 * in a title box `width` px wide (a graph card's unless told: a board's cards are as wide as their column).
 * A one-line title leaves the card a line of room, which the state line gets, so "failed: exit code 1:
 * e…" is cut only where there is no room. Words wrap, so a title a little shorter than the box may
 * still take two lines: measured per word, as the browser breaks them.
 */
export function titleLines(title: string, width = TITLE_WIDTH): 1 | 2 {
  const key = width === TITLE_WIDTH ? title : `${width}\u0000${title}`;
  const known = cache.get(key);
  if (known !== undefined) return known as 1 | 2;
  if (context === undefined) {
    try {
      context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    } catch {
      context = null;
    }
    if (context) context.font = TITLE_FONT;
  }
  const measure = (text: string) => (context ? context.measureText(text).width : text.length * FALLBACK_CHAR_PX);
  const lines = measure(title) <= width ? 1 : 2;
  if (cache.size > 20_000) cache.clear();
  cache.set(key, lines);
  return lines;
}
