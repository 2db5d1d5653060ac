import { useState, type FormEvent } from 'react';
import { MODEL_TIERS, type ModelTier } from '../../../shared/config-types';
import type { OpInput } from '../../../shared/ops/registry';
import { useClient } from '../../api/backend-context';
import { validateOp } from '../../api/validate-op';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { optionalText } from '../../components/list-input';
import { useFormErrors } from '../../hooks/use-form-errors';

const EMPTY = { name: '', provider: '', modelId: '', tier: 'standard' as ModelTier, costIn: '', costOut: '' };
const isTier = (value: string): value is ModelTier => (MODEL_TIERS as readonly string[]).includes(value);

/** Registers a model (`model:add`), checked against the op's schema first. */
export function AddModelForm({ onAdded }: { onAdded: () => void }) {
  const client = useClient();
  const form = useFormErrors(Object.keys(EMPTY));
  const [values, setValues] = useState(EMPTY);
  const set = (key: keyof typeof EMPTY, value: string) => {
    form.edited(key);
    setValues((v) => ({ ...v, [key]: value }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: OpInput<'model:add'> = {
      name: values.name.trim(),
      provider: values.provider.trim(),
      modelId: values.modelId.trim(),
      tier: values.tier,
      costIn: optionalText(values.costIn),
      costOut: optionalText(values.costOut),
    };
    if (await form.submit(validateOp('model:add', input), () => client['model:add'](input))) {
      setValues(EMPTY);
      onAdded();
    }
  };

  return (
    <form className="card" aria-label="Add model" onSubmit={(e) => void submit(e)}>
      <h2>Add a model</h2>
      <div className="field-row">
        <Field label="Name" error={form.errorOf('name')}>
          <input value={values.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field label="Provider" error={form.errorOf('provider')}>
          <input value={values.provider} onChange={(e) => set('provider', e.target.value)} placeholder="anthropic" />
        </Field>
      </div>
      <div className="field-row">
        <Field label="Model id" error={form.errorOf('modelId')}>
          <input value={values.modelId} onChange={(e) => set('modelId', e.target.value)} />
        </Field>
        <Field label="Tier">
          <select value={values.tier} onChange={(e) => isTier(e.target.value) && set('tier', e.target.value)}>
            {MODEL_TIERS.map((tier) => (
              <option key={tier}>{tier}</option>
            ))}
          </select>
        </Field>
      </div>
      <div className="field-row">
        <Field label="$ per M input tokens" error={form.errorOf('costIn')}>
          <input inputMode="decimal" value={values.costIn} onChange={(e) => set('costIn', e.target.value)} />
        </Field>
        <Field label="$ per M output tokens" error={form.errorOf('costOut')}>
          <input inputMode="decimal" value={values.costOut} onChange={(e) => set('costOut', e.target.value)} />
        </Field>
      </div>
      <ErrorAlert message={form.formError} onDismiss={form.clear} />
      <button type="submit" className="primary" disabled={form.pending}>
        Add model
      </button>
    </form>
  );
}
