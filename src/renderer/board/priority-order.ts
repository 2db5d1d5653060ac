/**
 * Moving a ready task to another place in the coordinator's order. The coordinator starts ready
 * tasks by priority (higher first), then by age (older first); a task's place can only be changed
 * through its priority. This works out the fewest priority changes that put the moved task where it
 * was dropped and keep every other task in its order.
 */

/** A ready task as the order sees it: its priority and its age (its place in the store's list). */
export interface Ranked {
  id: string;
  priority: number;
  seq: number;
}

export interface PriorityChange {
  id: string;
  from: number;
  to: number;
}

export type Reorder = { ok: true; changes: PriorityChange[] } | { ok: false; reason: string };

/** upstream's highest priority number (a u32). */
const MAX_PRIORITY = 0xffffffff;
/** More changes than this for one move is not a move but a renumbering; the person is told instead. */
export const MOST_CHANGES = 25;

/** Whether `a` starts before `b`. */
const before = (a: Ranked, b: Ranked) => a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);

/**
 * The priority changes that move `id` to position `to` of `column` (the column's tasks in their
 * order, `to` counted in the list without the moved task). None when it is there already or its
 * priority already puts it there.
 */
export function reorder(column: readonly Ranked[], id: string, to: number): Reorder {
  const moved = column.find((task) => task.id === id);
  if (!moved) return { ok: false, reason: 'That task is no longer ready.' };
  const others = column.filter((task) => task.id !== id);
  const at = Math.max(0, Math.min(to, others.length));
  const above = others[at - 1];
  const below = others[at];
  // Its own priority may place it there already (a drop in place).
  if ((!above || before(above, moved)) && (!below || before(moved, below))) return { ok: true, changes: [] };
  // The priorities that fit between its new neighbours, ties going by age.
  const lowest = below ? (moved.seq < below.seq ? below.priority : below.priority + 1) : 0;
  const highest = above ? (above.seq < moved.seq ? above.priority : above.priority - 1) : MAX_PRIORITY;
  if (lowest <= highest) {
    const priority = Math.min(highest, Math.max(lowest, moved.priority));
    return { ok: true, changes: [{ id, from: moved.priority, to: priority }] };
  }
  // No room between them: the tasks above are raised, or those below lowered, as far as the order needs.
  const raising = cascade(others.slice(0, at).reverse(), moved, lowest, +1);
  const lowering = cascade(others.slice(at), moved, highest, -1);
  const best = [raising, lowering]
    .filter((changes): changes is PriorityChange[] => changes !== null)
    .sort((a, b) => a.length - b.length)[0];
  if (!best || best.length > MOST_CHANGES) {
    return {
      ok: false,
      reason: `Placing it there would change the priority of ${best ? `${best.length - 1} other tasks` : 'every task around it'}; set its priority with Edit instead.`,
    };
  }
  // The moved task may keep its priority while its neighbours make room.
  return { ok: true, changes: best.filter((change) => change.from !== change.to) };
}

/**
 * The moved task at its new priority, then each neighbour outwards (upwards when raising,
 * downwards when lowering) changed only as far as keeping the order needs, until one already is
 * in order. Null when the numbers run out (below 0 or above upstream's highest).
 */
function cascade(neighbours: readonly Ranked[], moved: Ranked, priority: number, direction: 1 | -1): PriorityChange[] | null {
  if (priority < 0 || priority > MAX_PRIORITY) return null;
  const changes: PriorityChange[] = [{ id: moved.id, from: moved.priority, to: priority }];
  let last: Ranked = { ...moved, priority };
  for (const task of neighbours) {
    if (direction > 0 ? before(task, last) : before(last, task)) break;
    const tie = direction > 0 ? task.seq < last.seq : last.seq < task.seq;
    const next = tie ? last.priority : last.priority + direction;
    if (next < 0 || next > MAX_PRIORITY) return null;
    changes.push({ id: task.id, from: task.priority, to: next });
    last = { ...task, priority: next };
  }
  return changes;
}
