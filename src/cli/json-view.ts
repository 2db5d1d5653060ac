import type { OpName } from '../shared/ops/registry';
import type { JsonValue } from '../shared/task';

/*
 * What `--json` prints for tasks, in upstream's shape (its `--json` serializers, `Task`'s serde): the
 * graph.jsonl fields this app keeps without using (`skills`, `rescued`, …) at the top level where
 * upstream's scripts read them, not nested under `extra`; an empty description left out
 * (skip_serializing_if); and each of `wg ready`'s items marked `"ready": true` (as upstream's `wg ready --json`).
 */

type TaskLike = Record<string, unknown> & { kind: 'task'; extra: Record<string, JsonValue> };

function isTask(value: unknown): value is TaskLike {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return object.kind === 'task' && typeof object.extra === 'object' && object.extra !== null && !Array.isArray(object.extra);
}

/** One task as upstream prints it; a field of this app's own (an item's `ready`, too) wins over a kept one or the mark. */
function upstreamTask(task: TaskLike, mark: Record<string, JsonValue>): Record<string, unknown> {
  const { extra, ...own } = task;
  const view: Record<string, unknown> = { ...extra, ...mark, ...own };
  if (view.description === '') delete view.description;
  return view;
}

export function jsonView(name: OpName, result: unknown): unknown {
  const mark: Record<string, JsonValue> = name === 'task:ready' ? { ready: true } : {};
  if (Array.isArray(result)) return result.map((item) => (isTask(item) ? upstreamTask(item, mark) : item));
  return isTask(result) ? upstreamTask(result, mark) : result;
}
