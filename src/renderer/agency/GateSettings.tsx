import { useState } from 'react';
import type { AgencySettingsView } from '../../shared/agency';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMutation } from '../hooks/use-mutation';

/** `[agency]`: whether ready tasks get an identity, and the evaluation gate (threshold, rescues). */
export function GateSettings({ settings, onChanged }: { settings: AgencySettingsView; onChanged: () => void }) {
  const client = useClient();
  const mutation = useMutation();
  const [threshold, setThreshold] = useState(String(settings.eval_threshold));
  const [rescues, setRescues] = useState(String(settings.max_eval_rescues));
  const save = (input: Parameters<(typeof client)['config:update']>[0]) =>
    void mutation.run(async () => {
      await client['config:update'](input);
      onChanged();
    });

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
      <form
        className="field-row gate-numbers"
        aria-label="Gate limits"
        onSubmit={(e) => {
          e.preventDefault();
          save({ evalThreshold: threshold, maxEvalRescues: rescues });
        }}
      >
        <label className="field">
          <span className="field-label">Passing score (0–1)</span>
          <input inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </label>
        <label className="field">
          <span className="field-label">Attempts sent back before failing</span>
          <input inputMode="numeric" value={rescues} onChange={(e) => setRescues(e.target.value)} />
        </label>
        <button type="submit" disabled={mutation.pending}>
          Save
        </button>
      </form>
      <ErrorAlert message={mutation.error} onDismiss={mutation.clearError} />
    </section>
  );
}
