import { ViewportPortal } from '@xyflow/react';
import { memo, type KeyboardEvent } from 'react';
import { ARROW_OPEN_ID, ARROW_SATISFIED_ID, ARROW_SELECTED_ID } from '../EdgeMarkers';
import { routePath, type SceneEdge } from './scene';

interface EdgeLayerProps {
  edges: readonly SceneEdge[];
  satisfied: (source: string) => boolean;
  title: (id: string) => string;
  selected: string | null;
  onSelect: (id: string | null) => void;
  onDelete: (edge: SceneEdge) => void;
}

/**
 * The dependency edges on screen at card zoom, along ELK's routes (which go around cards, never
 * under them). Drawn below the cards but placed after them in the page, so Tab reaches the cards
 * first; each edge is focusable, Delete removes it (with Undo), Enter selects it.
 */
export function EdgeLayer({ edges, satisfied, title, selected, onSelect, onDelete }: EdgeLayerProps) {
  return (
    <ViewportPortal>
      {/* biome-ignore lint/a11y/useSemanticElements: SVG has no <fieldset>; a role is how SVG content says what it is */}
      <svg className="dep-edges" role="group" aria-label="Dependencies">
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
      className={`dep-edge${satisfied ? ' dep-satisfied' : ''}${selected ? ' selected' : ''}`}
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
