import { compactDuration } from '../../../shared/durations';
import { PRIORITY_VALUES, type Task } from '../../../shared/task';
import { componentsOf } from './viz-filter';

/**
 * A task's messages as upstream's `wg viz` marks them (its `message_stats_pair`): how many
 * came in and how many its assigned agent sent, and where a person's side of the conversation stands:
 * ✉ a message they have not seen, ↩ seen (upstream's TUI cursor, reader `tui`) but not answered,
 * ✓ answered by a person (`user`, `tui`, `coordinator`) after the last message from anyone else.
 */
export interface MessageMark {
  incoming: number;
  outgoing: number;
  icon: '✉' | '↩' | '✓';
}

/*
 * `wg viz` by default: upstream's ASCII tree (its `tree` layout). Each connected part
 * is drawn from its roots (tasks with nothing drawn before them), dependents under their
 * dependency with ├→ / └→. A task with several dependencies is drawn once, under the first; the
 * others are named at the end of its line after ← (upstream draws them as arcs on the right).
 */

/**
 * What upstream draws after a task's status: ⏳ and the wait of an open task not due yet, its messages
 * (✉ 2, or 2/1 with replies), the phase its pipeline is in ("[⊞ assigning]", viz-phases.ts).
 */
export interface TreeMarks {
  now: Date;
  messages: ReadonlyMap<string, MessageMark>;
  phases?: ReadonlyMap<string, string>;
}

function label(task: Task, marks: TreeMarks): string {
  const priority = task.priority_value !== PRIORITY_VALUES.normal ? ` · ⌁${task.priority_value}` : '';
  const due = task.not_before === null ? Number.NaN : Date.parse(task.not_before);
  const waits = (task.status === 'open' || task.status === 'incomplete') && due > marks.now.getTime();
  const delay = waits ? ` ⏳${compactDuration(Math.floor((due - marks.now.getTime()) / 1000))}` : '';
  const mark = marks.messages.get(task.id);
  const messages = mark ? ` ${mark.icon}${mark.outgoing > 0 ? `${mark.incoming}/${mark.outgoing}` : mark.incoming}` : '';
  const phase = marks.phases?.get(task.id);
  return `${task.paused ? '‖ ' : ''}${task.id}  (${task.status}${priority})${delay}${messages}${phase ? ` ${phase}` : ''}`;
}

const latestStamp = (task: Task): string =>
  [task.completed_at, task.started_at, task.created_at, ...task.log.map((l) => l.timestamp)]
    .filter((s): s is string => s !== null)
    .reduce((a, b) => (b > a ? b : a), '');

/**
 * Upstream's hot task (its viz ASCII tree; test_coordinator_with_recent_log_sorts_above_in_progress): one in progress, a
 * coordinator-loop task whose last log entry is under a minute old, or an open task made under 5 s ago (a task just
 * added shows at the top at once, not below the running work until the next look).
 */
function isHot(task: Task, now: number): boolean {
  if (task.status === 'in-progress') return true;
  const last = task.log.at(-1);
  if (task.tags.includes('coordinator-loop') && last && now - Date.parse(last.timestamp) < 60_000) return true;
  return task.status === 'open' && now - Date.parse(task.created_at) < 5_000;
}

export function asciiTree(tasks: readonly Task[], marks: TreeMarks = { now: new Date(), messages: new Map() }): string {
  if (tasks.length === 0) return '(no tasks to display)';
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const children = new Map<string, string[]>();
  const parents = new Map<string, string[]>();
  for (const task of tasks) {
    for (const dep of task.after) {
      if (!byId.has(dep) || dep === task.id) continue;
      children.set(dep, [...(children.get(dep) ?? []), task.id]);
      parents.set(task.id, [...(parents.get(task.id) ?? []), dep]);
    }
  }
  for (const list of children.values()) list.sort();
  const part = componentsOf(tasks);
  const parts = new Map<string, Task[]>();
  for (const task of tasks) {
    const key = part.get(task.id) as string;
    parts.set(key, [...(parts.get(key) ?? []), task]);
  }
  // "Hot" parts first, then the most recently active, as upstream orders them.
  const now = marks.now.getTime();
  const hotPart = (members: Task[]) => members.some((t) => isHot(t, now));
  const ordered = [...parts.values()].sort((a, b) => {
    const hot = Number(hotPart(b)) - Number(hotPart(a));
    if (hot !== 0) return hot;
    const latestA = a.map(latestStamp).reduce((x, y) => (y > x ? y : x), '');
    const latestB = b.map(latestStamp).reduce((x, y) => (y > x ? y : x), '');
    if (latestA !== latestB) return latestB > latestA ? 1 : -1;
    const firstId = (members: Task[]) => members.map((t) => t.id).sort()[0] ?? '';
    return firstId(a) < firstId(b) ? -1 : 1;
  });
  const byCreation = (x: Task, y: Task) => (x.created_at === y.created_at ? (x.id < y.id ? -1 : 1) : x.created_at < y.created_at ? -1 : 1);
  // First pass: which dependency each task is drawn under (the first to reach it, depth first).
  const treeParent = new Map<string, string | null>();
  const rootsOf = ordered.map((members) => {
    const natural = members.filter((t) => (parents.get(t.id) ?? []).length === 0).sort(byCreation);
    // Tasks only a loop leads to are reached from no root: the oldest of them starts a tree of its own.
    const roots: Task[] = [];
    for (const root of [...natural, ...[...members].sort(byCreation)]) {
      if (treeParent.has(root.id)) continue;
      roots.push(root);
      const stack: Array<[string, string | null]> = [[root.id, null]];
      while (stack.length > 0) {
        const [id, from] = stack.pop() as [string, string | null];
        if (treeParent.has(id)) continue;
        treeParent.set(id, from);
        const next = children.get(id) ?? [];
        for (let i = next.length - 1; i >= 0; i--) stack.push([next[i] as string, id]);
      }
    }
    return roots;
  });
  const branches = (id: string) => (children.get(id) ?? []).filter((child) => treeParent.get(child) === id);
  // Second pass: draw, each frame a task with the prefix its line gets.
  const lines: string[] = [];
  const lineOf = new Map<string, number>();
  for (const roots of rootsOf) {
    if (lines.length > 0) lines.push('');
    for (const root of roots) {
      const stack: Array<{ id: string; prefix: string; last: boolean; root: boolean }> = [
        { id: root.id, prefix: '', last: true, root: true },
      ];
      while (stack.length > 0) {
        const frame = stack.pop() as (typeof stack)[number];
        const connector = frame.root ? '' : frame.last ? '└→ ' : '├→ ';
        lineOf.set(frame.id, lines.length);
        lines.push(`${frame.prefix}${connector}${label(byId.get(frame.id) as Task, marks)}`);
        const childPrefix = frame.root ? frame.prefix : `${frame.prefix}${frame.last ? '  ' : '│ '}`;
        const next = branches(frame.id);
        for (let i = next.length - 1; i >= 0; i--)
          stack.push({ id: next[i] as string, prefix: childPrefix, last: i === next.length - 1, root: false });
      }
    }
  }
  for (const [id, from] of parents) {
    const others = from.filter((p) => p !== treeParent.get(id));
    const at = lineOf.get(id);
    if (others.length > 0 && at !== undefined) lines[at] = `${lines[at]}  ← ${others.join(', ')}`;
  }
  return lines.join('\n');
}
