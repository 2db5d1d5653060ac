import { ViewportPortal } from '@xyflow/react';
import { memo, type KeyboardEvent } from 'react';
import { ARROW_OPEN_ID, ARROW_SATISFIED_ID, ARROW_SELECTED_ID } from '../EdgeMarkers';
import type { Box } from '../layout/layout-types';
import { BAND_HEIGHT, type BundleBand } from './bundle-bands';
import { routePath, type SceneEdge } from './scene';
import { useBundleBands } from './use-bundle-bands';

interface EdgeLayerProps {
  edges: readonly SceneEdge[];
  /** A hub's many edges (see splitAtHubs): drawn together in bands of the canvas, not an element each. */
  bundled: readonly SceneEdge[];
  /** The part of the canvas the page holds elements for (the draw window): the bundle's bands there are drawn. */
  reach: Box;
  satisfied: (source: string) => boolean;
  title: (id: string) => string;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onDelete: (edge: SceneEdge) => void;
}

/**
 * The dependency edges on screen at card zoom, along the layout's routes (which go around cards, never
 * under them). Drawn below the cards but placed after them in the page, so Tab reaches the cards
 * first; each edge is focusable, Delete removes it (with Undo), Enter selects it. A hub's edges
 * beyond the cards around the screen are drawn together (a fan's thousands would make the page too
 * heavy to pan); each of them is reached from a card at its other end, or from the hub's inspector.
 */
export function EdgeLayer({ edges, bundled, reach, satisfied, title, selected, onSelect, onDelete }: EdgeLayerProps) {
  return (
    <ViewportPortal>
      {/* biome-ignore lint/a11y/useSemanticElements: SVG has no <fieldset>; a role is how SVG content says what it is */}
      <svg className="dep-edges" role="group" aria-label="Dependencies">
        {bundled.length > 0 && <EdgeBundle edges={bundled} satisfied={satisfied} reach={reach} />}
        {edges.map((edge) => (
          <EdgeView
            key={edge.id}
            edge={edge}
            satisfied={satisfied(edge.source)}
            selected={selected === edge.id}
            label={`${title(edge.target)} depends on ${title(edge.source)}`}
            onSelect={onSelect}
            onDelete={onDelete}
          />
        ))}
      </svg>
    </ViewportPortal>
  );
}

interface EdgeViewProps {
  edge: SceneEdge;
  satisfied: boolean;
  selected: boolean;
  label: string;
  onSelect: (id: string | null) => void;
  onDelete: (edge: SceneEdge) => void;
}

const EdgeView = memo(function EdgeView({ edge, satisfied, selected, label, onSelect, onDelete }: EdgeViewProps) {
  const d = routePath(edge.points);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      onDelete(edge);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(selected ? null : edge.id);
    }
  };
  const marker = selected ? ARROW_SELECTED_ID : satisfied ? ARROW_SATISFIED_ID : ARROW_OPEN_ID;
  return (
    // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; a focusable <g> with the role is how an SVG shape becomes one
    <g
      className={`dep-edge${satisfied ? ' dep-satisfied' : ''}${selected ? ' selected' : ''}${edge.unrouted ? ' dep-unrouted' : ''}`}
      data-id={edge.id}
      tabIndex={0}
      role="button"
      aria-label={label}
      aria-pressed={selected}
      onClick={(event) => {
        event.stopPropagation();
        onSelect(selected ? null : edge.id);
      }}
      onKeyDown={onKeyDown}
    >
      <path className="dep-edge-hit" d={d} />
      <path className="dep-edge-line" d={d} markerEnd={`url(#${marker})`} />
    </g>
  );
});

/**
 * Many edges drawn together, in bands of the canvas (bundleBands): only the bands the draw window reaches are in the
 * page, each as four paths (the open and the satisfied edges' lines and arrowheads).
 */
const EdgeBundle = memo(function EdgeBundle({
  edges,
  satisfied,
  reach,
}: {
  edges: readonly SceneEdge[];
  satisfied: (source: string) => boolean;
  reach: Box;
}) {
  const bands = useBundleBands(edges, satisfied);
  const shown: number[] = [];
  for (let at = Math.floor(reach.y / BAND_HEIGHT); at * BAND_HEIGHT <= reach.y + reach.height; at++) shown.push(at);
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: this <g> has no tabIndex and takes no focus; its edges are reached from their cards
    <g className="dep-bundle" aria-hidden="true" data-edges={edges.length}>
      {bands && shown.map((at) => <BandPaths key={at} open={bands.open.get(at)} done={bands.done.get(at)} />)}
    </g>
  );
});

/** One band of a bundle: its path data is set again only when it changed (a band's data is parsed as a style). */
const BandPaths = memo(function BandPaths({ open, done }: { open: BundleBand | undefined; done: BundleBand | undefined }) {
  return (
    <>
      <path className="dep-bundle-line" d={open?.lines ?? ''} />
      <path className="dep-bundle-line dep-satisfied" d={done?.lines ?? ''} />
      <path className="dep-bundle-head" d={open?.heads ?? ''} />
      <path className="dep-bundle-head dep-satisfied" d={done?.heads ?? ''} />
    </>
  );
}, sameBands);

function sameBands(
  p: { open: BundleBand | undefined; done: BundleBand | undefined },
  q: { open: BundleBand | undefined; done: BundleBand | undefined },
): boolean {
  const same = (a: BundleBand | undefined, b: BundleBand | undefined) => a?.lines === b?.lines && a?.heads === b?.heads;
  return same(p.open, q.open) && same(p.done, q.done);
}
