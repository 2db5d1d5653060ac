import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is saved between runs: the normal (un-maximized) bounds and whether it was maximized. */
export interface SavedWindowState {
  bounds: Rect;
  maximized: boolean;
}

export interface WindowPlacement {
  /** Absent x/y means "let the system center it". */
  bounds: { width: number; height: number; x?: number; y?: number };
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 720, height: 480 };
/** How much of the window's top strip (where the title bar is) must land on a display to be reachable. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 32;

const finite = z.number().refine(Number.isFinite);
const savedSchema = z.object({
  bounds: z.object({ x: finite, y: finite, width: finite, height: finite }),
  maximized: z.boolean().optional(),
});

/**
 * Where to open the window, from what was saved (any JSON, maybe stale or corrupt) and the work
 * areas of the displays connected now. A window whose title bar would be off every display (a
 * monitor was unplugged, resolution changed) is opened at the default size, centered.
 */
export function placeWindow(saved: unknown, workAreas: readonly Rect[]): WindowPlacement {
  const parsed = savedSchema.safeParse(saved);
  const fallback: WindowPlacement = { bounds: { ...DEFAULT_SIZE }, maximized: parsed.success && parsed.data.maximized === true };
  if (!parsed.success || workAreas.length === 0) return fallback;
  const wanted = parsed.data.bounds;
  const area = workAreas.find((candidate) => titleBarVisible(wanted, candidate));
  if (!area) return fallback;
  // Shrink to the display it is on (a window larger than its screen cannot be moved by its title bar),
  // never below the minimum, then pull it back so it starts inside the display.
  const width = Math.round(clamp(wanted.width, MIN_SIZE.width, Math.max(MIN_SIZE.width, area.width)));
  const height = Math.round(clamp(wanted.height, MIN_SIZE.height, Math.max(MIN_SIZE.height, area.height)));
  const x = Math.round(clamp(wanted.x, area.x, area.x + area.width - width));
  const y = Math.round(clamp(wanted.y, area.y, area.y + area.height - height));
  return { bounds: { x, y, width, height }, maximized: parsed.data.maximized === true };
}

function titleBarVisible(window: Rect, area: Rect): boolean {
  const strip: Rect = { x: window.x, y: window.y, width: window.width, height: Math.min(GRAB_HEIGHT, window.height) };
  const overlapX = Math.min(strip.x + strip.width, area.x + area.width) - Math.max(strip.x, area.x);
  const overlapY = Math.min(strip.y + strip.height, area.y + area.height) - Math.max(strip.y, area.y);
  return overlapX >= Math.min(GRAB_WIDTH, window.width) && overlapY >= Math.min(GRAB_HEIGHT / 2, strip.height);
}

/** Clamp that prefers `min` when the range is empty (max < min). */
function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(value, max));
}
