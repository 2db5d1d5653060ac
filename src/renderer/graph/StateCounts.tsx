import type { CSSProperties } from 'react';
import { STATE_KINDS, STATE_LABELS, type StateKind } from '../task-state/task-state';

interface StateCountsProps {
  counts: Record<StateKind, number>;
  /** The states whose tasks are shown by themselves now: by a lens the view framed, or the board's filter. */
  pressed: ReadonlySet<string>;
  onFrame: (kind: StateKind) => void;
}

/** How many tasks are in each state; a click frames them (where they are, or by themselves with their neighbours), on the board shows only them. */
export function StateCounts({ counts, pressed, onFrame }: StateCountsProps) {
  return (
    <fieldset className="state-counts" aria-label="Show tasks by state">
      {STATE_KINDS.filter((kind) => counts[kind] > 0).map((kind) => (
        <button
          key={kind}
          type="button"
          className="state-chip"
          data-state={kind}
          aria-pressed={pressed.has(kind)}
          style={{ '--state': `var(--state-${kind})` } as CSSProperties}
          onClick={() => onFrame(kind)}
          title={`Show the ${STATE_LABELS[kind]} tasks`}
        >
          <span className="state-chip-count">{counts[kind]}</span> {STATE_LABELS[kind]}
        </button>
      ))}
    </fieldset>
  );
}
