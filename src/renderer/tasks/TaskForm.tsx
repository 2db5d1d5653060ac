import { useState, type FormEvent } from 'react';
import { PRIORITIES, type Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { validateOp } from '../api/validate-op';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { useMutation } from '../hooks/use-mutation';
import { useRegistryNames } from '../hooks/use-registry-names';
import { useGraph } from '../state/graph-context';
import { addInput, editInput, EMPTY_TASK_FORM, isPriority, valuesOfTask, type TaskFormValues } from './task-form-values';

interface TaskFormProps {
  /** The task to edit; absent to create one. */
  task?: Task;
  onDone: (taskId: string) => void;
  onCancel: () => void;
}

/** Creates (`task:add`) or edits (`task:edit`) a task; input is checked with the op's schema first. */
export function TaskForm({ task, onDone, onCancel }: TaskFormProps) {
  const client = useClient();
  const { tasks } = useGraph();
  const { models, executors } = useRegistryNames();
  const [values, setValues] = useState<TaskFormValues>(() => (task ? valuesOfTask(task) : EMPTY_TASK_FORM));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const mutation = useMutation();
  const set = <K extends keyof TaskFormValues>(key: K, value: TaskFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const check = task ? validateOp('task:edit', editInput(task, values)) : validateOp('task:add', addInput(values));
    if (!check.ok) {
      setFieldErrors(check.fields);
      mutation.setError(check.message);
      return;
    }
    setFieldErrors({});
    const saved = await mutation.run(() =>
      task ? client['task:edit'](editInput(task, values)) : client['task:add'](addInput(values)),
    );
    if (saved) onDone(saved.id);
  };

  const title = task ? `Edit ${task.id}` : 'New task';
  return (
    <div className="dialog-backdrop">
      <form className="dialog task-form" role="dialog" aria-label={title} onSubmit={(e) => void submit(e)}>
        <h2>{title}</h2>
        <Field label="Title" error={fieldErrors.title}>
          <input value={values.title} onChange={(e) => set('title', e.target.value)} autoFocus required />
        </Field>
        {!task && (
          <Field label="Id" hint="optional; default is a slug of the title" error={fieldErrors.id}>
            <input value={values.id} onChange={(e) => set('id', e.target.value)} />
          </Field>
        )}
        <Field label="Description (markdown)" error={fieldErrors.description}>
          <textarea rows={5} value={values.description} onChange={(e) => set('description', e.target.value)} />
        </Field>
        <div className="field-row">
          <Field label="Tags" hint="comma separated" error={fieldErrors.tags}>
            <input value={values.tags} onChange={(e) => set('tags', e.target.value)} />
          </Field>
          <Field label="Priority">
            <select value={values.priority} onChange={(e) => isPriority(e.target.value) && set('priority', e.target.value)}>
              {PRIORITIES.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </Field>
        </div>
        <Field label="Depends on" hint="task ids, comma separated" error={fieldErrors.after}>
          <input value={values.after} onChange={(e) => set('after', e.target.value)} list="task-ids" />
        </Field>
        <div className="field-row">
          <Field label="Model" error={fieldErrors.model}>
            <input value={values.model} onChange={(e) => set('model', e.target.value)} list="model-names" />
          </Field>
          <Field label="Executor" error={fieldErrors.executor}>
            <input value={values.executor} onChange={(e) => set('executor', e.target.value)} list="executor-names" />
          </Field>
        </div>
        <Field label="Shell command" hint="for the shell executor" error={fieldErrors.exec}>
          <input value={values.exec} onChange={(e) => set('exec', e.target.value)} />
        </Field>
        <div className="field-row">
          <Field label="Schedule" hint='"09:00" or a cron expression' error={fieldErrors.schedule}>
            <input value={values.schedule} onChange={(e) => set('schedule', e.target.value)} />
          </Field>
          <Field label="Max retries" error={fieldErrors.maxRetries}>
            <input inputMode="numeric" value={values.maxRetries} onChange={(e) => set('maxRetries', e.target.value)} />
          </Field>
        </div>
        {!task && (
          <label className="check">
            <input type="checkbox" checked={values.paused} onChange={(e) => set('paused', e.target.checked)} /> Create paused
          </label>
        )}
        <datalist id="task-ids">
          {[...tasks.keys()].slice(0, 500).map((id) => (
            <option key={id} value={id} />
          ))}
        </datalist>
        <datalist id="model-names">
          {models.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <datalist id="executor-names">
          {executors.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <ErrorAlert message={mutation.error} />
        <div className="dialog-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={mutation.pending}>
            {task ? 'Save' : 'Create task'}
          </button>
        </div>
      </form>
    </div>
  );
}
