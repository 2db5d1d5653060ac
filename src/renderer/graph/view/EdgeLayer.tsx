import { ViewportPortal } from '@xyflow/react';
import { memo, useMemo, useRef, type KeyboardEvent } from 'react';
import type { XY } from '../layout/layout-types';
import { ARROW_OPEN_ID, ARROW_SATISFIED_ID, ARROW_SELECTED_ID } from '../EdgeMarkers';
import { routePath, type SceneEdge } from './scene';

interface EdgeLayerProps {
  edges: readonly SceneEdge[];
  /** A hub's many edges (see splitAtHubs): drawn as four paths, not an element each. */
  bundled: readonly SceneEdge[];
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
export function EdgeLayer({ edges, bundled, satisfied, title, selected, onSelect, onDelete }: EdgeLayerProps) {
  return (
    <ViewportPortal>
      {/* biome-ignore lint/a11y/useSemanticElements: SVG has no <fieldset>; a role is how SVG content says what it is */}
      <svg className="dep-edges" role="group" aria-label="Dependencies">
        {bundled.length > 0 && <EdgeBundle edges={bundled} satisfied={satisfied} />}
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

/** Many edges as four paths: the open and the satisfied ones' lines, and their arrowheads. */
const EdgeBundle = memo(function EdgeBundle({ edges, satisfied }: { edges: readonly SceneEdge[]; satisfied: (source: string) => boolean }) {
  // The same edges as last time (the view moved along a hub's edges): the same paths, nothing redrawn.
  const last = useRef<{ edges: ReadonlySet<SceneEdge>; satisfied: unknown; paths: BundlePaths } | null>(null);
  const paths = useMemo(() => {
    const before = last.current;
    if (before && before.satisfied === satisfied && before.edges.size === edges.length && edges.every((edge) => before.edges.has(edge)))
      return before.paths;
    const open: BundlePath[] = [];
    const done: BundlePath[] = [];
    for (const edge of edges) (satisfied(edge.source) ? done : open).push(bundlePath(edge));
    const join = (paths: BundlePath[], part: keyof BundlePath) => paths.map((path) => path[part]).join('');
    const made = {
      openLines: join(open, 'line'),
      doneLines: join(done, 'line'),
      openHeads: join(open, 'head'),
      doneHeads: join(done, 'head'),
    };
    last.current = { edges: new Set(edges), satisfied, paths: made };
    return made;
  }, [edges, satisfied]);
  return (
    // biome-ignore lint/a11y/noAriaHiddenOnFocusable: this <g> has no tabIndex and takes no focus; its edges are reached from their cards
    <g className="dep-bundle" aria-hidden="true" data-edges={edges.length}>
      <path className="dep-bundle-line" d={paths.openLines} />
      <path className="dep-bundle-line dep-satisfied" d={paths.doneLines} />
      <path className="dep-bundle-head" d={paths.openHeads} />
      <path className="dep-bundle-head dep-satisfied" d={paths.doneHeads} />
    </g>
  );
});

interface BundlePaths {
  openLines: string;
  doneLines: string;
  openHeads: string;
  doneHeads: string;
}

interface BundlePath {
  line: string;
  head: string;
}

/** Each edge's path data, kept with the edge (the scene keeps its edges): panning a hub's edges redraws the same ones. */
const bundlePaths = new WeakMap<SceneEdge, BundlePath>();
function bundlePath(edge: SceneEdge): BundlePath {
  let path = bundlePaths.get(edge);
  if (!path) {
    path = { line: routePath(edge.points), head: arrowHead(edge.points) };
    bundlePaths.set(edge, path);
  }
  return path;
}

/** The arrowhead the single edges' marker draws (EdgeMarkers), at the route's end along its last leg. */
function arrowHead(points: readonly XY[]): string {
  const end = points[points.length - 1];
  const before = points[points.length - 2];
  if (!end || !before) return '';
  const length = Math.hypot(end.x - before.x, end.y - before.y) || 1;
  const ux = (end.x - before.x) / length;
  const uy = (end.y - before.y) / length;
  const bx = end.x - 7 * ux;
  const by = end.y - 7 * uy;
  return `M${bx - 5 * uy},${by + 5 * ux}L${end.x},${end.y}L${bx + 5 * uy},${by - 5 * ux}Z`;
}
