import { readyAfterMs, type ReadyItem, type Task } from '../shared/task';

/** Upstream's `format_duration(secs, false)`: 45s, 7m 30s, 3h 45m, 2d 12h. */
export function upstreamDuration(secs: number): string {
  if (secs < 60) return `${secs}s`;
  if (secs < 3600) return secs % 60 > 0 ? `${Math.floor(secs / 60)}m ${secs % 60}s` : `${secs / 60}m`;
  if (secs < 86_400) {
    const mins = Math.floor((secs % 3600) / 60);
    return mins > 0 ? `${Math.floor(secs / 3600)}h ${mins}m` : `${Math.floor(secs / 3600)}h`;
  }
  const hours = Math.floor((secs % 86_400) / 3600);
  return hours > 0 ? `${Math.floor(secs / 86_400)}d ${hours}h` : `${Math.floor(secs / 86_400)}d`;
}

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
  if (delayed.length === 0) return table(ready);
  const waiting = ['Waiting on delay:', ...delayed.map((t) => `  ${t.id} - ${t.title} ${countdown(t, nowMs)}`)].join('\n');
  return ready.length === 0 ? waiting : `${table(ready)}\n\n${waiting}`;
}
