import { Panel, useReactFlow } from '@xyflow/react';
import type { ViewControl } from './view/view-control-types';
import { viewMoveMs } from './view/view-motion';

/**
 * Zoom, fit (every task), where work happens (readable), and the overview map, as labelled buttons. Zoom in is the
 * canvas's own (`onZoomIn`: into the stage in the middle of the stage map, use-stage-zoom.ts).
 */
export function GraphControls({
  view,
  miniMap,
  onToggleMiniMap,
  onZoomIn,
}: {
  view: ViewControl;
  miniMap: boolean;
  onToggleMiniMap: () => void;
  onZoomIn: () => void;
}) {
  const flow = useReactFlow();
  return (
    <Panel position="bottom-left" className="wg-controls" aria-label="View">
      <button type="button" aria-label="Zoom in" title="Zoom in" onClick={onZoomIn}>
        +
      </button>
      <button type="button" aria-label="Zoom out" title="Zoom out" onClick={() => void flow.zoomOut({ duration: viewMoveMs(150) })}>
        −
      </button>
      <button type="button" aria-label="Fit view: every task" title="Fit: every task in view, however far out (F)" onClick={view.fit}>
        Fit
      </button>
      <button
        type="button"
        aria-label="Work: where work happens, readable"
        title="Where work happens (needs you, failed, running, the next ready), at a readable size, within the tag and Hide finished you chose (W)"
        onClick={view.work}
      >
        Work
      </button>
      <button
        type="button"
        aria-label="Overview map"
        aria-pressed={miniMap}
        title={miniMap ? 'Hide the overview map' : 'Show the overview map'}
        onClick={onToggleMiniMap}
      >
        Map
      </button>
    </Panel>
  );
}
