import { memo } from 'react';

/** Marker ids the dependency edges refer to by name (see flow-elements.ts). */
export const ARROW_OPEN_ID = 'wg-arrow-open';
export const ARROW_SATISFIED_ID = 'wg-arrow-satisfied';

const ARROWS = [
  { id: ARROW_OPEN_ID, colour: '#94a3b8' },
  { id: ARROW_SATISFIED_ID, colour: '#22c55e' },
];

/**
 * The two arrowheads, defined once. Edges name them as strings: with marker objects React Flow
 * derives an id from every edge's marker (sorting its keys) whenever the edge list changes, which
 * for 2,000 edges is a noticeable part of the first render and of every live update.
 * Same shape as React Flow's own closed arrow.
 */
export const EdgeMarkers = memo(function EdgeMarkers() {
  return (
    <svg className="wg-edge-markers" aria-hidden="true">
      <defs>
        {ARROWS.map(({ id, colour }) => (
          <marker
            key={id}
            id={id}
            className="react-flow__arrowhead"
            markerWidth="18"
            markerHeight="18"
            viewBox="-10 -10 20 20"
            markerUnits="strokeWidth"
            orient="auto-start-reverse"
            refX="0"
            refY="0"
          >
            <polyline
              style={{ stroke: colour, fill: colour, strokeWidth: 1 }}
              strokeLinecap="round"
              strokeLinejoin="round"
              points="-5,-4 0,0 -5,4 -5,-4"
            />
          </marker>
        ))}
      </defs>
    </svg>
  );
});
