import { awaitsMerge, isSystemTaskId, readyAfterMs, type Task } from '../../../shared/task';
import type { StatusReport } from '../../../shared/insight';
import { isTerminal } from '../readiness';
import { tasksNeedingYou, type NeedsYouFacts } from '../../../shared/needs-you';
import type { TaskIndex } from './task-index';

/*
 * The graph half of `wg status` (upstream's gather_task_summary,
 * gather_recent_activity, gather_dangling_deps). System tasks count only with `--all`.
 */

const shown = (task: Task, all: boolean) => all || !isSystemTaskId(task.id) || awaitsMerge(task);

/** What only a person can move on (needs-you.ts), in the graph's order, with what to do. System tasks only with `--all` (a `.merge-X` always). */
export function needingYou(tasks: readonly Task[], facts: NeedsYouFacts, all: boolean): NonNullable<StatusReport['needs_you']> {
  return tasksNeedingYou(
    tasks.filter((task) => shown(task, all)),
    facts,
  ).map(({ task, needs }) => ({ task_id: task.id, title: task.title, kind: needs.kind, label: needs.label, todo: needs.todo }));
}

/** Failed tasks (stopped until retried), the latest failure first. */
export function failedTasks(tasks: readonly Task[], all: boolean): NonNullable<StatusReport['failed']> {
  return tasks
    .filter((task) => task.status === 'failed' && shown(task, all))
    .sort((a, b) => (b.completed_at ?? '').localeCompare(a.completed_at ?? '') || a.id.localeCompare(b.id))
    .map((task) => ({ task_id: task.id, title: task.title, reason: task.failure_reason }));
}

/**
 * Counts by upstream's buckets; `ready` is the set the coordinator may start now. What needs a person (`needing`, ids)
 * is counted apart: an approval or a stuck evaluation is not in progress, and a manual task is not the coordinator's
 * to start.
 */
export function taskSummary(
  tasks: readonly Task[],
  index: TaskIndex,
  ready: ReadonlySet<string>,
  now: Date,
  all: boolean,
  needing: ReadonlySet<string> = new Set(),
): StatusReport['tasks'] {
  const counts = { in_progress: 0, ready: 0, blocked: 0, delayed: 0, done_today: 0, done_total: 0, needs_you: 0 };
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (const task of tasks) {
    if (!shown(task, all)) continue;
    // A failed task others wait on is counted as failed too (it is in no bucket of upstream's).
    if (needing.has(task.id) && task.status !== 'failed') {
      counts.needs_you++;
      continue;
    }
    switch (task.status) {
      case 'open': {
        if (ready.has(task.id)) {
          counts.ready++;
          break;
        }
        // Delayed: only its time holds it back: upstream's ready_after (a loop's delay, `wg incomplete`'s), or
        // this app's not_before (a schedule's next time, which upstream would count as blocked).
        const readyAfter = readyAfterMs(task.extra);
        const later =
          (readyAfter !== null && readyAfter > now.getTime()) || (task.not_before !== null && Date.parse(task.not_before) > now.getTime());
        const depsFinished = task.after.every((dep) => {
          const blocker = index.get(dep);
          return blocker === undefined || isTerminal(blocker.status);
        });
        if (later && depsFinished) counts.delayed++;
        else counts.blocked++;
        break;
      }
      case 'in-progress':
      case 'pending-eval':
      case 'failed-pending-eval':
        counts.in_progress++;
        break;
      case 'done':
        counts.done_total++;
        if (task.completed_at !== null && Date.parse(task.completed_at) >= midnight) counts.done_today++;
        break;
      case 'blocked':
        counts.blocked++;
        break;
      default:
        break;
    }
  }
  return counts;
}

/** The five latest completions, newest first, their time as HH:MM (UTC, as upstream prints it). */
export function recentActivity(tasks: readonly Task[], all: boolean): StatusReport['recent'] {
  return tasks
    .filter((t) => shown(t, all) && t.status === 'done' && t.completed_at !== null && !Number.isNaN(Date.parse(t.completed_at)))
    .map((t) => ({ at: Date.parse(t.completed_at as string), task: t }))
    .sort((a, b) => b.at - a.at)
    .slice(0, 5)
    .map(({ at, task }) => ({ time: new Date(at).toISOString().slice(11, 16), task_id: task.id, title: task.title }));
}

/** Dependencies naming no task: they hold their task back for good. */
export function danglingDeps(tasks: readonly Task[], index: TaskIndex): NonNullable<StatusReport['dangling_deps']> {
  return tasks.flatMap((task) =>
    task.after.filter((dep) => !index.has(dep)).map((dep) => ({ task_id: task.id, missing_dep: dep, relation: 'after' })),
  );
}

/** Upstream's format_duration (not compact): 45s, 3m 5s, 2h 5m, 2h, 1d 4h. */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pair = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small > 0 ? `${big}${bigUnit} ${small}${smallUnit}` : `${big}${bigUnit}`;
  if (s < 60) return `${s}s`;
  if (s < 3600) return pair(Math.floor(s / 60), 'm', s % 60, 's');
  if (s < 86_400) return pair(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'm');
  return pair(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
}
