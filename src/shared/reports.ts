import type { TaskStatus } from './task';

/*
 * Upstream's further reports on the graph (`wg velocity`, `aging`, `workload`, `forecast`, `structure`, `analyze`,
 * `metrics`): their `--json` shapes, field for field as upstream's serde structs write them.
 */

/** `wg velocity`: one week of the window, week 1 the oldest. */
export interface WeeklyVelocity {
  week_number: number;
  tasks_completed: number;
  hours_completed: number;
  task_ids: string[];
}

export interface VelocityReport {
  weeks: WeeklyVelocity[];
  average_tasks_per_week: number;
  average_hours_per_week: number;
  /** increasing, decreasing, stable, no completions, insufficient data */
  trend: string;
  open_tasks: number;
  open_hours: number;
  weeks_to_clear: number | null;
  /** Done tasks with no completion time (an imported graph's): left out of the weeks. */
  tasks_without_timestamp: number;
}

/** `wg aging`. */
export interface AgingReport {
  distribution: Array<{ bucket: string; count: number; warning_level: 'WARNING' | 'CRITICAL' | null }>;
  oldest_tasks: Array<{ id: string; title: string; age_days: number; assigned: string | null; after: string[] }>;
  stale_in_progress: Array<{ id: string; title: string; started_days_ago: number; assigned: string | null }>;
  tasks_with_unknown_age: number;
}

/** `wg workload`: one agent (an agency identity, or a name tasks are assigned to). */
export interface AgentWorkload {
  id: string;
  name: string;
  assigned_count: number;
  assigned_hours: number;
  in_progress_count: number;
  /** Hours a week; this app keeps no capacity for an agent, so null (upstream's human agents have one). */
  capacity: number | null;
  load_percent: number | null;
  is_overloaded: boolean;
}

export interface WorkloadReport {
  agents: AgentWorkload[];
  unassigned_count: number;
  ready_unassigned_count: number;
}

/** `wg forecast`. */
export interface RemainingWork {
  open_tasks: number;
  open_hours: number;
  blocked_tasks: number;
  blocked_hours: number;
  in_progress_tasks: number;
  in_progress_hours: number;
  total_hours: number;
}

export interface ForecastScenario {
  name: string;
  buffer_percent: number;
  estimated_hours: number;
  /** e.g. "Dec 03, 2026"; null without a velocity to reach it at. */
  completion_date: string | null;
  weeks_to_complete: number | null;
}

export interface ForecastBlocker {
  id: string;
  title: string;
  status: TaskStatus;
  hours_remaining: number | null;
  tasks_blocked: number;
}

export interface ForecastReport {
  remaining_work: RemainingWork;
  scenarios: ForecastScenario[];
  blockers: ForecastBlocker[];
  critical_path: { path: string[]; total_hours: number } | null;
  velocity_hours_per_week: number;
  has_velocity_data: boolean;
  has_estimates: boolean;
}

/** `wg structure`. */
export interface StructureReport {
  entry_points: string[];
  /** `expected`: likely a final deliverable (done, or named deploy, release, doc…); `warning`: open and not that. */
  dead_ends: Array<{ id: string; status: TaskStatus; expected: boolean; warning: boolean }>;
  high_impact_roots: Array<{ id: string; transitive_dependents: number }>;
}

/** `wg analyze`'s severities, as upstream serializes them. */
export type Severity = 'ok' | 'warning' | 'critical';

export interface HealthSummary {
  total_tasks: number;
  open: number;
  in_progress: number;
  done: number;
  blocked: number;
  ready: number;
  estimated_hours: number;
  estimated_cost: number;
}

export interface StructuralIssue {
  severity: Severity;
  message: string;
  details?: string[];
}

export interface HealthBottleneck {
  id: string;
  transitive_before: number;
  status: TaskStatus;
  assigned?: string;
  severity: Severity;
  days_in_progress?: number;
}

export interface HealthWorkload {
  total_actors: number;
  balanced_actors: number;
  overloaded: Array<{ id: string; load_percent: number | null; is_overloaded: boolean }>;
}

export interface AgingIssue {
  task_id: string;
  days: number;
  issue_type: 'old_open' | 'stale_in_progress';
  assigned?: string;
}

export interface HealthAging {
  old_open_count: number;
  stale_in_progress_count: number;
  issues: AgingIssue[];
}

export interface Recommendation {
  priority: number;
  /** assign_and_start, check_on, review, redistribute, fix_structural */
  action: string;
  task?: string;
  reason: string;
}

/** `wg analyze`: every analysis at once, and what to do first. */
export interface HealthReport {
  summary: HealthSummary;
  structural: { issues: StructuralIssue[] };
  bottlenecks: HealthBottleneck[];
  workload: HealthWorkload;
  aging: HealthAging;
  recommendations: Recommendation[];
}

/** `wg metrics`: upstream's cleanup counters, counted here from what the store records of its clean-ups. */
export interface CleanupMetrics {
  cleanup_success: number;
  cleanup_failure: number;
  recovery_branches: number;
  orphaned_cleanups: number;
  dead_agent_cleanups: number;
  success_rate_percent: number;
  timing: {
    avg_cleanup_duration_ms: number;
    total_cleanup_time_ms: number;
    timed_operations: number;
    min_cleanup_duration_ms: number;
    max_cleanup_duration_ms: number;
    resource_stats: {
      worktrees_removed: number;
      symlinks_cleaned: number;
      directories_removed: number;
      branches_pruned: number;
      disk_space_recovered_bytes: number;
    };
  };
}
