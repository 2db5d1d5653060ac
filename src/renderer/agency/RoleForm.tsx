import { useState, type FormEvent } from 'react';
import type { DesiredOutcome, RoleComponent, RoleView } from '../../shared/agency';
import { useClient } from '../api/backend-context';
import { validateOp } from '../api/validate-op';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { optionalText } from '../components/list-input';
import { useMutation } from '../hooks/use-mutation';

interface RoleFormProps {
  components: readonly RoleComponent[];
  outcomes: readonly DesiredOutcome[];
  /** Edit this role; without it the form creates one. */
  role?: RoleView;
  onDone: () => void;
}

const OTHER = '';
const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Creates or edits a role. Skills are picked from the stored role components (so the agent's prompt
 * carries their descriptions) or typed as free text, one per line, as `wg role add --skill` takes them;
 * the desired outcome likewise. New skills or a new outcome give the role a new id, and its agents follow.
 */
export function RoleForm({ components, outcomes, role, onDone }: RoleFormProps) {
  const client = useClient();
  const mutation = useMutation();
  const known = new Set(components.map((c) => c.id));
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [picked, setPicked] = useState<Set<string>>(new Set(role?.component_ids.filter((id) => known.has(id)) ?? []));
  const [otherSkills, setOtherSkills] = useState((role?.component_ids.filter((id) => !known.has(id)) ?? []).join('\n'));
  const storedOutcome = role && outcomes.some((o) => o.id === role.outcome_id) ? role.outcome_id : OTHER;
  const [outcomeId, setOutcomeId] = useState(role ? storedOutcome : (outcomes[0]?.id ?? OTHER));
  const [outcomeText, setOutcomeText] = useState(role && storedOutcome === OTHER ? role.outcome_id : '');
  const [fields, setFields] = useState<Record<string, string>>({});

  const toggle = (id: string) =>
    setPicked((now) => {
      const next = new Set(now);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const skill = [...components.filter((c) => picked.has(c.id)).map((c) => c.id), ...lines(otherSkills)];
    const outcome = outcomeId === OTHER ? outcomeText.trim() : outcomeId;
    const ok = role
      ? await check('role:edit', { id: role.id, name: name.trim(), description, outcome, skill }, () =>
          client['role:edit']({ id: role.id, name: name.trim(), description, outcome, skill }),
        )
      : await check('role:add', { name: name.trim(), description: optionalText(description), outcome, skill }, () =>
          client['role:add']({ name: name.trim(), description: optionalText(description), outcome, skill }),
        );
    if (ok) onDone();
  };

  async function check<N extends 'role:add' | 'role:edit'>(
    op: N,
    input: Parameters<typeof validateOp<N>>[1],
    send: () => Promise<unknown>,
  ) {
    const result = validateOp(op, input);
    setFields(result.ok ? {} : result.fields);
    if (!result.ok) {
      mutation.setError(result.message);
      return false;
    }
    return (await mutation.run(send)) !== undefined;
  }

  return (
    <form className="card" aria-label={role ? `Edit role ${role.name}` : 'New role'} onSubmit={(e) => void submit(e)}>
      <h2>{role ? `Edit ${role.name}` : 'New role'}</h2>
      <Field label="Name" error={fields.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Description">
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <fieldset className="skill-picker">
        <legend className="field-label">Skills</legend>
        {components
          .filter((c) => !c.scope?.startsWith('meta:'))
          .map((c) => (
            <label key={c.id} className="check" title={c.description}>
              <input type="checkbox" checked={picked.has(c.id)} onChange={() => toggle(c.id)} /> {c.name}
            </label>
          ))}
      </fieldset>
      <Field label="Other skills" hint="one per line, as 'wg role add --skill' takes them">
        <textarea rows={2} value={otherSkills} onChange={(e) => setOtherSkills(e.target.value)} />
      </Field>
      <Field label="Desired outcome" error={fields.outcome}>
        <select value={outcomeId} onChange={(e) => setOutcomeId(e.target.value)}>
          {outcomes
            .filter((o) => !o.scope?.startsWith('meta:'))
            .map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          <option value={OTHER}>other (write it below)</option>
        </select>
      </Field>
      {outcomeId === OTHER && (
        <Field label="Outcome text">
          <input value={outcomeText} onChange={(e) => setOutcomeText(e.target.value)} />
        </Field>
      )}
      <ErrorAlert message={mutation.error} onDismiss={mutation.clearError} />
      <div className="button-row">
        <button type="submit" className="primary" disabled={mutation.pending}>
          {role ? 'Save role' : 'Create role'}
        </button>
        {role && (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
