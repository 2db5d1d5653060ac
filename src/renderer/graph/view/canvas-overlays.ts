import type { Box } from '../layout/layout-types';

/** The panels lying over the canvas (view controls, minimap), in canvas pixels: views leave them room. */
export function overlaysIn(root: HTMLElement | null): Box[] {
  if (!root) return [];
  const origin = root.getBoundingClientRect();
  return [...root.querySelectorAll('.react-flow__panel')].map((panel) => {
    const r = panel.getBoundingClientRect();
    return { x: r.left - origin.left, y: r.top - origin.top, width: r.width, height: r.height };
  });
}
