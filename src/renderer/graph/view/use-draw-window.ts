import { useStore, type ReactFlowState } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import type { Box } from '../layout/layout-types';
import { CLUSTER_ZOOM, levelAt, type DrawLevel } from './zoom-levels';

/** The window is snapped to this grid, so panning re-renders the page only when it crosses a line. */
const SNAP = 600;
/** Cards this far beyond the screen (in screens) are in the page already when panned to. */
const MARGIN = 0.5;
/** How long the first picture may keep the window to the screen alone when the window stays busy. */
const WIDEN_WITHIN_MS = 400;

/**
 * `screen`: the screen itself, neither widened nor snapped (the first picture: only the cards a
 * person sees). `near`: the screen and MARGIN around it, snapped (every later one).
 */
export type WindowReach = 'screen' | 'near';

function windowKey(state: ReactFlowState, reach: WindowReach, clustersUpTo: number): string {
  const [x, y, zoom] = state.transform;
  const { width, height } = state;
  if (width === 0 || height === 0) return 'none';
  const level = levelAt(zoom, clustersUpTo);
  const w = width / zoom;
  const h = height / zoom;
  if (reach === 'screen') return `${level}|${-x / zoom}|${-y / zoom}|${-x / zoom + w}|${-y / zoom + h}`;
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
 * when the view crosses a snap line or a level: the page does not re-render on every pan frame
 * (except while the first picture's `screen` window lasts).
 */
export function useDrawWindow(reach: WindowReach = 'near', clustersUpTo = CLUSTER_ZOOM): DrawWindow {
  const key = useStore((state) => windowKey(state, reach, clustersUpTo));
  return useMemo(() => {
    if (key === 'none') return { level: 'cards', rect: { x: 0, y: 0, width: 0, height: 0 } };
    const [level, left, top, right, bottom] = key.split('|');
    const l = Number(left);
    const t = Number(top);
    return { level: level as DrawLevel, rect: { x: l, y: t, width: Number(right) - l, height: Number(bottom) - t } };
  }, [key]);
}

/**
 * `screen` until the first cards (`drawn`: in the page since the last render) have been painted,
 * then `near`. The first picture of a big graph has only the cards on screen to build, style and
 * paint (33 of the 100 of the usual window on the 2,000-task first view): they appear sooner, and
 * those around them follow once the browser has a moment (or within WIDEN_WITHIN_MS), before
 * anyone can pan to them.
 */
export function useFirstPictureReach(drawn: boolean): WindowReach {
  const [reach, setReach] = useState<WindowReach>('screen');
  useEffect(() => {
    if (!drawn || reach === 'near') return;
    const widen = () => setReach('near');
    // Requested from the next frame's callback, so that the idle time is after that frame's paint.
    let idle = 0;
    const frame = requestAnimationFrame(() => {
      idle =
        typeof requestIdleCallback === 'function' ? requestIdleCallback(widen, { timeout: WIDEN_WITHIN_MS }) : window.setTimeout(widen, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle);
      else window.clearTimeout(idle);
    };
  }, [drawn, reach]);
  return reach;
}
