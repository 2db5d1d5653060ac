import { useState, type FormEvent } from 'react';
import type { ModelRegistry } from '../../../shared/config-types';
import { useClient } from '../../api/backend-context';
import { validateOp } from '../../api/validate-op';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { useFormErrors } from '../../hooks/use-form-errors';

/** Roles the coordinator asks a model for; others can be typed in. */
const KNOWN_ROLES = ['evaluator', 'triage', 'coordinator', 'planner'];

/** Which model serves each role (`model:setRole`). */
export function RoleRouting({ registry, onChanged }: { registry: ModelRegistry; onChanged: () => void }) {
  const client = useClient();
  const form = useFormErrors(['role', 'name']);
  const [role, setRole] = useState('');
  const [name, setName] = useState(registry.default ?? registry.models[0]?.name ?? '');
  const routes = Object.entries(registry.roles).sort(([a], [b]) => a.localeCompare(b));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { role: role.trim(), name };
    if (await form.submit(validateOp('model:setRole', input), () => client['model:setRole'](input))) {
      setRole('');
      onChanged();
    }
  };

  return (
    <form className="card" aria-label="Role routing" onSubmit={(e) => void submit(e)}>
      <h2>Role routing</h2>
      {routes.length === 0 ? (
        <p className="muted">No roles routed; every role uses the default model ({registry.default ?? 'none'}).</p>
      ) : (
        <table className="table compact" aria-label="Roles">
          <tbody>
            {routes.map(([routeRole, model]) => (
              <tr key={routeRole}>
                <td>{routeRole}</td>
                <td>→ {model}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="field-row">
        <Field label="Role" error={form.errorOf('role')}>
          <input value={role} onChange={(e) => setRole(e.target.value)} list="known-roles" />
        </Field>
        <Field label="Model" error={form.errorOf('name')}>
          <select value={name} onChange={(e) => setName(e.target.value)}>
            {registry.models.map((model) => (
              <option key={model.name}>{model.name}</option>
            ))}
          </select>
        </Field>
      </div>
      <datalist id="known-roles">
        {KNOWN_ROLES.map((known) => (
          <option key={known} value={known} />
        ))}
      </datalist>
      <ErrorAlert message={form.formError} onDismiss={form.clear} />
      <button type="submit" disabled={form.pending}>
        Route role
      </button>
    </form>
  );
}
