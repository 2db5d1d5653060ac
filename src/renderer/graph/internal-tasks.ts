import { isInternalTask, type Task } from '../../shared/task';
import { idsHash } from './graph-filter';
import type { StateKind, TaskState } from '../task-state/task-state';

/**
 * Upstream's system tasks (`.assign-X` before X, `.flip-X` and `.evaluate-X` after it: three for every task of
 * an imported plan) are the coordinator's bookkeeping, not work a person plans or acts on. The window folds them
 * away as `wg viz` does unless asked for, except where one needs a person: a failed one, or one waiting for them
 * (this app's `.merge-X`).
 */

/** The states in which a system task stays shown: a person has to act on it. */
const NEEDS_A_PERSON: ReadonlySet<StateKind> = new Set<StateKind>(['failed', 'needs-you']);

const NONE: ReadonlySet<string> = new Set();

/** The ids of the graph's internal tasks (a task's id never changes: read again only when the graph's tasks do). */
export function internalTaskIds(tasks: Iterable<Task>): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const task of tasks) if (isInternalTask(task)) ids.add(task.id);
  return ids.size > 0 ? ids : NONE;
}

/**
 * The internal tasks left out of the graph, the board and their counts: all of them but those a person must act
 * on; none when they are asked for. `previous` is returned while the same tasks are left out, so what is keyed on
 * the set (the layout's input) stays as it is while only states change.
 */
export function hiddenInternal(
  internal: ReadonlySet<string>,
  states: ReadonlyMap<string, TaskState>,
  showInternal: boolean,
  previous: ReadonlySet<string> = NONE,
): ReadonlySet<string> {
  if (showInternal || internal.size === 0) return NONE;
  const hidden = new Set<string>();
  for (const id of internal) {
    const kind = states.get(id)?.kind;
    if (kind === undefined || !NEEDS_A_PERSON.has(kind)) hidden.add(id);
  }
  if (hidden.size === previous.size && [...hidden].every((id) => previous.has(id))) return previous;
  return hidden;
}

/** A short key that changes when the hidden set does (the graph's layout is keyed on its filter's key). */
export function hiddenKey(hidden: ReadonlySet<string>): string {
  return hidden.size === 0 ? '' : `internal-hidden:${hidden.size}:${idsHash(hidden)}`;
}
