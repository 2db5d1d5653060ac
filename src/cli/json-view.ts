import type { OpName } from '../shared/ops/registry';
import type { JsonValue } from '../shared/task';
import { repeats, toCronPattern } from '../core/graph/schedule';

/*
 * What `--json` prints for tasks, in upstream's shape (its `--json` serializers, `Task`'s serde): the
 * graph.jsonl fields this app keeps without using (`skills`, `rescued`, …) at the top level where
 * upstream's scripts read them, not nested under `extra`; an empty description left out
 * (skip_serializing_if); each of `wg ready`'s items marked `"ready": true` (as upstream's `wg ready --json`);
 * and `wg show`'s `after` and `before` as upstream's `TaskDetails` has them: `[{id, status}]`, a dependency
 * not in the graph counted "open" as there. This app's `dependencies` and `required_by` (the same tasks,
 * a missing one's status null) stay beside them.
 */

type TaskLike = Record<string, unknown> & { kind: 'task'; extra: Record<string, JsonValue> };

function isTask(value: unknown): value is TaskLike {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return object.kind === 'task' && typeof object.extra === 'object' && object.extra !== null && !Array.isArray(object.extra);
}

/**
 * Upstream's cron fields, from the task's schedule: a repeating one is `cron_enabled` with its
 * `cron_schedule` and `next_cron_fire`; none (or a one-off time) has none of them, whatever an import kept.
 */
function cronView(view: Record<string, unknown>): void {
  const schedule = view.schedule;
  if (typeof schedule === 'string' && repeats(schedule)) {
    view.cron_enabled = true;
    view.cron_schedule = toCronPattern(schedule);
    if (typeof view.not_before === 'string') view.next_cron_fire = view.not_before;
    else delete view.next_cron_fire;
  } else if ('schedule' in view) {
    for (const field of ['cron_enabled', 'cron_schedule', 'next_cron_fire']) delete view[field];
  }
}

/** One task as upstream prints it; a field of this app's own (an item's `ready`, too) wins over a kept one or the mark. */
function upstreamTask(task: TaskLike, mark: Record<string, JsonValue>): Record<string, unknown> {
  const { extra, ...own } = task;
  const view: Record<string, unknown> = { ...extra, ...mark, ...own };
  if (view.description === '') delete view.description;
  cronView(view);
  return view;
}

type Link = { id: string; status: string | null };

const upstreamLinks = (links: unknown): Array<{ id: string; status: string }> =>
  Array.isArray(links) ? (links as Link[]).map((link) => ({ id: link.id, status: link.status ?? 'open' })) : [];

export function jsonView(name: OpName, result: unknown): unknown {
  // `wg log ID --list --json`: the entries, as upstream prints them (the title is for people).
  if (name === 'task:log' && typeof result === 'object' && result !== null && !('kind' in result) && 'log' in result) return result.log;
  const mark: Record<string, JsonValue> = name === 'task:ready' ? { ready: true } : {};
  if (Array.isArray(result)) return result.map((item) => (isTask(item) ? upstreamTask(item, mark) : item));
  if (!isTask(result)) return result;
  const view = upstreamTask(result, mark);
  if (name !== 'task:show') return view;
  // Upstream reads a task from before it kept last_interaction_at as last touched when it was created.
  const lastInteraction = view.last_interaction_at ?? view.created_at;
  return {
    ...view,
    last_interaction_at: lastInteraction,
    after: upstreamLinks(view.dependencies),
    before: upstreamLinks(view.required_by),
  };
}
