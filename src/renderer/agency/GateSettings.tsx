import { useState, type FormEvent } from 'react';
import type { AgencySettingsView } from '../../shared/agency';
import { useClient } from '../api/backend-context';
import { validateOp, type Validation } from '../api/validate-op';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { useFormErrors } from '../hooks/use-form-errors';
import { useMutation } from '../hooks/use-mutation';

const GATE_FIELDS = ['evalThreshold', 'maxEvalRescues'];

/**
 * The op's own check of the two numbers, said next to each box by its label (not by the CLI's flag,
 * "eval-threshold"); and an empty box is refused rather than sent: the op reads '' as 0, and a passing
 * score of 0 would let every score through.
 */
function checkGate(input: { evalThreshold: string; maxEvalRescues: string }): Validation {
  const check = validateOp('config:update', input);
  const fields: Record<string, string> = check.ok ? {} : { ...check.fields };
  for (const [field, value] of Object.entries(input)) if (value === '') fields[field] = 'is empty';
  if (check.ok && Object.keys(fields).length === 0) return check;
  return { ok: false, fields, message: check.ok ? null : check.message };
}

/** `[agency]`: whether ready tasks get an identity, and the evaluation gate (threshold, rescues). */
export function GateSettings({ settings, onChanged }: { settings: AgencySettingsView; onChanged: () => void }) {
  const client = useClient();
  const mutation = useMutation();
  const form = useFormErrors(GATE_FIELDS);
  const [threshold, setThreshold] = useState(String(settings.eval_threshold));
  const [rescues, setRescues] = useState(String(settings.max_eval_rescues));
  const save = (input: Parameters<(typeof client)['config:update']>[0]) =>
    void mutation.run(async () => {
      await client['config:update'](input);
      onChanged();
    });
  const saveNumbers = async (event: FormEvent) => {
    event.preventDefault();
    const input = { evalThreshold: threshold.trim(), maxEvalRescues: rescues.trim() };
    if (await form.submit(checkGate(input), () => client['config:update'](input))) onChanged();
  };

  return (
    <section className="card" aria-label="Assignment and evaluation">
      <h2>Assignment and evaluation</h2>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.auto_assign}
          disabled={mutation.pending}
          onChange={(e) => save({ autoAssign: e.target.checked })}
        />
        Give each ready task an agent identity before it starts
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.auto_evaluate}
          disabled={mutation.pending}
          onChange={(e) => save({ autoEvaluate: e.target.checked })}
        />
        Score finished work before its dependents start (the evaluation gate)
      </label>
      <form className="field-row gate-numbers" aria-label="Gate limits" onSubmit={(e) => void saveNumbers(e)}>
        <Field label="Passing score (0–1)" error={form.errorOf('evalThreshold')}>
          <input
            inputMode="decimal"
            value={threshold}
            onChange={(e) => {
              setThreshold(e.target.value);
              form.edited('evalThreshold');
            }}
          />
        </Field>
        <Field label="Attempts sent back before failing" error={form.errorOf('maxEvalRescues')}>
          <input
            inputMode="numeric"
            value={rescues}
            onChange={(e) => {
              setRescues(e.target.value);
              form.edited('maxEvalRescues');
            }}
          />
        </Field>
        <button type="submit" disabled={mutation.pending || form.pending}>
          Save
        </button>
      </form>
      <ErrorAlert
        message={mutation.error ?? form.formError}
        onDismiss={() => {
          mutation.clearError();
          form.clear();
        }}
      />
    </section>
  );
}
