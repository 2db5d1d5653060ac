import { useState, type FormEvent } from 'react';
import { EXECUTOR_TYPES, type ExecutorType } from '../../../shared/config-types';
import { useClient } from '../../api/backend-context';
import { validateOp } from '../../api/validate-op';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { useFormErrors } from '../../hooks/use-form-errors';
import { useProjectFacts } from '../../state/project-facts';
import { EMPTY_EXECUTOR, executorInput, FIELDS_BY_TYPE, missingRequired, TYPE_HELP, type ExecutorFormValues } from './executor-fields';

const FIELD_NAMES = ['name', 'type', 'command', 'args', 'endpoint', 'method', 'repo', 'role', 'model', 'timeout'];
const isType = (value: string): value is ExecutorType => (EXECUTOR_TYPES as readonly string[]).includes(value);

/** Adds or replaces an executor profile; the fields follow the chosen type. */
export function ExecutorForm({ initial, onSaved }: { initial?: ExecutorFormValues; onSaved: () => void }) {
  const client = useClient();
  const { models, reload } = useProjectFacts();
  const form = useFormErrors(FIELD_NAMES);
  const [values, setValues] = useState<ExecutorFormValues>(initial ?? EMPTY_EXECUTOR);
  const uses = new Set(FIELDS_BY_TYPE[values.type]);
  const set = <K extends keyof ExecutorFormValues>(key: K, value: ExecutorFormValues[K]) => {
    form.edited(key);
    setValues((v) => ({ ...v, [key]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = executorInput(values);
    const check = validateOp('executor:add', input);
    // What the type needs comes first: the schema has those fields optional for every type.
    const missing = missingRequired(values);
    const merged =
      Object.keys(missing).length > 0
        ? { ok: false as const, fields: { ...missing, ...(check.ok ? {} : check.fields) }, message: null }
        : check;
    if (await form.submit(merged, () => client['executor:add'](input))) {
      setValues(EMPTY_EXECUTOR);
      void reload();
      onSaved();
    }
  };

  return (
    <form className="card" aria-label="Executor profile" onSubmit={(e) => void submit(e)}>
      <h2>Add or replace a profile</h2>
      <div className="field-row">
        <Field label="Name" error={form.errorOf('name')}>
          <input value={values.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field label="Type" hint={TYPE_HELP[values.type]}>
          <select value={values.type} onChange={(e) => isType(e.target.value) && set('type', e.target.value)}>
            {EXECUTOR_TYPES.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </Field>
      </div>
      {uses.has('command') && (
        <Field label="Command" error={form.errorOf('command')}>
          <input value={values.command} onChange={(e) => set('command', e.target.value)} placeholder="aider" />
        </Field>
      )}
      {uses.has('args') && (
        <Field label="Arguments" hint="one per line; {prompt} {cwd} {model} {task_id}" error={form.errorOf('args')}>
          <textarea rows={3} value={values.args} onChange={(e) => set('args', e.target.value)} />
        </Field>
      )}
      {uses.has('endpoint') && (
        <div className="field-row">
          <Field label="Endpoint" error={form.errorOf('endpoint')}>
            <input value={values.endpoint} onChange={(e) => set('endpoint', e.target.value)} placeholder="https://…" />
          </Field>
          <Field label="Method">
            <select value={values.method} onChange={(e) => set('method', e.target.value === 'PUT' ? 'PUT' : 'POST')}>
              <option>POST</option>
              <option>PUT</option>
            </select>
          </Field>
        </div>
      )}
      {uses.has('repo') && (
        <div className="field-row">
          <Field label="Repository" hint="e.g. acme/app" error={form.errorOf('repo')}>
            <input value={values.repo} onChange={(e) => set('repo', e.target.value)} />
          </Field>
          <Field label="Role" hint="e.g. dev" error={form.errorOf('role')}>
            <input value={values.role} onChange={(e) => set('role', e.target.value)} />
          </Field>
        </div>
      )}
      <div className="field-row">
        {uses.has('model') && (
          <Field label="Model" error={form.errorOf('model')}>
            <select value={values.model} onChange={(e) => set('model', e.target.value)}>
              <option value="">the coordinator's or the executor's default</option>
              {(models?.models ?? []).map((model) => (
                <option key={model.name} value={model.name}>
                  {model.name} ({model.tier})
                </option>
              ))}
              {values.model && !models?.models.some((m) => m.name === values.model) && (
                <option value={values.model}>{values.model} (not registered)</option>
              )}
            </select>
          </Field>
        )}
        {uses.has('timeout') && (
          <Field label="Timeout (seconds)" error={form.errorOf('timeout')}>
            <input inputMode="numeric" value={values.timeout} onChange={(e) => set('timeout', e.target.value)} />
          </Field>
        )}
      </div>
      <ErrorAlert message={form.formError} onDismiss={form.clear} />
      <button type="submit" className="primary" disabled={form.pending}>
        Save profile
      </button>
    </form>
  );
}
