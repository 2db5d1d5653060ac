import { isSystemTaskId, type Task } from '../../../shared/task';
import { neverDue, type Steps, toEnd } from '../../../shared/steps';
import { changedSince } from '../../state/task-changes';
import { STATE_LABELS, type StateKind, type TaskState } from '../../task-state/task-state';

/** Done this recently counts as just finished: the first view shows it beside the work in hand. */
export const JUST_FINISHED_MS = 15 * 60_000;

/** What a person acts on, most urgent first: what waits for them, what failed, what runs. */
const URGENCY: Partial<Record<StateKind, number>> = { 'needs-you': 0, failed: 1, running: 2, evaluating: 3 };
const JUST_FINISHED = 4;

/**
 * Ready tasks the work holds, the next to start (by priority, then age, as the coordinator starts them): a
 * plan of thousands has thousands ready, and the work is what one screen shows (the rest are said, not drawn).
 */
export const READY_IN_WORK = 8;

/**
 * Just finished tasks the work holds, the latest first: after a burst of agents finishing (70 in a quarter hour, in a
 * review) the work showed the oldest-created of them and left out the ready tasks and the failures' neighbours.
 */
export const FINISHED_IN_WORK = 8;

/** The tasks a view frames, most urgent first, what they are in words ("the work", "failed tasks") and which framing: W, or a state's chip. */
export interface WorkTarget {
  ids: readonly string[];
  about: string;
  of: 'work' | StateKind;
  /** How many of `ids` (the first ones) are of the most urgent kind: a view shows all of those or picks among all. */
  mostUrgent: number;
  /**
   * How many of `ids` (the first ones) are what a person acts on now; the ready tasks after them are what
   * starts next. Absent: all of them. The first view waits for these to be laid out, not for the ready ones.
   */
  acting?: number;
}

const finishedRecently = (task: Task | undefined, now: number) =>
  task?.completed_at !== null && task?.completed_at !== undefined && now - Date.parse(task.completed_at) < JUST_FINISHED_MS;

/**
 * What the first view (and Work, key W) frames: the tasks that need a person, failed, running or
 * being evaluated, most urgent first, and the FINISHED_IN_WORK done last in the last minutes; then the next
 * READY_IN_WORK tasks ready to start. With none of the first, every task ready to start (what
 * happens next). `within`: only tasks the person's own filter shows (a tag, finished work hidden).
 * Null when there is none.
 */
export function workTarget(
  tasks: ReadonlyMap<string, Task>,
  states: ReadonlyMap<string, TaskState>,
  now: number,
  within?: ReadonlySet<string> | null,
): WorkTarget | null {
  return new KeptWorkTarget().update(tasks, states, now, undefined, within);
}

/**
 * The work target kept from one graph to the next: only the tasks whose task or state changed
 * (task-changes.ts) are looked at again, and the just finished ones as time passes; the target is
 * then made from the tasks it holds (ties in the order of the states, as read from nothing). A graph
 * not made from the one before is read from nothing, in steps: a 50,000-task plan's took 30 ms of the
 * graph page's first render, so the page's states (use-task-states.ts) look at them in their own time slices.
 */
export class KeptWorkTarget {
  private tasks: ReadonlyMap<string, Task> = new Map();
  private states: ReadonlyMap<string, TaskState> = new Map();
  private looked = new Looked();

  /**
   * Looks at the tasks of `tasks` and `states` that changed since the last look (every one, pausing where `due`
   * says, when these are not made from those): what `update` then makes the target from. Read from nothing, the look
   * is made apart and kept only at the end: an update asked for while these steps pause reads the one before, whole.
   */
  *steps(tasks: ReadonlyMap<string, Task>, states: ReadonlyMap<string, TaskState>, now: number, due: () => boolean): Steps<void> {
    if (states.size === 0) return;
    const ofStates = changedSince(this.states, states);
    const ofTasks = changedSince(this.tasks, tasks);
    const changed = ofStates && ofTasks ? new Set([...ofStates, ...ofTasks]) : null;
    if (changed === null || changed.size >= states.size) {
      // Read from nothing: every task in the states' order.
      const looked = new Looked();
      for (const [id, state] of states) {
        looked.look(id, state, tasks.get(id), now);
        if (due()) yield;
      }
      this.looked = looked;
    } else for (const id of changed) this.looked.look(id, states.get(id), tasks.get(id), now);
    this.tasks = tasks;
    this.states = states;
  }

  /**
   * The target of `tasks` and `states`. `leftOut`: tasks the window does not show (internal-tasks.ts), never framed.
   * `within`: the tasks the person's own filter shows (null: all). Both are looked at only when the target is made
   * (a new tag, internal tasks shown, look at no task again).
   */
  update(
    tasks: ReadonlyMap<string, Task>,
    states: ReadonlyMap<string, TaskState>,
    now: number,
    leftOut: ReadonlySet<string> = new Set(),
    within: ReadonlySet<string> | null = null,
  ): WorkTarget | null {
    // No graph (the graph page drawn before its first states are whole): no work, and what is kept stays for the graph
    // that comes back (as the dependents index does, dependents.ts).
    if (states.size === 0) return null;
    toEnd(this.steps(tasks, states, now, neverDue));
    // Time passes: what finished a while ago is no longer just finished.
    const { ranked: rankOf, order, ready: readyIds } = this.looked;
    for (const [id, rank] of rankOf) if (rank === JUST_FINISHED && !finishedRecently(tasks.get(id), now)) rankOf.delete(id);
    const byOrder = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
    const inside = (id: string) => !leftOut.has(id) && (!within || within.has(id));
    const ranked = [...rankOf.keys()].filter(inside);
    if (ranked.length > 0) {
      const finishedAt = (id: string) => Date.parse(this.tasks.get(id)?.completed_at ?? '') || 0;
      const urgent = ranked.filter((id) => rankOf.get(id) !== JUST_FINISHED);
      urgent.sort((a, b) => (rankOf.get(a) ?? 0) - (rankOf.get(b) ?? 0) || byOrder(a, b));
      const finished = ranked
        .filter((id) => rankOf.get(id) === JUST_FINISHED)
        .sort((a, b) => finishedAt(b) - finishedAt(a) || byOrder(a, b))
        .slice(0, FINISHED_IN_WORK);
      const acting = [...urgent, ...finished];
      const first = rankOf.get(acting[0] as string);
      const mostUrgent = acting.filter((id) => rankOf.get(id) === first).length;
      const ready = this.nextReady(readyIds, inside, byOrder);
      return { ids: [...acting, ...ready], about: 'the work', of: 'work', mostUrgent, acting: acting.length };
    }
    // Nothing else going on: every ready task is what happens next (framed where most of them are, when more than
    // one screen holds).
    const ready = [...readyIds].filter(inside).sort(byOrder);
    return ready.length > 0 ? { ids: ready, about: 'what is ready next', of: 'work', mostUrgent: ready.length } : null;
  }

  /**
   * The READY_IN_WORK ready tasks that start first (higher priority first, then the older: the coordinator's
   * order), in that order. One pass keeping the best few: a plan of thousands ready is not sorted at each change.
   */
  private nextReady(ready: ReadonlySet<string>, inside: (id: string) => boolean, byOrder: (a: string, b: string) => number): string[] {
    const priority = (id: string) => this.tasks.get(id)?.priority_value ?? 0;
    const first = (a: string, b: string) => priority(b) - priority(a) || byOrder(a, b);
    const best: string[] = [];
    for (const id of ready) {
      if (!inside(id)) continue;
      if (best.length === READY_IN_WORK && first(id, best[READY_IN_WORK - 1] as string) >= 0) continue;
      let at = best.length;
      while (at > 0 && first(id, best[at - 1] as string) < 0) at--;
      best.splice(at, 0, id);
      if (best.length > READY_IN_WORK) best.pop();
    }
    return best;
  }
}

/** What a look at the tasks found: each task's place in the states' order, the ranked ones and the ready ones. */
class Looked {
  readonly order = new Map<string, number>();
  private next = 0;
  readonly ranked = new Map<string, number>();
  readonly ready = new Set<string>();

  look(id: string, state: TaskState | undefined, task: Task | undefined, now: number): void {
    this.ranked.delete(id);
    this.ready.delete(id);
    if (!state) {
      this.order.delete(id);
      return;
    }
    if (!this.order.has(id)) this.order.set(id, this.next++);
    const rank = URGENCY[state.kind];
    if (rank !== undefined) this.ranked.set(id, rank);
    // Upstream's bookkeeping tasks (`.flip-X` after X) finish with their task: the task says it.
    else if (state.kind === 'done' && !isSystemTaskId(id) && finishedRecently(task, now)) this.ranked.set(id, JUST_FINISHED);
    else if (state.kind === 'ready') this.ready.add(id);
  }
}

/** The tasks of one state (a toolbar chip) the window shows, in graph order; `within`: of those the person's own filter shows. */
export function stateTarget(
  states: ReadonlyMap<string, TaskState>,
  kind: StateKind,
  leftOut: ReadonlySet<string> = new Set(),
  within: ReadonlySet<string> | null = null,
): WorkTarget {
  const ids: string[] = [];
  for (const [id, state] of states) if (state.kind === kind && !leftOut.has(id) && (!within || within.has(id))) ids.push(id);
  return { ids, about: `${STATE_LABELS[kind]} tasks`, of: kind, mostUrgent: ids.length };
}

/**
 * A task's direct neighbours, most telling first: what it holds up or lets start (its dependents),
 * then what it came from (its dependencies); upstream's bookkeeping tasks around it (`.assign-X`,
 * `.flip-X`, `.evaluate-X`: every task of an imported plan has them) after the plan's own tasks.
 */
export function neighboursOf(id: string, tasks: ReadonlyMap<string, Task>, dependents: ReadonlyMap<string, readonly string[]>): string[] {
  const after = tasks.get(id)?.after.filter((dependency) => tasks.has(dependency)) ?? [];
  const all = [...(dependents.get(id) ?? []), ...after];
  return [...all.filter((other) => !isSystemTaskId(other)), ...all.filter(isSystemTaskId)];
}

/**
 * The target's tasks and, as far as `room` allows, their direct neighbours for context: one
 * neighbour of each target task in turn (most urgent first), then a second of each, and so on, so
 * every one gets some context before any gets all of it.
 */
export function withNeighbours(target: readonly string[], neighbours: (id: string) => readonly string[], room: number): string[] {
  const chosen = new Set(target);
  const lists = target.map((id) => neighbours(id).filter((other) => !chosen.has(other)));
  for (let any = true; any && chosen.size < room; ) {
    any = false;
    for (const list of lists) {
      if (chosen.size >= room) break;
      const next = list.find((other) => !chosen.has(other));
      if (next === undefined) continue;
      chosen.add(next);
      any = true;
    }
  }
  return [...chosen];
}

/**
 * The work with the tasks a person just linked kept in it: a card whose new dependency made it waiting would leave
 * the work, and the first view, at once, leaving a hole where the person was looking. Kept, after what
 * a person acts on, until they move on (GraphPage forgets them); those gone from the graph or the filter are not.
 */
export function keptInWork(
  target: WorkTarget | null,
  kept: readonly string[],
  tasks: ReadonlyMap<string, Task>,
  within: ReadonlySet<string> | null = null,
): WorkTarget | null {
  if (kept.length === 0 || (target && target.of !== 'work')) return target;
  const ids = target?.ids ?? [];
  const missing = kept.filter((id) => tasks.has(id) && (!within || within.has(id)) && !ids.includes(id));
  if (missing.length === 0) return target;
  if (!target) return { ids: missing, about: 'the work', of: 'work', mostUrgent: missing.length };
  const acting = target.acting ?? ids.length;
  return {
    ...target,
    ids: [...ids.slice(0, acting), ...missing, ...ids.slice(acting)],
    acting: acting + missing.length,
  };
}
