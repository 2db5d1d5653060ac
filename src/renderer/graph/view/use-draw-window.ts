import { useStore, type ReactFlowState } from '@xyflow/react';
import { useMemo } from 'react';
import type { Box } from '../layout/layout-types';
import { levelAt, type DrawLevel } from './zoom-levels';

/** The window is snapped to this grid, so panning re-renders the page only when it crosses a line. */
const SNAP = 600;
/** Cards this far beyond the screen (in screens) are in the page already when panned to. */
const MARGIN = 0.5;

function windowKey(state: ReactFlowState): string {
  const [x, y, zoom] = state.transform;
  const { width, height } = state;
  if (width === 0 || height === 0) return 'none';
  const level = levelAt(zoom);
  const w = width / zoom;
  const h = height / zoom;
  const left = Math.floor((-x / zoom - w * MARGIN) / SNAP) * SNAP;
  const top = Math.floor((-y / zoom - h * MARGIN) / SNAP) * SNAP;
  const right = Math.ceil((-x / zoom + w * (1 + MARGIN)) / SNAP) * SNAP;
  const bottom = Math.ceil((-y / zoom + h * (1 + MARGIN)) / SNAP) * SNAP;
  return `${level}|${left}|${top}|${right}|${bottom}`;
}

export interface DrawWindow {
  level: DrawLevel;
  /** The part of the canvas whose cards and edges are in the page (cards level only). */
  rect: Box;
}

/**
 * Which level the canvas is drawn at and which part of it has elements in the page. Changes only
 * when the view crosses a snap line or a level: the page does not re-render on every pan frame.
 */
export function useDrawWindow(): DrawWindow {
  const key = useStore(windowKey);
  return useMemo(() => {
    if (key === 'none') return { level: 'cards', rect: { x: 0, y: 0, width: 0, height: 0 } };
    const [level, left, top, right, bottom] = key.split('|');
    const l = Number(left);
    const t = Number(top);
    return { level: level as DrawLevel, rect: { x: l, y: t, width: Number(right) - l, height: Number(bottom) - t } };
  }, [key]);
}
