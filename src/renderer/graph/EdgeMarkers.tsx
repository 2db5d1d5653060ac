import { memo } from 'react';

/** Marker ids the dependency edges refer to by name (see view/EdgeLayer.tsx); colours come from the theme. */
export const ARROW_OPEN_ID = 'wg-arrow-open';
export const ARROW_SATISFIED_ID = 'wg-arrow-satisfied';
export const ARROW_SELECTED_ID = 'wg-arrow-selected';

/** The arrowheads, defined once for every edge. */
export const EdgeMarkers = memo(function EdgeMarkers() {
  return (
    <svg className="wg-edge-markers" aria-hidden="true">
      <defs>
        {[ARROW_OPEN_ID, ARROW_SATISFIED_ID, ARROW_SELECTED_ID].map((id) => (
          <marker
            key={id}
            id={id}
            className={id}
            markerWidth="12"
            markerHeight="12"
            viewBox="-10 -10 20 20"
            markerUnits="userSpaceOnUse"
            orient="auto-start-reverse"
            refX="0"
            refY="0"
          >
            <polyline strokeLinecap="round" strokeLinejoin="round" points="-7,-5 0,0 -7,5 -7,-5" />
          </marker>
        ))}
      </defs>
    </svg>
  );
});
