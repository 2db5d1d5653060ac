import type { Task, TaskStatus } from '../../../shared/task';
import type {
  AgingIssue,
  HealthAging,
  HealthBottleneck,
  HealthReport,
  HealthSummary,
  HealthWorkload,
  Recommendation,
  Severity,
  StructuralIssue,
} from '../../../shared/reports';
import { findCycles, orphanRefs } from './graph-check';
import { DAY_MS, daysSince, msSince } from './report-time';
import { estimateOf, indexTasks, type TaskIndex } from './task-index';
import { transitiveCounts } from './transitive-counts';
import { looksFinal } from './structure';

/** `wg analyze`'s summary (upstream compute_summary): counts by status, and the estimates of the work left. */
export function healthSummary(tasks: readonly Task[], readyIds: ReadonlySet<string>): HealthSummary {
  const s = { open: 0, in_progress: 0, done: 0, blocked: 0, hours: 0, cost: 0 };
  const left = (task: Task) => {
    s.hours += estimateOf(task, 'hours') ?? 0;
    s.cost += estimateOf(task, 'cost') ?? 0;
  };
  for (const task of tasks) {
    switch (task.status) {
      case 'open':
        s.open++;
        // An open task that is not ready waits on something: blocked, as upstream counts it.
        if (!readyIds.has(task.id)) s.blocked++;
        left(task);
        break;
      case 'in-progress':
      case 'pending-eval':
      case 'failed-pending-eval':
        s.in_progress++;
        left(task);
        break;
      case 'done':
        s.done++;
        break;
      case 'blocked':
        s.blocked++;
        left(task);
        break;
      case 'incomplete':
        s.open++;
        left(task);
        break;
      default:
        break;
    }
  }
  return {
    total_tasks: tasks.length,
    open: s.open,
    in_progress: s.in_progress,
    done: s.done,
    blocked: s.blocked,
    ready: readyIds.size,
    estimated_hours: s.hours,
    estimated_cost: s.cost,
  };
}

export type CycleClass = 'intentional' | 'warning' | 'info';

/** Upstream's classify_cycle: tagged `recurring` or `cycle:intentional`, else by its length. */
export function classifyCycle(cycle: readonly string[], index: TaskIndex): { classification: CycleClass; reason: string } {
  const tagged = cycle.some((id) => index.get(id)?.tags.some((tag) => tag === 'recurring' || tag === 'cycle:intentional'));
  if (tagged) return { classification: 'intentional', reason: "has 'recurring' or 'cycle:intentional' tag" };
  if (cycle.length <= 2) return { classification: 'warning', reason: 'Short cycle without recurrence tag' };
  if (cycle.length >= 5) return { classification: 'warning', reason: `Long cycle (${cycle.length} nodes) likely unintentional` };
  return { classification: 'info', reason: `Medium cycle (${cycle.length} nodes) needs review` };
}

/** `wg analyze`'s words for a deliverable (no meeting, unlike `wg structure`'s). */
const ANALYZE_FINAL = { id: ['deploy', 'release', 'doc', 'final'], title: ['deploy', 'release', 'documentation', 'final'] };

/** Open tasks nothing depends on, but those named like a deliverable: maybe forgotten (upstream find_dead_end_open_tasks). */
export function deadEndOpenTasks(tasks: readonly Task[]): string[] {
  const depended = new Set(tasks.flatMap((t) => t.after));
  return tasks.filter((t) => t.status === 'open' && !depended.has(t.id) && !looksFinal(t, ANALYZE_FINAL)).map((t) => t.id);
}

/**
 * Structural health (upstream compute_structural_health): orphan references (`resources`: the graph's resource nodes,
 * which a `requires` may name), cycles by class, and open dead ends.
 */
export function structuralHealth(
  tasks: readonly Task[],
  index: TaskIndex,
  resources: ReadonlySet<string> = new Set(),
): { issues: StructuralIssue[] } {
  const issues: StructuralIssue[] = [];
  const orphans = orphanRefs(tasks, index, resources);
  issues.push(
    orphans.length === 0
      ? { severity: 'ok', message: 'No orphan references' }
      : {
          severity: 'critical',
          message: `${orphans.length} orphan reference(s) found`,
          details: orphans.map((o) => `${o.from} -> ${o.to} (${o.relation})`),
        },
  );
  const cycles = findCycles(tasks, index);
  if (cycles.length === 0) issues.push({ severity: 'ok', message: 'No cycles detected' });
  else {
    const classes = cycles.map((c) => classifyCycle(c, index).classification);
    const intentional = classes.filter((c) => c === 'intentional').length;
    const warnings = classes.filter((c) => c === 'warning').length;
    if (warnings > 0)
      issues.push({ severity: 'warning', message: `${cycles.length} cycle(s) detected (${warnings} warning, ${intentional} intentional)` });
    else if (intentional > 0) issues.push({ severity: 'ok', message: `${intentional} cycle(s) detected (marked as intentional)` });
  }
  const deadEnds = deadEndOpenTasks(tasks);
  if (deadEnds.length > 0)
    issues.push({
      severity: 'warning',
      message: `${deadEnds.length} dead-end task(s) with status=open (may be forgotten)`,
      details: deadEnds,
    });
  return { issues };
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, ok: 2 };

/** A bottleneck's severity by its status and the share of the graph waiting on it (upstream compute_bottlenecks). */
function bottleneckSeverity(status: TaskStatus, percent: number): Severity {
  if (status === 'done') return 'ok';
  if (status === 'open' && percent >= 20) return 'critical';
  if (status === 'blocked' && percent >= 10) return 'critical';
  if (status === 'in-progress' && percent >= 20) return 'warning';
  return percent >= 10 ? 'warning' : 'ok';
}

/** Tasks three or more others wait on, transitively: the most severe first, then the most waited on; five. */
export function healthBottlenecks(tasks: readonly Task[], now: Date): HealthBottleneck[] {
  const counts = transitiveCounts(tasks);
  const rows: HealthBottleneck[] = [];
  for (const task of tasks) {
    const waiting = counts.get(task.id) ?? 0;
    if (waiting < 3) continue;
    const percent = tasks.length > 0 ? Math.round((waiting / tasks.length) * 100) : 0;
    const days = task.status === 'in-progress' ? daysSince(task.started_at, now) : null;
    rows.push({
      id: task.id,
      transitive_before: waiting,
      status: task.status,
      ...(task.assigned !== null ? { assigned: task.assigned } : {}),
      severity: bottleneckSeverity(task.status, percent),
      ...(days !== null ? { days_in_progress: days } : {}),
    });
  }
  rows.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.transitive_before - a.transitive_before);
  return rows.slice(0, 5);
}

/** Hours assigned to each actor; one with more than twice the average is overloaded (upstream compute_workload). */
export function healthWorkload(tasks: readonly Task[]): HealthWorkload {
  const hours = new Map<string, number>();
  for (const task of tasks) {
    if (task.status === 'done' || task.assigned === null) continue;
    hours.set(task.assigned, (hours.get(task.assigned) ?? 0) + (estimateOf(task, 'hours') ?? 0));
  }
  const total = hours.size;
  if (total === 0) return { total_actors: 0, balanced_actors: 0, overloaded: [] };
  const average = [...hours.values()].reduce((a, b) => a + b, 0) / total;
  const threshold = total > 1 && average > 0 ? average * 2 : Number.POSITIVE_INFINITY;
  const overloaded = [...hours]
    .filter(([, h]) => h > threshold)
    .map(([id, h]) => ({ id, load_percent: average > 0 ? (h / average) * 100 : 0, is_overloaded: true }));
  return { total_actors: total, balanced_actors: total - overloaded.length, overloaded };
}

/** Open tasks older than 90 days and in-progress ones started over 14 days ago: counts, and the five oldest (upstream compute_aging). */
export function healthAging(tasks: readonly Task[], now: Date): HealthAging {
  const issues: AgingIssue[] = [];
  let oldOpen = 0;
  let stale = 0;
  const issue = (task: Task, ms: number, type: AgingIssue['issue_type']): AgingIssue => ({
    task_id: task.id,
    days: Math.trunc(ms / DAY_MS),
    issue_type: type,
    ...(task.assigned !== null ? { assigned: task.assigned } : {}),
  });
  for (const task of tasks) {
    const age = task.status === 'open' ? msSince(task.created_at, now) : null;
    if (age !== null && age > 90 * DAY_MS) {
      oldOpen++;
      issues.push(issue(task, age, 'old_open'));
    }
    const running = task.status === 'in-progress' ? msSince(task.started_at, now) : null;
    if (running !== null && running > 14 * DAY_MS) {
      stale++;
      issues.push(issue(task, running, 'stale_in_progress'));
    }
  }
  issues.sort((a, b) => b.days - a.days);
  return { old_open_count: oldOpen, stale_in_progress_count: stale, issues: issues.slice(0, 5) };
}

/** What to do first, five at most (upstream generate_recommendations). */
export function recommendations(
  structural: { issues: readonly StructuralIssue[] },
  bottlenecks: readonly HealthBottleneck[],
  workload: HealthWorkload,
  aging: HealthAging,
): Recommendation[] {
  const recs: Recommendation[] = [];
  const add = (action: string, task: string | null, reason: string) =>
    recs.push({ priority: recs.length + 1, action, ...(task !== null ? { task } : {}), reason });
  for (const b of bottlenecks) {
    if (b.severity === 'critical' && b.status === 'open' && b.assigned === undefined)
      add('assign_and_start', b.id, `critical bottleneck - blocks ${b.transitive_before} tasks`);
  }
  for (const b of bottlenecks) {
    if (b.days_in_progress !== undefined && b.days_in_progress > 14)
      add('check_on', b.id, `in-progress for ${b.days_in_progress} days (stalled)`);
  }
  for (const issue of aging.issues) {
    if (issue.issue_type === 'old_open' && issue.days > 90) {
      add('review', issue.task_id, `open ${issue.days} days`);
      // Upstream stops taking old tasks once five recommendations are made.
      if (recs.length + 1 > 5) break;
    }
  }
  for (const actor of workload.overloaded) {
    if (actor.load_percent !== null && actor.load_percent > 100)
      add('redistribute', null, `@${actor.id} at ${actor.load_percent.toFixed(0)}% capacity`);
  }
  for (const issue of structural.issues) if (issue.severity === 'critical') add('fix_structural', null, issue.message);
  return recs.slice(0, 5);
}

/** `wg analyze` (upstream's): every analysis of the graph's health at once, and what to do first. */
export function healthReport(
  tasks: readonly Task[],
  readyIds: ReadonlySet<string>,
  now: Date,
  resources: ReadonlySet<string> = new Set(),
): HealthReport {
  const index = indexTasks(tasks);
  const structural = structuralHealth(tasks, index, resources);
  const bottlenecks = healthBottlenecks(tasks, now);
  const workload = healthWorkload(tasks);
  const aging = healthAging(tasks, now);
  return {
    summary: healthSummary(tasks, readyIds),
    structural,
    bottlenecks,
    workload,
    aging,
    recommendations: recommendations(structural, bottlenecks, workload, aging),
  };
}
