import { useState, type FormEvent } from 'react';
import type { OpInput } from '../../../shared/ops/registry';
import type { Task } from '../../../shared/task';
import { useClient } from '../../api/backend-context';
import { validateOp } from '../../api/validate-op';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { optionalText } from '../../components/list-input';
import { useMutation } from '../../hooks/use-mutation';

/** "correctness=0.9" lines -> { correctness: "0.9" } (the schema coerces the numbers). */
function parseDimensions(text: string): Record<string, string> | undefined {
  const dimensions: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [name, value] = line.split('=', 2).map((part) => part.trim());
    if (name && value !== undefined) dimensions[name] = value;
  }
  return Object.keys(dimensions).length > 0 ? dimensions : undefined;
}

/** Scores a task by hand (`eval:record`), e.g. after reviewing an agent's work. */
export function RecordEvaluationForm({ tasks }: { tasks: readonly Task[] }) {
  const client = useClient();
  const mutation = useMutation();
  const [taskId, setTaskId] = useState('');
  const [score, setScore] = useState('');
  const [dimensions, setDimensions] = useState('');
  const [notes, setNotes] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: OpInput<'eval:record'> = {
      id: taskId,
      score,
      dim: parseDimensions(dimensions),
      evaluator: 'human',
      notes: optionalText(notes),
    };
    const check = validateOp('eval:record', input);
    setFields(check.ok ? {} : check.fields);
    if (!check.ok) return mutation.setError(check.message);
    if (await mutation.run(() => client['eval:record'](input))) {
      setScore('');
      setDimensions('');
      setNotes('');
    }
  };

  return (
    <form className="card" aria-label="Record evaluation" onSubmit={(e) => void submit(e)}>
      <h2>Record an evaluation</h2>
      <div className="field-row">
        <Field label="Task" error={fields.id}>
          <select value={taskId} onChange={(e) => setTaskId(e.target.value)}>
            <option value="">choose a task…</option>
            {tasks.map((task) => (
              <option key={task.id} value={task.id}>
                {task.title} ({task.id})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Score (0–1)" error={fields.score}>
          <input inputMode="decimal" value={score} onChange={(e) => setScore(e.target.value)} />
        </Field>
      </div>
      <Field label="Dimensions" hint="one per line: name=0.8" error={fields.dim}>
        <textarea rows={3} value={dimensions} onChange={(e) => setDimensions(e.target.value)} />
      </Field>
      <Field label="Notes">
        <input value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      <ErrorAlert message={mutation.error} onDismiss={mutation.clearError} />
      <button type="submit" disabled={mutation.pending}>
        Record
      </button>
    </form>
  );
}
