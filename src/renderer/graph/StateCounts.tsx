import type { CSSProperties } from 'react';
import { STATE_KINDS, STATE_LABELS, type StateKind } from '../task-state/task-state';

interface StateCountsProps {
  counts: Record<StateKind, number>;
  /** The state whose tasks a lens shows by themselves now, if one does. */
  framed: string | null;
  onFrame: (kind: StateKind) => void;
}

/** How many tasks are in each state; a click frames them (where they are, or by themselves with their neighbours). */
export function StateCounts({ counts, framed, onFrame }: StateCountsProps) {
  return (
    <fieldset className="state-counts" aria-label="Show tasks by state">
      {STATE_KINDS.filter((kind) => counts[kind] > 0).map((kind) => (
        <button
          key={kind}
          type="button"
          className="state-chip"
          data-state={kind}
          aria-pressed={framed === kind}
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
