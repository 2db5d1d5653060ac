import type { Steps } from '../../shared/steps';
import { isSystemTaskId } from '../../shared/task';

const EVALUATION = '.evaluate-';

/**
 * The ids given and every task whose state reads one of them, directly or further down (a loop is
 * walked once): the tasks that list it in `after` (`readers`: the dependents index), and, for an
 * evaluation `.evaluate-<id>`, the tasks that list `<id>` (the hold rules in shared/task-hold.ts
 * wait for a dependency's evaluation too). As steps (shared/steps.ts), pausing where `due` says so: a change at
 * the head of a big plan reaches most of it.
 */
export function* dependentsClosure(
  starts: Iterable<string>,
  readers: ReadonlyMap<string, readonly string[]>,
  due: () => boolean,
): Steps<Set<string>> {
  const reached = new Set<string>();
  const stack: string[] = [];
  const reach = (id: string) => {
    if (reached.has(id)) return;
    reached.add(id);
    stack.push(id);
  };
  for (const id of starts) reach(id);
  while (stack.length > 0) {
    if (due()) yield;
    const id = stack.pop() as string;
    for (const reader of readers.get(id) ?? []) reach(reader);
    if (id.startsWith(EVALUATION)) {
      const evaluated = id.slice(EVALUATION.length);
      for (const reader of readers.get(evaluated) ?? []) if (!isSystemTaskId(reader)) reach(reader);
    }
  }
  return reached;
}
