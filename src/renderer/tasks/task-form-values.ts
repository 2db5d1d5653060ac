import type { ExecutorProfile } from '../../shared/config-types';
import type { OpInput } from '../../shared/ops/registry';
import { withFieldProblem, type Validation } from '../api/validate-op';
import { PRIORITIES, type Priority, type Task } from '../../shared/task';
import { joinList, optionalText, splitList } from '../components/list-input';

/** What the task form edits, as text fields (the form's own state). */
export interface TaskFormValues {
  title: string;
  id: string;
  description: string;
  tags: string;
  /** Dependencies, chosen from the tasks that exist. */
  after: string[];
  priority: Priority;
  model: string;
  executor: string;
  exec: string;
  schedule: string;
  maxRetries: string;
  paused: boolean;
}

export const EMPTY_TASK_FORM: TaskFormValues = {
  title: '',
  id: '',
  description: '',
  tags: '',
  after: [],
  priority: 'normal',
  model: '',
  executor: '',
  exec: '',
  schedule: '',
  maxRetries: '',
  paused: false,
};

export const isPriority = (value: string): value is Priority => (PRIORITIES as readonly string[]).includes(value);

export function valuesOfTask(task: Task): TaskFormValues {
  return {
    title: task.title,
    id: task.id,
    description: task.description,
    tags: joinList(task.tags),
    after: [...task.after],
    priority: task.priority,
    model: task.model ?? '',
    executor: task.executor ?? '',
    exec: task.exec ?? '',
    schedule: task.schedule ?? '',
    maxRetries: task.max_retries === null ? '' : String(task.max_retries),
    paused: task.paused,
  };
}

export function addInput(values: TaskFormValues): OpInput<'task:add'> {
  return {
    title: values.title,
    id: optionalText(values.id),
    description: optionalText(values.description),
    tags: splitList(values.tags),
    after: values.after,
    priority: values.priority,
    model: optionalText(values.model),
    executor: optionalText(values.executor),
    exec: optionalText(values.exec),
    schedule: optionalText(values.schedule),
    maxRetries: optionalText(values.maxRetries),
    paused: values.paused || undefined,
  };
}

type EditInput = OpInput<'task:edit'>;
type Clearable = NonNullable<EditInput['clear']>[number];

/**
 * Only the fields that differ from the task as it is now, so an edit never overwrites someone else's change. A field
 * emptied (or set to "default (…)") is cleared as `wg edit` clears it: `--clear FIELD`, and the schedule `--cron ""`.
 * Dependencies go as what the person added and removed (`--add-after`, `--remove-after`), never as the whole list,
 * which would drop one added elsewhere while the form was open.
 */
export function editInput(task: Task, values: TaskFormValues, deps: { added: readonly string[]; removed: readonly string[] }): EditInput {
  const before = valuesOfTask(task);
  const input: EditInput = { id: task.id };
  const clear: Clearable[] = [];
  /** A field the person changed: its new value, or, emptied, cleared. */
  const change = (field: 'model' | 'executor' | 'exec' | 'maxRetries', name: Clearable) => {
    if (values[field].trim() === before[field].trim()) return;
    const text = optionalText(values[field]);
    if (text === undefined) clear.push(name);
    else input[field] = text;
  };
  if (values.title !== before.title) input.title = values.title;
  if (values.description !== before.description) input.description = values.description;
  if (values.tags !== before.tags) input.tags = splitList(values.tags);
  const addAfter = deps.added.filter((id) => !task.after.includes(id));
  const removeAfter = deps.removed.filter((id) => task.after.includes(id));
  if (addAfter.length > 0) input.addAfter = addAfter;
  if (removeAfter.length > 0) input.removeAfter = removeAfter;
  if (values.priority !== before.priority) input.priority = values.priority;
  change('model', 'model');
  change('executor', 'executor');
  change('exec', 'exec');
  change('maxRetries', 'max-retries');
  if (values.schedule.trim() !== before.schedule.trim()) {
    const schedule = optionalText(values.schedule);
    if (schedule === undefined) input.cron = '';
    else input.schedule = schedule;
  }
  if (clear.length > 0) input.clear = clear;
  return input;
}

/**
 * A task the shell executor would run (its own executor, or the project's default) with no command: refused at the
 * Shell command field, since its run could only fail ("has no command") the moment it is ready.
 */
export function withShellCommand(
  validation: Validation,
  values: Pick<TaskFormValues, 'executor' | 'exec'>,
  executors: readonly Pick<ExecutorProfile, 'name' | 'type'>[],
  defaultExecutor: string,
): Validation {
  const name = values.executor.trim() || defaultExecutor;
  const shell = executors.find((profile) => profile.name === name)?.type === 'shell';
  if (!shell || values.exec.trim() !== '') return validation;
  return withFieldProblem(validation, 'exec', `is needed: the ${name} executor runs this command`);
}
