import type { Task } from '../../shared/task';
import type { StateKind, TaskState } from '../task-state/task-state';
import { WORK_COLUMNS, workColumn, type WorkColumn } from '../task-state/work-column';

/** A line of a column: a task's card, or the heading that starts the tasks a failure blocks. */
export type BoardRow = { type: 'card'; id: string } | { type: 'heading'; text: string };

export interface BoardColumnData {
  column: WorkColumn;
  rows: BoardRow[];
  /** How many of the column's (shown) tasks are in each of its states. */
  counts: Partial<Record<StateKind, number>>;
  /** Its (shown) tasks. */
  total: number;
}

/** A task's place in the graph as the store lists it (its creation order): ties are broken by it, as the coordinator does. */
type Order = ReadonlyMap<string, number>;

/** Each task's place in the graph's list (the store's order: creation). */
export function taskOrder(tasks: ReadonlyMap<string, Task>): Map<string, number> {
  const order = new Map<string, number>();
  for (const id of tasks.keys()) order.set(id, order.size);
  return order;
}

/**
 * The board: every shown task in its column (work-column.ts), each column in the order a person
 * reads it. Needs you and Waiting: priority, then age (what starts first once it can). Running: the
 * longest running first, so a card keeps its place while the others come and go. Failed: the latest
 * failure first, then the tasks they block, grouped under the failure that holds them. Ready: the
 * order the coordinator starts them (priority, then age), so its top card starts next. Done: the
 * latest finished first.
 *
 * `shown`: the filter's tasks (null: all). `roots`: for each blocked task, the failed task that
 * holds it (failedUpstream). `order`: taskOrder. `pending`: priorities being written (a reorder),
 * used in place of the tasks' own. One pass and a sort per column: linear but for the sorts.
 */
export function boardColumns(
  tasks: ReadonlyMap<string, Task>,
  states: ReadonlyMap<string, TaskState>,
  shown: ReadonlySet<string> | null,
  roots: ReadonlyMap<string, string>,
  order: Order,
  pending: ReadonlyMap<string, number> = new Map(),
): BoardColumnData[] {
  const members = new Map<WorkColumn, Task[]>(WORK_COLUMNS.map((column) => [column, []]));
  const counts = new Map<WorkColumn, Partial<Record<StateKind, number>>>(WORK_COLUMNS.map((column) => [column, {}]));
  const blocked: Task[] = [];
  // Every failure, wherever it is shown: one others wait on is under Needs you (shared/needs-you.ts), yet its blocked
  // tasks are grouped by it here.
  const failures: Task[] = [];
  for (const task of tasks.values()) {
    const state = states.get(task.id);
    if (!state || (shown && !shown.has(task.id))) continue;
    if (task.status === 'failed') failures.push(task);
    const column = workColumn(state.kind);
    const count = counts.get(column) as Partial<Record<StateKind, number>>;
    count[state.kind] = (count[state.kind] ?? 0) + 1;
    if (state.kind === 'blocked') blocked.push(task);
    else members.get(column)?.push(task);
  }
  return WORK_COLUMNS.map((column) => {
    const list = members.get(column) as Task[];
    list.sort(SORTS[column](order, (task) => pending.get(task.id) ?? task.priority_value));
    const rows: BoardRow[] = list.map((task) => ({ type: 'card', id: task.id }));
    if (column === 'failed' && blocked.length > 0) rows.push(...blockedRows(list, failures, blocked, roots, order));
    return { column, rows, counts: counts.get(column) ?? {}, total: list.length + (column === 'failed' ? blocked.length : 0) };
  });
}

/**
 * The blocked tasks under one heading, grouped by the failure holding them (the latest failure's first), each group
 * oldest first. `column`: the failures the column shows above them; the others are under Needs you.
 */
function blockedRows(
  column: readonly Task[],
  failures: Task[],
  blocked: Task[],
  roots: ReadonlyMap<string, string>,
  order: Order,
): BoardRow[] {
  failures.sort(SORTS.failed(order, (task) => task.priority_value));
  const rank = new Map(failures.map((task, index) => [task.id, index]));
  const rankOf = (task: Task) => rank.get(roots.get(task.id) ?? '') ?? failures.length;
  blocked.sort((a, b) => rankOf(a) - rankOf(b) || seq(order, a) - seq(order, b));
  const holders = new Set(blocked.map((task) => roots.get(task.id)));
  const above = column.length > 0 && [...holders].every((id) => column.some((task) => task.id === id));
  const heading: BoardRow = {
    type: 'heading',
    text: `${blocked.length.toLocaleString()} blocked by ${above ? (column.length === 1 ? 'it' : 'them') : holders.size === 1 ? 'a failure' : 'failures'}`,
  };
  return [heading, ...blocked.map((task): BoardRow => ({ type: 'card', id: task.id }))];
}

const seq = (order: Order, task: Task) => order.get(task.id) ?? 0;
const time = (iso: string | null) => (iso ? Date.parse(iso) || 0 : 0);

type Priority = (task: Task) => number;

/** Priority first (higher first), then age: the coordinator's order for ready tasks (the store's `tasks_ready` index). */
const dispatchOrder = (order: Order, priority: Priority) => (a: Task, b: Task) =>
  priority(b) - priority(a) || seq(order, a) - seq(order, b);

const SORTS: Record<WorkColumn, (order: Order, priority: Priority) => (a: Task, b: Task) => number> = {
  'needs-you': dispatchOrder,
  running: (order) => (a, b) => time(a.started_at) - time(b.started_at) || seq(order, a) - seq(order, b),
  failed: (order) => (a, b) => time(b.completed_at) - time(a.completed_at) || seq(order, b) - seq(order, a),
  ready: dispatchOrder,
  waiting: dispatchOrder,
  done: (order) => (a, b) => time(b.completed_at) - time(a.completed_at) || seq(order, b) - seq(order, a),
};
