import { ViewportPortal } from '@xyflow/react';
import type { Box } from '../layout/layout-types';

/** How far beyond the graph the dots go (canvas pixels): the view can be panned past its edge. */
const MARGIN = 4000;
/** The dots' spacing (canvas pixels); the element's corner sits on it, so dots stay put when the graph grows. */
const GAP = 24;
const snap = (value: number) => Math.floor(value / GAP) * GAP;

/**
 * The dotted canvas behind the cards, as one element inside the viewport that moves with it. React
 * Flow's <Background> redraws its pattern on every frame of a pan, and that one change made the
 * browser repaint and re-layer the whole graph each frame; this one is moved by the compositor.
 */
export function DotGrid({ bounds }: { bounds: Box }) {
  const left = snap(bounds.x - MARGIN);
  const top = snap(bounds.y - MARGIN);
  const style = { left, top, width: bounds.x + bounds.width + MARGIN - left, height: bounds.y + bounds.height + MARGIN - top };
  return (
    <ViewportPortal>
      <div className="dot-grid" style={style} aria-hidden="true" />
    </ViewportPortal>
  );
}
