import { useState, type FormEvent } from 'react';
import { DISPATCH_ROLES, type DispatchRole, type ModelRegistry } from '../../../shared/config-types';
import { useClient } from '../../api/backend-context';
import { validateOp } from '../../api/validate-op';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { useFormErrors } from '../../hooks/use-form-errors';

/** The roles this app starts runs for, and what each uses when no route is set (upstream's default tiers). */
const RUN_ROLES: ReadonlyArray<{ role: DispatchRole; fallback: (registry: ModelRegistry) => string }> = [
  { role: 'task_agent', fallback: () => 'the task, its agent, its executor, or coordinator.model' },
  { role: 'assigner', fallback: (r) => fastTier(r) },
  { role: 'evaluator', fallback: (r) => fastTier(r) },
  { role: 'triage', fallback: () => 'coordinator.triage_model' },
];

function fastTier(registry: ModelRegistry): string {
  const fast = registry.models.find((m) => m.tier === 'fast');
  return fast ? `fast tier: ${fast.name}` : 'no fast model registered';
}

const isRole = (value: string): value is DispatchRole => (DISPATCH_ROLES as readonly string[]).includes(value);

/** Which model serves each role (`model:setRole`, `wg model set evaluator opus`). */
export function RoleRouting({ registry, onChanged }: { registry: ModelRegistry; onChanged: () => void }) {
  const client = useClient();
  const form = useFormErrors(['role', 'name']);
  const [role, setRole] = useState<DispatchRole>('evaluator');
  const [name, setName] = useState(registry.default ?? registry.models[0]?.name ?? '');
  const others = Object.entries(registry.roles)
    .filter(([r]) => !RUN_ROLES.some((x) => x.role === r))
    .sort(([a], [b]) => a.localeCompare(b));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { role, name };
    if (await form.submit(validateOp('model:setRole', input), () => client['model:setRole'](input))) onChanged();
  };

  return (
    <form className="card" aria-label="Role routing" onSubmit={(e) => void submit(e)}>
      <h2>Role routing</h2>
      <table className="table compact" aria-label="Roles">
        <tbody>
          {RUN_ROLES.map(({ role: r, fallback }) => (
            <tr key={r} data-role={r}>
              <td>{r}</td>
              <td>{registry.roles[r] ? `→ ${registry.roles[r]}` : <span className="muted">{fallback(registry)}</span>}</td>
            </tr>
          ))}
          {others.map(([r, model]) => (
            <tr key={r} data-role={r}>
              <td>{r}</td>
              <td>→ {model}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="field-row">
        <Field label="Role" error={form.errorOf('role')}>
          <select value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}>
            {DISPATCH_ROLES.filter((r) => r !== 'default').map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </Field>
        <Field label="Model" error={form.errorOf('name')}>
          <select value={name} onChange={(e) => setName(e.target.value)}>
            {registry.models.map((model) => (
              <option key={model.name}>{model.name}</option>
            ))}
          </select>
        </Field>
      </div>
      <ErrorAlert message={form.formError} onDismiss={form.clear} />
      <button type="submit" disabled={form.pending}>
        Route role
      </button>
    </form>
  );
}
