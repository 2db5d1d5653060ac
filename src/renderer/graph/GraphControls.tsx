import { Panel, useReactFlow } from '@xyflow/react';
import type { ViewControl } from './view/use-view-control';

/** Zoom, fit at a readable size, the whole graph, and the overview map, as labelled buttons. */
export function GraphControls({ view, miniMap, onToggleMiniMap }: { view: ViewControl; miniMap: boolean; onToggleMiniMap: () => void }) {
  const flow = useReactFlow();
  return (
    <Panel position="bottom-left" className="wg-controls" aria-label="View">
      <button type="button" aria-label="Zoom in" title="Zoom in" onClick={() => void flow.zoomIn({ duration: 150 })}>
        +
      </button>
      <button type="button" aria-label="Zoom out" title="Zoom out" onClick={() => void flow.zoomOut({ duration: 150 })}>
        −
      </button>
      <button
        type="button"
        aria-label="Fit view"
        title="Fit at a readable size (where work happens, on a big graph) (F)"
        onClick={view.fit}
      >
        Fit
      </button>
      <button type="button" aria-label="All: show the whole graph" title="The whole graph, however far out (A)" onClick={view.overview}>
        All
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
