import { useState, type FormEvent } from 'react';
import type { ConfigEntry } from '../../../shared/config-types';
import { useClient } from '../../api/backend-context';
import { validateOp } from '../../api/validate-op';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { useMutation } from '../../hooks/use-mutation';
import { changedInput, currentValues, SETTINGS, type SettingField, type SettingValues } from './setting-fields';

/** Changes settings in config.toml (`config:update`), the project's or the global one. */
export function SettingsForm({ entries, onSaved }: { entries: readonly ConfigEntry[]; onSaved: (entries: ConfigEntry[]) => void }) {
  const client = useClient();
  const mutation = useMutation();
  const [before] = useState(() => currentValues(entries));
  const [values, setValues] = useState<SettingValues>(before);
  const [global, setGlobal] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const set = (field: SettingField, value: string) => {
    setSaved(false);
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = changedInput(before, values, global);
    const check = validateOp('config:update', input);
    setFields(check.ok ? {} : check.fields);
    if (!check.ok) return mutation.setError(check.message);
    const result = await mutation.run(() => client['config:update'](input));
    if (result) {
      setSaved(true);
      onSaved(result);
    }
  };

  return (
    <form className="card" aria-label="Change settings" onSubmit={(e) => void submit(e)}>
      <h2>Change settings</h2>
      <div className="settings-grid">
        {SETTINGS.map((spec) => (
          <Field key={spec.field} label={spec.label} hint={spec.key} error={fields[spec.field]}>
            {spec.kind === 'boolean' ? (
              <select value={values[spec.field] ?? ''} onChange={(e) => set(spec.field, e.target.value)}>
                <option value="true">on</option>
                <option value="false">off</option>
              </select>
            ) : spec.kind === 'quit' ? (
              <select value={values[spec.field] ?? ''} onChange={(e) => set(spec.field, e.target.value)}>
                <option value="keep-agents">keep agents running</option>
                <option value="stop-agents">stop agents</option>
              </select>
            ) : (
              <input
                inputMode={spec.kind === 'number' ? 'decimal' : undefined}
                value={values[spec.field] ?? ''}
                onChange={(e) => set(spec.field, e.target.value)}
              />
            )}
          </Field>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" checked={global} onChange={(e) => setGlobal(e.target.checked)} /> Write the global config
        (~/.workgraph/config.toml) instead of this project's
      </label>
      <ErrorAlert message={mutation.error} onDismiss={mutation.clearError} />
      {saved && <p className="muted" role="status">Saved.</p>}
      <button type="submit" className="primary" disabled={mutation.pending}>
        Save settings
      </button>
    </form>
  );
}
