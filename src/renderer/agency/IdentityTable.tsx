import { useEffect, useRef, useState } from 'react';
import { shortHash, type IdentityView } from '../../shared/agency';
import { ConfirmButton } from '../components/ConfirmButton';
import { AverageScore, DimensionBars } from './PerformanceView';

interface IdentityTableProps {
  identities: readonly IdentityView[];
  /** Shown expanded and scrolled to (a link from a card or the inspector). */
  selected: string | null;
  busy: boolean;
  onRemove: (identity: IdentityView) => void;
}

/** Agent identities with their role, tradeoff, task count and average score; a row opens to a bar per dimension. */
export function IdentityTable({ identities, selected, busy, onRemove }: IdentityTableProps) {
  const [open, setOpen] = useState<string | null>(selected);
  const selectedRow = useRef<HTMLTableRowElement | null>(null);
  useEffect(() => {
    if (!selected) return;
    setOpen(selected);
    selectedRow.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);

  return (
    <table className="table" aria-label="Agents">
      <thead>
        <tr>
          <th>Agent</th>
          <th>Role</th>
          <th>Tradeoff</th>
          <th className="num">Tasks</th>
          <th className="score-col">Average score</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {identities.flatMap((identity) => {
          const expanded = open === identity.id;
          const rows = [
            <tr
              key={identity.id}
              data-identity={identity.id}
              ref={identity.id === selected ? selectedRow : undefined}
              className={identity.id === selected ? 'selected-row' : undefined}
            >
              <td>
                <strong>{identity.name}</strong>{' '}
                <code className="identity-hash" title={identity.id}>
                  {shortHash(identity.id)}
                </code>
                {identity.special && <span className="badge">special</span>}
                {identity.model && (
                  <span className="badge" title="preferred model">
                    {identity.model}
                  </span>
                )}
              </td>
              <td>{identity.role_name ?? <span className="muted">missing role</span>}</td>
              <td>{identity.tradeoff_name ?? <span className="muted">missing tradeoff</span>}</td>
              <td className="num">{identity.performance.tasks}</td>
              <td className="score-col">
                <AverageScore performance={identity.performance} label={`${identity.name} average score`} />
              </td>
              <td>
                <div className="row-actions">
                  <button
                    type="button"
                    className="small-button"
                    aria-expanded={expanded}
                    onClick={() => setOpen(expanded ? null : identity.id)}
                  >
                    Scores
                  </button>
                  <ConfirmButton
                    label="Remove"
                    question={`Remove ${identity.name}?`}
                    disabled={busy}
                    onConfirm={() => onRemove(identity)}
                  />
                </div>
              </td>
            </tr>,
          ];
          if (expanded) {
            rows.push(
              <tr key={`${identity.id}-scores`} className="detail-row">
                <td colSpan={6}>
                  <DimensionBars performance={identity.performance} />
                </td>
              </tr>,
            );
          }
          return rows;
        })}
      </tbody>
    </table>
  );
}
