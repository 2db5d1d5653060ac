import { useMemo, useState } from 'react';
import { PRIORITIES, type Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { type Validation, validateOp } from '../api/validate-op';
import { Dialog } from '../components/Dialog';
import { DiscardAsk } from '../components/DiscardAsk';
import { ErrorAlert } from '../components/ErrorAlert';
import { Field } from '../components/Field';
import { MultiPicker } from '../components/MultiPicker';
import { useFormErrors } from '../hooks/use-form-errors';
import { useRevealProblem } from '../hooks/use-reveal-problem';
import { useGraph } from '../state/graph-context';
import { defaultExecutorOf, useProjectFacts } from '../state/project-facts';
import { ChangedMeanwhile } from './ChangedMeanwhile';
import { useDependencyOptions } from './dependency-options';
import {
  acknowledged,
  changedMeanwhile,
  draftChanged,
  EMPTY_DRAFT,
  shownValues,
  withAfter,
  withField,
  withoutField,
  type DraftField,
  type FormDraft,
} from './form-draft';
import { usePendingDependency } from './use-pending-dependency';
import { addInput, editInput, EMPTY_TASK_FORM, isPriority, valuesOfTask, withShellCommand, type TaskFormValues } from './task-form-values';

interface TaskFormProps {
  /** The task to edit; absent to create one. */
  task?: Task;
  onDone: (taskId: string) => void;
  onCancel: () => void;
}

/** The coordinator's refusal of an id in use names the task, not the field: it is the Id's all the same. */
const idRefusal = (refusal: string) => (/^task '.*' already exists$/s.test(refusal) ? 'id' : null);

const FIELDS = ['title', 'id', 'description', 'tags', 'after', 'priority', 'model', 'executor', 'exec', 'schedule', 'maxRetries'];

/** Each field's label, to say which one someone else changed. */
const LABELS: Record<DraftField, string> = {
  title: 'Title',
  id: 'Id',
  description: 'Description',
  tags: 'Tags',
  priority: 'Priority',
  model: 'Model',
  executor: 'Executor',
  exec: 'Shell command',
  schedule: 'Schedule',
  maxRetries: 'Max retries',
  paused: 'Create paused',
};

/**
 * Creates (`task:add`) or edits (`task:edit`) a task in a dialog. Dependencies, models and
 * executors are chosen from what exists; problems are shown next to their field, in plain words.
 */
export function TaskForm({ task, onDone, onCancel }: TaskFormProps) {
  const client = useClient();
  const { tasks } = useGraph();
  const { models, executors, config } = useProjectFacts();
  // The task as it is now (it updates live while the form is open); the one the form was opened on if it has gone.
  const live = task ? (tasks.get(task.id) ?? task) : undefined;
  const liveValues = useMemo(() => (live ? valuesOfTask(live) : EMPTY_TASK_FORM), [live]);
  const [draft, setDraft] = useState<FormDraft>(EMPTY_DRAFT);
  // The fields Save found changed by someone else meanwhile: each says so, with the value it has now.
  const [meanwhile, setMeanwhile] = useState<readonly DraftField[]>([]);
  const values = shownValues(draft, liveValues);
  const form = useFormErrors(FIELDS, idRefusal);
  const problem = useRevealProblem();
  const set = <K extends DraftField>(key: K, value: TaskFormValues[K]) => {
    form.edited(key);
    setDraft((d) => withField(d, key, value, liveValues));
  };
  const dependencies = useDependencyOptions(tasks, task?.id ?? null);
  const pendingDependency = usePendingDependency(dependencies, values.after);
  const defaultOf = (key: string) => config.find((entry) => entry.key === key)?.value;
  const defaultExecutor = defaultExecutorOf(config);

  // Closing a form with changes asks first (Escape also closes the suggestion list: two quick presses lost it all).
  const [discarding, setDiscarding] = useState(false);
  const requestClose = () => {
    if (discarding) setDiscarding(false);
    else if (draftChanged(draft) || pendingDependency.pending) setDiscarding(true);
    else onCancel();
  };

  /** The op's own check, then the form's: text left in Depends on, a shell task with no command. */
  const formCheck = (validation: Validation) => pendingDependency.check(withShellCommand(validation, values, executors, defaultExecutor));
  const submit = async () => {
    if (form.pending) return;
    if (!live) {
      const saved = await form.submit(formCheck(validateOp('task:add', addInput(values))), () => client['task:add'](addInput(values)));
      if (saved) onDone(saved.id);
      else problem.reveal();
      return;
    }
    // Not written blindly over someone else's newer text: the first Save shows it, a second one writes the person's.
    const changed = changedMeanwhile(draft, liveValues);
    setMeanwhile(changed);
    if (changed.length > 0) {
      setDraft((d) => acknowledged(d, liveValues, changed));
      problem.reveal();
      return;
    }
    const input = editInput(live, values, draft);
    const saved = await form.submit(formCheck(validateOp('task:edit', input)), () => client['task:edit'](input));
    if (saved) onDone(saved.id);
    else problem.reveal();
  };
  /** A field's own problem, else that someone else changed it since the form opened. */
  const problemOf = (key: DraftField) =>
    form.errorOf(key) ??
    (meanwhile.includes(key) && key in draft.edits ? `${LABELS[key]} was changed since you opened this form` : undefined);
  const currentOf = (key: DraftField) =>
    meanwhile.includes(key) && key in draft.edits ? (
      <ChangedMeanwhile
        current={String(liveValues[key])}
        onUseCurrent={() => {
          setDraft((d) => withoutField(d, key));
          setMeanwhile((fields) => fields.filter((f) => f !== key));
        }}
      />
    ) : undefined;

  const title = task ? `Edit ${task.id}` : 'New task';
  return (
    <Dialog title={title} className="task-form" onClose={requestClose} onSubmit={() => void submit()} boxRef={problem.box}>
      <Field label="Title" error={problemOf('title')} below={currentOf('title')}>
        <input value={values.title} onChange={(e) => set('title', e.target.value)} data-autofocus />
      </Field>
      {!task && (
        <Field label="Id" hint="optional; the title's first three words otherwise" error={form.errorOf('id')}>
          <input value={values.id} onChange={(e) => set('id', e.target.value)} />
        </Field>
      )}
      <Field
        label="Description"
        hint="markdown: tables, task lists and links work"
        error={problemOf('description')}
        below={currentOf('description')}
      >
        <textarea rows={4} value={values.description} onChange={(e) => set('description', e.target.value)} />
      </Field>
      <Field label="Depends on" hint="it starts once these are done" error={pendingDependency.problem ?? form.errorOf('after')}>
        <MultiPicker
          options={dependencies.options}
          value={values.after}
          onChange={(after) => setDraft((d) => withAfter(d, after, liveValues))}
          placeholder="Search tasks by title or id"
          onTextChange={pendingDependency.onTextChange}
          noMatch={(text) => dependencies.problemOf(text, values.after)}
        />
      </Field>
      <div className="field-row">
        <Field label="Tags" hint="comma separated" error={problemOf('tags')} below={currentOf('tags')}>
          <input value={values.tags} onChange={(e) => set('tags', e.target.value)} />
        </Field>
        <Field label="Priority" error={problemOf('priority')} below={currentOf('priority')}>
          <select value={values.priority} onChange={(e) => isPriority(e.target.value) && set('priority', e.target.value)}>
            {PRIORITIES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </Field>
      </div>
      <div className="field-row">
        <Field label="Executor" error={problemOf('executor')} below={currentOf('executor')}>
          <select value={values.executor} onChange={(e) => set('executor', e.target.value)}>
            <option value="">default ({defaultExecutor})</option>
            {executors.map((profile) => (
              <option key={profile.name} value={profile.name}>
                {profile.name} ({profile.type})
              </option>
            ))}
            {values.executor && !executors.some((p) => p.name === values.executor) && (
              <option value={values.executor}>{values.executor} (not configured)</option>
            )}
          </select>
        </Field>
        <Field label="Model" error={problemOf('model')} below={currentOf('model')}>
          <select value={values.model} onChange={(e) => set('model', e.target.value)}>
            <option value="">default ({String(defaultOf('coordinator.model') ?? models?.default ?? "the executor's")})</option>
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
      </div>
      <Field label="Shell command" hint="for the shell executor" error={problemOf('exec')} below={currentOf('exec')}>
        <input value={values.exec} onChange={(e) => set('exec', e.target.value)} className="mono" />
      </Field>
      <div className="field-row">
        <Field label="Schedule" hint='"09:00" or a cron expression' error={problemOf('schedule')} below={currentOf('schedule')}>
          <input value={values.schedule} onChange={(e) => set('schedule', e.target.value)} />
        </Field>
        <Field label="Max retries" error={problemOf('maxRetries')} below={currentOf('maxRetries')}>
          <input inputMode="numeric" value={values.maxRetries} onChange={(e) => set('maxRetries', e.target.value)} />
        </Field>
      </div>
      {!task && (
        <label className="check">
          <input type="checkbox" checked={values.paused} onChange={(e) => set('paused', e.target.checked)} /> Create paused (nothing starts
          it until you resume it)
        </label>
      )}
      <ErrorAlert message={form.formError} />
      {discarding ? (
        <DiscardAsk onDiscard={onCancel} onKeep={() => setDiscarding(false)} />
      ) : (
        <div className="dialog-actions">
          <button type="button" onClick={requestClose}>
            Cancel
          </button>
          {/* aria-disabled, not disabled: a focused button that is disabled drops the focus to the page, where Escape and
              Tab no longer reach the dialog (a keyboard user would be stuck after a refusal). */}
          <button type="submit" className="primary" aria-disabled={form.pending || undefined}>
            {task ? 'Save' : 'Create task'}
          </button>
        </div>
      )}
    </Dialog>
  );
}
