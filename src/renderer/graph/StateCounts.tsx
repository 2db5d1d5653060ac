import type { CSSProperties } from 'react';
import { STATE_KINDS, STATE_LABELS, type StateKind } from '../task-state/task-state';

interface StateCountsProps {
  counts: Record<StateKind, number>;
  selected: ReadonlySet<StateKind>;
  onToggle: (kind: StateKind) => void;
}

/** How many tasks are in each state; a click shows only those (several can be combined). */
export function StateCounts({ counts, selected, onToggle }: StateCountsProps) {
  return (
    <fieldset className="state-counts" aria-label="Show tasks by state">
      {STATE_KINDS.filter((kind) => counts[kind] > 0 || selected.has(kind)).map((kind) => (
        <button
          key={kind}
          type="button"
          className="state-chip"
          data-state={kind}
          aria-pressed={selected.has(kind)}
          style={{ '--state': `var(--state-${kind})` } as CSSProperties}
          onClick={() => onToggle(kind)}
          title={selected.has(kind) ? `Show all states again` : `Show only ${STATE_LABELS[kind]} tasks`}
        >
          <span className="state-chip-count">{counts[kind]}</span> {STATE_LABELS[kind]}
        </button>
      ))}
    </fieldset>
  );
}
