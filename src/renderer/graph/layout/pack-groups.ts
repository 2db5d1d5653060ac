import type { XY } from './layout-types';

export const GROUP_GAP = 96;
/** The canvas is arranged about this much wider than tall (a desktop window's shape). */
const ASPECT = 1.6;

export interface GroupSize {
  anchor: string;
  width: number;
  height: number;
  /** Where the group's tasks were before, for a group that is new since then (a split-off part). */
  hint?: XY;
  /** Where the group must go, before its old corner: a component laid out again, aligned with its old self. */
  corner?: XY;
}

/** Top-left corner of each group by anchor. */
export type Placement = ReadonlyMap<string, XY>;

/**
 * Arranges groups on the canvas. The first time, in rows (left to right, then down) about as wide
 * as ASPECT asks. Afterwards every group keeps its corner, a group new since then goes where its
 * tasks were (or below everything), and where a group grew into another, only that other one
 * moves (right within its row, else down), and so on: an edit moves nothing it does not touch.
 */
export function packGroups(groups: readonly GroupSize[], previous: Placement | null, rowWidth?: number): Map<string, XY> {
  if (!previous || previous.size === 0) return packRows(groups, 0, rowWidth);
  const settled: Array<{ anchor: string; x: number; y: number; width: number; height: number }> = [];
  const fresh: GroupSize[] = [];
  for (const group of groups) {
    const corner = group.corner ?? previous.get(group.anchor) ?? group.hint;
    if (corner) settled.push({ anchor: group.anchor, x: corner.x, y: corner.y, width: group.width, height: group.height });
    else fresh.push(group);
  }
  settled.sort((a, b) => a.y - b.y || a.x - b.x);
  const placed: typeof settled = [];
  for (const box of settled) {
    for (let moved = true; moved; ) {
      moved = false;
      for (const other of placed) {
        if (!overlaps(box, other)) continue;
        // A group that starts right of the other one moves right along its row; one under it, down.
        if (box.x > other.x) box.x = other.x + other.width + GROUP_GAP;
        else box.y = other.y + other.height + GROUP_GAP;
        moved = true;
      }
    }
    placed.push(box);
  }
  const result = new Map<string, XY>(placed.map((box) => [box.anchor, { x: box.x, y: box.y }]));
  if (fresh.length > 0) {
    let bottom = 0;
    for (const box of placed) bottom = Math.max(bottom, box.y + box.height + GROUP_GAP);
    for (const [anchor, corner] of packRows(fresh, bottom)) result.set(anchor, corner);
  }
  return result;
}

/** Rows of about the canvas's shape, or as wide as `width` asks (a lens: one readable screen's width). */
function packRows(groups: readonly GroupSize[], top: number, width?: number): Map<string, XY> {
  let area = 0;
  let widest = 0;
  for (const group of groups) {
    area += (group.width + GROUP_GAP) * (group.height + GROUP_GAP);
    widest = Math.max(widest, group.width);
  }
  const rowWidth = Math.max(widest, width ?? Math.sqrt(area * ASPECT));
  const result = new Map<string, XY>();
  let x = 0;
  let y = top;
  let rowHeight = 0;
  for (const group of groups) {
    if (x > 0 && x + group.width > rowWidth) {
      x = 0;
      y += rowHeight + GROUP_GAP;
      rowHeight = 0;
    }
    result.set(group.anchor, { x, y });
    x += group.width + GROUP_GAP;
    rowHeight = Math.max(rowHeight, group.height);
  }
  return result;
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  const gap = GROUP_GAP / 2;
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}
