import { shortHash, type IdentityView, type RoleView, type TradeoffView } from '../../shared/agency';
import { ConfirmButton } from '../components/ConfirmButton';
import { AverageScore } from './PerformanceView';

/**
 * The question before removing a role or tradeoff: the agents made of it stay, showing "missing role"
 * (or tradeoff) from then on, so how many there are is said before, not found out after.
 */
function removeQuestion(name: string, users: number, part: 'role' | 'tradeoff'): string {
  if (users === 0) return `Remove ${name}?`;
  const agents = users === 1 ? '1 agent uses it' : `${users} agents use it`;
  return `Remove ${name}? ${agents} and will show “missing ${part}”.`;
}

interface RoleTableProps {
  roles: readonly RoleView[];
  /** Every agent identity: how many are made of a role is said before it is removed. */
  identities: readonly IdentityView[];
  busy: boolean;
  onEdit: (role: RoleView) => void;
  onRemove: (role: RoleView) => void;
}

/** Roles: skills, desired outcome, tasks and average score. */
export function RoleTable({ roles, identities, busy, onEdit, onRemove }: RoleTableProps) {
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
                <ConfirmButton
                  label="Remove"
                  question={removeQuestion(role.name, identities.filter((i) => i.role_id === role.id).length, 'role')}
                  disabled={busy}
                  onConfirm={() => onRemove(role)}
                />
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
  identities,
  busy,
  onRemove,
}: {
  tradeoffs: readonly TradeoffView[];
  identities: readonly IdentityView[];
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
                <ConfirmButton
                  label="Remove"
                  question={removeQuestion(t.name, identities.filter((i) => i.tradeoff_id === t.id).length, 'tradeoff')}
                  disabled={busy}
                  onConfirm={() => onRemove(t)}
                />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
