import { useState, type FormEvent, type ReactElement } from 'react';
import type { ConfigEntry } from '../../../shared/config-types';
import { useClient } from '../../api/backend-context';
import { validateOp } from '../../api/validate-op';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field, type ControlProps } from '../../components/Field';
import { useFormErrors } from '../../hooks/use-form-errors';
import { useProjectFacts } from '../../state/project-facts';
import { useMutation } from '../../hooks/use-mutation';
import { effectiveSettings, saveOutcome } from './effective-settings';
import { changedInput, currentValues, keysOf, SETTINGS, valuesAfterSave, type SettingSpec, type SettingValues } from './setting-fields';

const FIELD_NAMES = SETTINGS.map((spec) => spec.field);

/** The last save: the keys it set or unset (none: there was nothing to save), and the settings before it. */
interface LastSave {
  keys: string[];
  before: readonly ConfigEntry[];
  global: boolean;
}

/**
 * Changes settings in config.toml (`config:update`), the project's or the global one. The default
 * executor and the models are chosen from what exists, so a setting cannot name something that
 * would stop every task from starting; problems are shown next to their field, in plain words.
 * An emptied field unsets its key. Each save is compared with what is saved now (the form takes
 * the settings the save returns), so a value put back to what it was is a change like any other.
 */
export function SettingsForm({ entries, onSaved }: { entries: readonly ConfigEntry[]; onSaved: (entries: ConfigEntry[]) => void }) {
  const client = useClient();
  const facts = useProjectFacts();
  const form = useFormErrors(FIELD_NAMES);
  const [before, setBefore] = useState(() => currentValues(entries));
  const [values, setValues] = useState<SettingValues>(before);
  const [global, setGlobal] = useState(false);
  const [last, setLast] = useState<LastSave | null>(null);
  const reload = useMutation();
  const set = (spec: SettingSpec, value: string) => {
    form.edited(spec.field);
    setLast(null);
    setValues((v) => ({ ...v, [spec.field]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = changedInput(before, values, global);
    const keys = keysOf(input);
    // Nothing differs from what is saved: no call, and the form says so rather than "Saved".
    if (keys.length === 0) {
      form.clear();
      setLast({ keys, before: entries, global });
      return;
    }
    const sent = values;
    const result = await form.submit(validateOp('config:update', input), () => client['config:update'](input));
    if (result) {
      onSaved(result);
      const now = currentValues(result);
      setBefore(now);
      setValues((current) => valuesAfterSave(sent, current, now));
      // The running coordinator reads config.toml again when it changes: its settings now say whether the save applied.
      await facts.reload();
      setLast({ keys, before: entries, global });
    }
  };
  const running = facts.service?.running ? (facts.service.settings ?? entries) : null;
  const kept = last !== null && effectiveSettings(entries, running).some((s) => last.keys.includes(s.key) && s.overridden);
  // `wg service reload` with no flags: config.toml again, and no start flag holds any more.
  const applySaved = () =>
    void reload.run(async () => {
      await client['service:reload']({});
      await facts.reload();
    });

  const control = (spec: SettingSpec): ReactElement<ControlProps> => {
    const value = values[spec.field] ?? '';
    const onChange = (next: string) => set(spec, next);
    switch (spec.kind) {
      case 'boolean':
        return (
          <select value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="true">on</option>
            <option value="false">off</option>
          </select>
        );
      case 'quit':
        return (
          <select value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="keep-agents">keep agents running</option>
            <option value="stop-agents">stop agents</option>
          </select>
        );
      case 'executor':
        return (
          <select value={value} onChange={(e) => onChange(e.target.value)}>
            {facts.executors.map((profile) => (
              <option key={profile.name} value={profile.name}>
                {profile.name} ({profile.type})
              </option>
            ))}
            {value && !facts.executors.some((p) => p.name === value) && <option value={value}>{value} (no such executor)</option>}
          </select>
        );
      case 'model':
        return (
          <select value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">none: the executor's own default</option>
            {(facts.models?.models ?? []).map((model) => (
              <option key={model.name} value={model.name}>
                {model.name} ({model.tier})
              </option>
            ))}
            {value && !facts.models?.models.some((m) => m.name === value) && <option value={value}>{value} (not registered)</option>}
          </select>
        );
      case 'number':
        return <input inputMode="decimal" value={value} onChange={(e) => onChange(e.target.value)} />;
    }
  };

  return (
    <form className="card" aria-label="Change settings" onSubmit={(e) => void submit(e)}>
      <h2>Change settings</h2>
      <p className="muted small">
        Empty a number, or choose none for a model, to take the setting out of config.toml: the global value or the default applies again.
      </p>
      <div className="settings-grid">
        {SETTINGS.map((spec) => (
          <Field key={spec.field} label={spec.label} hint={spec.key} error={form.errorOf(spec.field)}>
            {control(spec)}
          </Field>
        ))}
      </div>
      <label className="check">
        <input type="checkbox" checked={global} onChange={(e) => setGlobal(e.target.checked)} /> Write the global config
        (~/.workgraph/config.toml) instead of this project's
      </label>
      <ErrorAlert message={form.formError ?? reload.error} onDismiss={form.formError ? form.clear : reload.clearError} />
      {last && (
        <div className={kept ? 'setting-override' : 'muted'} role="status">
          <p>{saveOutcome(last.keys, last.before, entries, running, last.global)}</p>
          {kept && (
            <button type="button" onClick={applySaved} disabled={reload.pending}>
              Reload the coordinator without its start flags
            </button>
          )}
        </div>
      )}
      <button type="submit" className="primary" disabled={form.pending}>
        Save settings
      </button>
    </form>
  );
}
