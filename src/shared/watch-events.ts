/**
 * `wg watch`: graph and run events as JSON lines, in upstream's shape (`type`, `timestamp`, `task_id`
 * when the event is about a task, `data`), its event types and its filters.
 */
import type { JsonValue } from './task';

const WATCH_EVENT_TYPES = [
  'task.created',
  'task.started',
  'task.completed',
  'task.failed',
  'task.retried',
  'evaluation.recorded',
  'agent.spawned',
  'agent.completed',
] as const;
type WatchEventType = (typeof WATCH_EVENT_TYPES)[number];

export interface WatchEvent {
  type: WatchEventType;
  timestamp: string;
  task_id?: string;
  data: Record<string, JsonValue>;
}

/** The category a type belongs to, for `--event` (upstream's event_category). */
export function eventCategory(type: string): string {
  if (type.startsWith('task.')) return 'task_state';
  if (type.startsWith('evaluation.')) return 'evaluation';
  if (type.startsWith('agent.')) return 'agent';
  return 'other';
}

/** Upstream's should_include_event: `all`, a category or an exact type; `task` a prefix of the event's task. */
export function includesEvent(type: string, filters: readonly string[], task: string | undefined, taskId: string | undefined): boolean {
  if (!filters.includes('all') && !filters.includes(eventCategory(type)) && !filters.includes(type)) return false;
  if (task !== undefined) return taskId?.startsWith(task) === true;
  return true;
}

/** `--event` values upstream documents: the categories, `all`, and each exact type. */
export const EVENT_FILTERS = ['all', 'task_state', 'evaluation', 'agent', ...WATCH_EVENT_TYPES] as const;
