import { shortHash, type RoleView, type TradeoffView } from '../../shared/agency';
import { ConfirmButton } from '../components/ConfirmButton';
import { AverageScore } from './PerformanceView';

interface RoleTableProps {
  roles: readonly RoleView[];
  busy: boolean;
  onEdit: (role: RoleView) => void;
  onRemove: (role: RoleView) => void;
}

/** Roles: skills, desired outcome, tasks and average score. */
export function RoleTable({ roles, busy, onEdit, onRemove }: RoleTableProps) {
  return (
    <table className="table" aria-label="Roles">
      <thead>
        <tr>
          <th>Role</th>
          <th>Skills</th>
          <th>Desired outcome</th>
          <th className="num">Tasks</th>
          <th className="score-col">Average score</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {roles.map((role) => (
          <tr key={role.id} data-role={role.id}>
            <td title={role.description}>
              <strong>{role.name}</strong>{' '}
              <code className="identity-hash" title={role.id}>
                {shortHash(role.id)}
              </code>
              {role.special && <span className="badge">special</span>}
            </td>
            <td className="small">{role.skills.map((s) => s.name).join(', ') || '—'}</td>
            <td className="small">{role.outcome}</td>
            <td className="num">{role.performance.tasks}</td>
            <td className="score-col">
              <AverageScore performance={role.performance} label={`${role.name} average score`} />
            </td>
            <td>
              <div className="row-actions">
                <button type="button" className="small-button" onClick={() => onEdit(role)}>
                  Edit
                </button>
                <ConfirmButton label="Remove" question={`Remove ${role.name}?`} disabled={busy} onConfirm={() => onRemove(role)} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Tradeoffs: what each accepts and refuses, and how agents built on it score. */
export function TradeoffTable({
  tradeoffs,
  busy,
  onRemove,
}: {
  tradeoffs: readonly TradeoffView[];
  busy: boolean;
  onRemove: (t: TradeoffView) => void;
}) {
  return (
    <table className="table" aria-label="Tradeoffs">
      <thead>
        <tr>
          <th>Tradeoff</th>
          <th>Acceptable</th>
          <th>Unacceptable</th>
          <th className="score-col">Average score</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {tradeoffs.map((t) => (
          <tr key={t.id} data-tradeoff={t.id}>
            <td title={t.description}>
              <strong>{t.name}</strong>{' '}
              <code className="identity-hash" title={t.id}>
                {shortHash(t.id)}
              </code>
              {t.special && <span className="badge">special</span>}
            </td>
            <td className="small">{t.acceptable.join('; ') || '—'}</td>
            <td className="small">{t.unacceptable.join('; ') || '—'}</td>
            <td className="score-col">
              <AverageScore performance={t.performance} label={`${t.name} average score`} />
            </td>
            <td>
              <div className="row-actions">
                <ConfirmButton label="Remove" question={`Remove ${t.name}?`} disabled={busy} onConfirm={() => onRemove(t)} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
