import { useState, type FormEvent } from 'react';
import type { OpInput } from '../../../shared/ops/registry';
import type { Task } from '../../../shared/task';
import { useClient } from '../../api/backend-context';
import { validateOp, withFieldProblem } from '../../api/validate-op';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Field } from '../../components/Field';
import { optionalText } from '../../components/list-input';
import { useFormErrors } from '../../hooks/use-form-errors';

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
  const form = useFormErrors(['id', 'score', 'dim', 'notes']);
  const [taskId, setTaskId] = useState('');
  const [score, setScore] = useState('');
  const [dimensions, setDimensions] = useState('');
  const [notes, setNotes] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: OpInput<'eval:record'> = {
      id: taskId,
      score,
      dim: parseDimensions(dimensions),
      evaluator: 'human',
      notes: optionalText(notes),
    };
    // No task chosen is said as such, not as the op's word on an empty id.
    const chosen = taskId === '' ? (tasks.length === 0 ? 'no task to score yet' : 'choose the task to score') : null;
    if (await form.submit(withFieldProblem(validateOp('eval:record', input), 'id', chosen), () => client['eval:record'](input))) {
      setScore('');
      setDimensions('');
      setNotes('');
    }
  };

  return (
    <form className="card" aria-label="Record evaluation" onSubmit={(e) => void submit(e)}>
      <h2>Record an evaluation</h2>
      <div className="field-row">
        <Field label="Task" error={form.errorOf('id')}>
          <select value={taskId} onChange={(e) => setTaskId(e.target.value)}>
            <option value="">choose a task…</option>
            {tasks.map((task) => (
              <option key={task.id} value={task.id}>
                {task.title} ({task.id})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Score (0–1)" error={form.errorOf('score')}>
          <input inputMode="decimal" value={score} onChange={(e) => setScore(e.target.value)} />
        </Field>
      </div>
      <Field label="Dimensions" hint="one per line: name=0.8" error={form.errorOf('dim')}>
        <textarea rows={3} value={dimensions} onChange={(e) => setDimensions(e.target.value)} />
      </Field>
      <Field label="Notes">
        <input value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      <ErrorAlert message={form.formError} onDismiss={form.clear} />
      <button type="submit" disabled={form.pending}>
        Record
      </button>
    </form>
  );
}
