import { BY_URGENCY, type StateKind } from '../task-state/task-state';

/**
 * The chips shown in a row `room` px wide (each chip's width, `gap` between them), the rest left to a menu
 * `menuWidth` wide: the most urgent stay (BY_URGENCY, the order a cluster writes its counts in), finished work goes
 * to the menu first. A pressed chip is always shown: it says what the view shows now. Returns the kinds shown.
 */
export function chipsThatFit(
  widths: ReadonlyMap<StateKind, number>,
  room: number,
  gap: number,
  menuWidth: number,
  pressed: ReadonlySet<string>,
): Set<StateKind> {
  const kinds = [...widths.keys()];
  const total = kinds.reduce((sum, kind) => sum + (widths.get(kind) ?? 0), 0) + gap * Math.max(0, kinds.length - 1);
  if (total <= room) return new Set(kinds);
  const order = [...kinds].sort((a, b) => rank(a, pressed) - rank(b, pressed));
  const shown = new Set<StateKind>();
  let used = menuWidth;
  for (const kind of order) {
    const width = (widths.get(kind) ?? 0) + gap;
    if (used + width > room && !pressed.has(kind)) break;
    shown.add(kind);
    used += width;
  }
  return shown;
}

function rank(kind: StateKind, pressed: ReadonlySet<string>): number {
  return (pressed.has(kind) ? -BY_URGENCY.length : 0) + BY_URGENCY.indexOf(kind);
}
