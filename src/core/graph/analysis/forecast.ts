import type { Task } from '../../../shared/task';
import type { ForecastBlocker, ForecastReport, ForecastScenario, RemainingWork } from '../../../shared/reports';
import { isTerminal } from '../readiness';
import { dependentsIndex, estimateOf, indexTasks, type TaskIndex } from './task-index';
import { DAY_MS } from './report-time';
import { transitiveCounts } from './transitive-counts';
import { DEFAULT_WEEKS, velocityOf } from './velocity';

const hoursOf = (task: Task) => estimateOf(task, 'hours') ?? 0;

/** Non-terminal tasks with a dependency in the graph that is not terminal either (upstream find_blocked_task_ids). */
function waitingOnWork(tasks: readonly Task[], index: TaskIndex): Set<string> {
  const held = new Set<string>();
  for (const task of tasks) {
    if (isTerminal(task.status)) continue;
    if (
      task.after.some((dep) => {
        const blocker = index.get(dep);
        return blocker !== undefined && !isTerminal(blocker.status);
      })
    )
      held.add(task.id);
  }
  return held;
}

/** The work left, by what it waits for (upstream calculate_remaining_work); failed, abandoned and waiting work is not counted. */
function remainingWork(tasks: readonly Task[], index: TaskIndex): RemainingWork {
  const held = waitingOnWork(tasks, index);
  const work = { open: [0, 0], blocked: [0, 0], progress: [0, 0] };
  const count = (part: number[], hours: number) => {
    part[0] = (part[0] ?? 0) + 1;
    part[1] = (part[1] ?? 0) + hours;
  };
  for (const task of tasks) {
    const hours = hoursOf(task);
    switch (task.status) {
      case 'in-progress':
      case 'pending-eval':
      case 'failed-pending-eval':
        count(work.progress, hours);
        break;
      case 'blocked':
        count(work.blocked, hours);
        break;
      case 'open':
        count(held.has(task.id) ? work.blocked : work.open, hours);
        break;
      case 'incomplete':
        count(work.open, hours);
        break;
      default:
        break;
    }
  }
  const [openTasks = 0, openHours = 0] = work.open;
  const [blockedTasks = 0, blockedHours = 0] = work.blocked;
  const [progressTasks = 0, progressHours = 0] = work.progress;
  return {
    open_tasks: openTasks,
    open_hours: openHours,
    blocked_tasks: blockedTasks,
    blocked_hours: blockedHours,
    in_progress_tasks: progressTasks,
    in_progress_hours: progressHours,
    total_hours: openHours + blockedHours + progressHours,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Upstream's `%b %d, %Y` of a UTC date: "Dec 03, 2026". */
const dateText = (at: Date) => `${MONTHS[at.getUTCMonth()]} ${String(at.getUTCDate()).padStart(2, '0')}, ${at.getUTCFullYear()}`;

/** The latest date a Date holds, in days from now: past it there is no completion date to give. */
const MAX_DATE_MS = 8.64e15;

/** One scenario (upstream create_scenario): the hours with a buffer, and when they are done at `hoursPerWeek`. */
export function scenario(name: string, buffer: number, baseHours: number, hoursPerWeek: number, now: Date): ForecastScenario {
  const estimated = baseHours * (1 + buffer);
  let date: string | null = null;
  let weeks: number | null = null;
  if (hoursPerWeek > 0 && estimated > 0) {
    const w = estimated / hoursPerWeek;
    const days = Math.ceil(w * 7);
    const at = now.getTime() + days * DAY_MS;
    // Too far to be a date (upstream: past i64 days); none rather than a wrong one.
    if (Number.isFinite(days) && days >= 0 && Math.abs(at) <= MAX_DATE_MS) {
      date = dateText(new Date(at));
      weeks = w;
    }
  }
  return { name, buffer_percent: buffer * 100, estimated_hours: estimated, completion_date: date, weeks_to_complete: weeks };
}

/** Unfinished tasks two or more others wait on, transitively: most first, then most hours; five (upstream find_key_blockers). */
function keyBlockers(tasks: readonly Task[]): ForecastBlocker[] {
  const waiting = transitiveCounts(tasks);
  return tasks
    .filter((t) => !isTerminal(t.status))
    .map((t) => ({
      id: t.id,
      title: t.title,
      status: t.status,
      hours_remaining: estimateOf(t, 'hours'),
      tasks_blocked: waiting.get(t.id) ?? 0,
    }))
    .filter((b) => b.tasks_blocked >= 2)
    .sort((a, b) => b.tasks_blocked - a.tasks_blocked || (b.hours_remaining ?? 0) - (a.hours_remaining ?? 0))
    .slice(0, 5);
}

/**
 * The longest chain of unfinished work by hours, a task without an estimate counting none (upstream forecast's
 * find_critical_path): from each task whose dependencies are all finished (or not in the graph), along what waits on
 * it. On equal hours the longer chain wins. Walked without recursion, each task's best chain found once; a task met
 * again on the walk's own path (a loop in an imported graph) ends the chain there, as upstream's visited set does.
 */
function forecastCriticalPath(tasks: readonly Task[], index: TaskIndex): { path: string[]; total_hours: number } | null {
  const active = (id: string) => {
    const task = index.get(id);
    return task !== undefined && !isTerminal(task.status);
  };
  const entries = tasks.filter((t) => !isTerminal(t.status) && t.after.every((dep) => !active(dep)));
  if (entries.length === 0) return null;
  const dependents = dependentsIndex(tasks);
  // Each task's best chain as its hours, its length and the task after it, so no chain is copied.
  type Chain = { hours: number; length: number; next: string | null };
  const best = new Map<string, Chain>();
  const longer = (a: Chain, than: Chain) => a.hours > than.hours || (a.hours === than.hours && a.length > than.length);
  const onPath = new Set<string>();
  const longestFrom = (start: string) => {
    const stack: Array<{ id: string; expanded: boolean }> = [{ id: start, expanded: false }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as { id: string; expanded: boolean };
      if (!frame.expanded) {
        frame.expanded = true;
        onPath.add(frame.id);
        for (const next of dependents.get(frame.id) ?? []) {
          if (active(next) && !best.has(next) && !onPath.has(next)) stack.push({ id: next, expanded: false });
        }
        continue;
      }
      stack.pop();
      onPath.delete(frame.id);
      if (best.has(frame.id)) continue;
      let chain: Chain = { hours: 0, length: 0, next: null };
      let after: string | null = null;
      for (const next of dependents.get(frame.id) ?? []) {
        const found = best.get(next);
        if (!found || !active(next)) continue;
        if (longer(found, chain)) {
          chain = found;
          after = next;
        }
      }
      best.set(frame.id, { hours: hoursOf(index.get(frame.id) as Task) + chain.hours, length: chain.length + 1, next: after });
    }
  };
  let longest: Chain = { hours: 0, length: 0, next: null };
  let first: string | null = null;
  for (const entry of entries) {
    longestFrom(entry.id);
    const found = best.get(entry.id) as Chain;
    if (longer(found, longest)) {
      longest = found;
      first = entry.id;
    }
  }
  const path: string[] = [];
  for (let id = first; id !== null; id = best.get(id)?.next ?? null) path.push(id);
  return path.length === 0 ? null : { path, total_hours: longest.hours };
}

/** Upstream's buffers for its realistic and pessimistic scenarios. */
const REALISTIC = 0.3;
const PESSIMISTIC = 0.5;

/** `wg forecast` (upstream calculate_forecast): the work left, when it is done at the last four weeks' pace, and what may hold it. */
export function forecastOf(tasks: readonly Task[], now: Date): ForecastReport {
  const index = indexTasks(tasks);
  const remaining = remainingWork(tasks, index);
  const perWeek = velocityOf(tasks, DEFAULT_WEEKS, now).average_hours_per_week;
  return {
    remaining_work: remaining,
    scenarios: [
      scenario('Optimistic (all estimates accurate)', 0, remaining.total_hours, perWeek, now),
      scenario(`Realistic (+${Math.trunc(REALISTIC * 100)}% buffer)`, REALISTIC, remaining.total_hours, perWeek, now),
      scenario(`Pessimistic (+${Math.trunc(PESSIMISTIC * 100)}% buffer)`, PESSIMISTIC, remaining.total_hours, perWeek, now),
    ],
    blockers: keyBlockers(tasks),
    critical_path: forecastCriticalPath(tasks, index),
    velocity_hours_per_week: perWeek,
    has_velocity_data: perWeek > 0,
    has_estimates: remaining.total_hours > 0,
  };
}
