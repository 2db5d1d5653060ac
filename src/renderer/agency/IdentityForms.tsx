import { useState, type FormEvent } from 'react';
import type { RoleView, TradeoffView } from '../../shared/agency';
import type { OpInput } from '../../shared/ops/registry';
import { useClient } from '../api/backend-context';
import { validateOp, withFieldProblem } from '../api/validate-op';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { optionalText } from '../components/list-input';
import { useMutation } from '../hooks/use-mutation';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * What a select of the agency's parts offers a person's agent: the assigner's and evaluator's own roles
 * and tradeoffs (marked special, `meta:` scoped) serve the agency itself, not tasks.
 */
const forTasks = <T extends { special: boolean }>(items: readonly T[]): T[] => items.filter((i) => !i.special);

/**
 * The choice a select shows: the person's while it is still on offer, else the first on offer. Derived, not
 * kept: the lists arrive (or change, after "Set up the agency" or a removal) after the form is first drawn,
 * and a select whose value is none of its options shows its first, so a kept '' was sent while "Programmer" showed.
 */
const shownChoice = (chosen: string, offered: ReadonlyArray<{ id: string }>): string =>
  offered.some((item) => item.id === chosen) ? chosen : (offered[0]?.id ?? '');

/** A new agent identity: a role and a tradeoff (`wg agent create NAME --role R --tradeoff T`). */
export function IdentityForm({
  roles,
  tradeoffs,
  onDone,
}: {
  roles: readonly RoleView[];
  tradeoffs: readonly TradeoffView[];
  onDone: () => void;
}) {
  const client = useClient();
  const mutation = useMutation();
  const [name, setName] = useState('');
  const roleChoices = forTasks(roles);
  const tradeoffChoices = forTasks(tradeoffs);
  const [chosenRole, setRole] = useState('');
  const [chosenTradeoff, setTradeoff] = useState('');
  const role = shownChoice(chosenRole, roleChoices);
  const tradeoff = shownChoice(chosenTradeoff, tradeoffChoices);
  const [model, setModel] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: OpInput<'identity:create'> = { name: name.trim(), role, tradeoff, model: optionalText(model) };
    // An empty list offers nothing to choose: said so, not the op's "give an id, an id prefix or a name".
    const none = (offered: readonly unknown[], what: string) => (offered.length === 0 ? `none yet: add a ${what} first` : null);
    const check = withFieldProblem(
      withFieldProblem(validateOp('identity:create', input), 'role', none(roleChoices, 'role')),
      'tradeoff',
      none(tradeoffChoices, 'tradeoff'),
    );
    setFields(check.ok ? {} : check.fields);
    if (!check.ok) return mutation.setError(check.message);
    if (await mutation.run(() => client['identity:create'](input))) {
      setName('');
      onDone();
    }
  };

  return (
    <form className="card" aria-label="New agent" onSubmit={(e) => void submit(e)}>
      <h2>New agent</h2>
      <Field label="Name" error={fields.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Careful Reviewer" />
      </Field>
      <div className="field-row">
        <Field label="Role" error={fields.role}>
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            {roleChoices.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Tradeoff" error={fields.tradeoff}>
          <select value={tradeoff} onChange={(e) => setTradeoff(e.target.value)}>
            {tradeoffChoices.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="Preferred model" hint="optional: a registered model name or a model id">
        <input value={model} onChange={(e) => setModel(e.target.value)} />
      </Field>
      <ErrorAlert message={mutation.error} onDismiss={mutation.clearError} />
      <button type="submit" className="primary" disabled={mutation.pending}>
        Create agent
      </button>
    </form>
  );
}

/** A new tradeoff: what the agent may give up and what it must not (`wg tradeoff add`). */
export function TradeoffForm({ onDone }: { onDone: () => void }) {
  const client = useClient();
  const mutation = useMutation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [accept, setAccept] = useState('');
  const [reject, setReject] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: OpInput<'tradeoff:add'> = {
      name: name.trim(),
      description: description.trim(),
      accept: lines(accept),
      reject: lines(reject),
    };
    const check = validateOp('tradeoff:add', input);
    setFields(check.ok ? {} : check.fields);
    if (!check.ok) return mutation.setError(check.message);
    if (await mutation.run(() => client['tradeoff:add'](input))) {
      setName('');
      setDescription('');
      setAccept('');
      setReject('');
      onDone();
    }
  };

  return (
    <form className="card" aria-label="New tradeoff" onSubmit={(e) => void submit(e)}>
      <h2>New tradeoff</h2>
      <Field label="Name" error={fields.name}>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Description" error={fields.description} hint="its id is the hash of this text">
        <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <div className="field-row">
        <Field label="Acceptable" hint="one per line">
          <textarea rows={3} value={accept} onChange={(e) => setAccept(e.target.value)} />
        </Field>
        <Field label="Unacceptable" hint="one per line">
          <textarea rows={3} value={reject} onChange={(e) => setReject(e.target.value)} />
        </Field>
      </div>
      <ErrorAlert message={mutation.error} onDismiss={mutation.clearError} />
      <button type="submit" className="primary" disabled={mutation.pending}>
        Create tradeoff
      </button>
    </form>
  );
}
