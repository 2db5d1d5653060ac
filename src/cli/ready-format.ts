import { upstreamDuration } from '../shared/durations';
import { readyAfterMs, type ReadyItem, type Task } from '../shared/task';

export { upstreamDuration };

/** Upstream's `format_countdown` (`wg ready`): "(ready in 5m 3s)", "(elapsed)", or '' for an unreadable time. */
export function countdown(task: Pick<Task, 'extra'>, nowMs: number): string {
  const at = readyAfterMs(task.extra);
  if (at === null) return '';
  if (at <= nowMs) return '(elapsed)';
  return `(ready in ${upstreamDuration(Math.floor((at - nowMs) / 1000))})`;
}

/** `wg ready`: the ready tasks (this app's table), then upstream's "Waiting on delay:" section. */
export function readyText(items: readonly ReadyItem[], table: (tasks: readonly Task[]) => string, nowMs = Date.now()): string {
  const ready = items.filter((item) => item.ready);
  const delayed = items.filter((item) => !item.ready);
  if (delayed.length === 0) return ready.length === 0 ? 'No tasks ready' : table(ready);
  const waiting = ['Waiting on delay:', ...delayed.map((t) => `  ${t.id} - ${t.title} ${countdown(t, nowMs)}`)].join('\n');
  return ready.length === 0 ? waiting : `${table(ready)}\n\n${waiting}`;
}
