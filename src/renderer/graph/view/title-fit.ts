/**
 * Title sizes on compact cards, in screen pixels, largest first. 9 px is the least still read at
 * a glance; below it the card is its colour alone.
 */
export const TITLE_SIZES = [12, 11, 10, 9] as const;
export const LINE = 1.1;
export const MIN_TITLE_SIZE = 9;

/** A title at one size: its lines, and whether they hold it whole (every word whole, nothing cut). */
export interface TitleFit {
  size: number;
  lines: string[];
  whole: boolean;
}

/** A text's width at a size, in screen pixels. */
type TitleMeasure = (size: number, text: string) => number;

/**
 * A title wrapped into a compact card's room (screen pixels), at word boundaries only: whole at the
 * largest size from `largest` down that holds it, else at the smallest, its last line cut with an
 * ellipsis (and a word wider than a line cut so, never carried on to the next line in pieces).
 */
export function fitTitle(title: string, room: { width: number; height: number }, largest: number, measure: TitleMeasure): TitleFit {
  let last: TitleFit = { size: MIN_TITLE_SIZE, lines: [], whole: false };
  for (const size of TITLE_SIZES) {
    if (size > largest) continue;
    const lines = Math.floor(room.height / (size * LINE));
    if (lines < 1) continue;
    const width = (text: string) => measure(size, text);
    const { lines: all, cut } = wrapWords(title, room.width, width);
    if (all.length <= lines && !cut) return { size, lines: all, whole: true };
    if (all.length <= lines) {
      last = { size, lines: all, whole: false };
      continue;
    }
    const kept = all.slice(0, lines);
    kept[lines - 1] = withEllipsis(kept[lines - 1] ?? '', room.width, width);
    last = { size, lines: kept, whole: false };
  }
  return last;
}

/** `text` and an ellipsis, cut from its end until they fit `room`. */
export function withEllipsis(text: string, room: number, width: (text: string) => number): string {
  let end = text.endsWith('…') ? text : `${text}…`;
  while (end.length > 1 && width(end) > room) end = `${end.slice(0, -2)}…`;
  return end;
}

/**
 * Words onto lines no wider than `room`, breaking only between words. A word wider than a line has
 * a line of its own, cut with an ellipsis (`cut`): "Internationalise" is never split over two lines.
 */
export function wrapWords(text: string, room: number, width: (text: string) => number): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  let line = '';
  let cut = false;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (width(candidate) <= room) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    if (width(word) <= room) line = word;
    else {
      cut = true;
      lines.push(withEllipsis(word, room, width));
      line = '';
    }
  }
  if (line) lines.push(line);
  return { lines, cut };
}
