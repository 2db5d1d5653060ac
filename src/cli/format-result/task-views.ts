import type { TaskSummary } from '../../shared/task';
import type { Listed } from '../../shared/needs-you';
import { retriesText } from '../../shared/retry-budget';
import { artifactText, blockedText, contextText, costText, logListText, whyBlockedText } from '../insight-format';
import { readyText } from '../ready-format';
import { table } from '../table';
import { listMarkers } from '../task-markers';
import { taskPage } from '../task-page';
import type { Formatters } from './formatters';

/** What a task or the list of tasks looks like: the operations that read tasks and change nothing. */

function taskLine(task: Listed<TaskSummary>, nowMs: number): string[] {
  const retries =
    task.retry_count > 0 && task.retry_limit !== undefined ? `retries ${retriesText(task.retry_count, task.retry_limit)}` : '';
  const flags = [task.paused ? 'paused' : '', task.assigned ? `@${task.assigned}` : '', retries].filter(Boolean).join(' ');
  // What the person is to do beside the status (an approval reads "pending-validation", a manual task "open").
  const yours = task.needs_you ? ` [needs you: ${task.needs_you.label}]` : '';
  return [task.id, task.status, task.priority, `${task.title}${listMarkers(task, nowMs)}${yours}${flags ? `  (${flags})` : ''}`];
}

function taskList(tasks: readonly Listed<TaskSummary>[]): string {
  const now = Date.now();
  return tasks.length === 0 ? 'No tasks found' : table(tasks.map((task) => taskLine(task, now)));
}

export const taskViewFormatters: Formatters = {
  'task:show': taskPage,
  'task:list': taskList,
  'task:ready': (items) => readyText(items, taskList),
  'task:log': (result, _term, input) => logListText(result, typeof input.actor === 'string' ? input.actor : undefined, String(input.id)),
  'task:artifact': (result, _term, input) => artifactText(result, input),
  'task:context': contextText,
  'task:blocked': (blockers, _term, input) => blockedText(blockers, String(input.id)),
  'task:whyBlocked': whyBlockedText,
  'task:cost': costText,
};
