import type { Box, XY } from '../layout/layout-types';
import { MAX_ZOOM, MIN_ZOOM, READABLE_ZOOM } from './zoom-levels';

export interface ViewportValue {
  x: number;
  y: number;
  zoom: number;
}

export interface CanvasArea {
  width: number;
  height: number;
  /** Width covered on the right by the inspector, which lies over the canvas. */
  coveredRight: number;
}

const PADDING = 40;

/** The viewport showing `box` whole in the uncovered part of the canvas, the zoom kept between the limits. */
export function fitBox(box: Box, area: CanvasArea, limits: { min: number; max: number }): ViewportValue {
  const width = Math.max(1, area.width - area.coveredRight);
  const zoom = clamp(
    Math.min((width - 2 * PADDING) / Math.max(1, box.width), (area.height - 2 * PADDING) / Math.max(1, box.height)),
    Math.max(MIN_ZOOM, limits.min),
    Math.min(MAX_ZOOM, limits.max),
  );
  return centreOn({ x: box.x + box.width / 2, y: box.y + box.height / 2 }, zoom, area);
}

/** Whether `box` can be shown whole at a readable zoom. */
export function fitsReadably(box: Box, area: CanvasArea): boolean {
  const width = Math.max(1, area.width - area.coveredRight);
  return box.width * READABLE_ZOOM <= width - 2 * PADDING && box.height * READABLE_ZOOM <= area.height - 2 * PADDING;
}

export function centreOn(point: XY, zoom: number, area: CanvasArea): ViewportValue {
  const width = area.width - area.coveredRight;
  return { x: width / 2 - point.x * zoom, y: area.height / 2 - point.y * zoom, zoom };
}

/** The smallest box holding the given cards. */
export function boxAround(positions: readonly XY[], size: { width: number; height: number }): Box | null {
  if (positions.length === 0) return null;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const p of positions) {
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x + size.width);
    bottom = Math.max(bottom, p.y + size.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The smallest viewport move that brings a card fully into the uncovered part of the canvas
 * (null when it is already there): selecting a card never leaves it under the inspector.
 */
export function revealBox(box: Box, view: ViewportValue, area: CanvasArea, margin = 24): ViewportValue | null {
  const left = box.x * view.zoom + view.x;
  const top = box.y * view.zoom + view.y;
  const right = left + box.width * view.zoom;
  const bottom = top + box.height * view.zoom;
  const maxRight = area.width - area.coveredRight - margin;
  let dx = 0;
  let dy = 0;
  if (right > maxRight) dx = maxRight - right;
  if (left + dx < margin) dx = margin - left;
  if (bottom > area.height - margin) dy = area.height - margin - bottom;
  if (top + dy < margin) dy = margin - top;
  if (dx === 0 && dy === 0) return null;
  return { x: view.x + dx, y: view.y + dy, zoom: view.zoom };
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
