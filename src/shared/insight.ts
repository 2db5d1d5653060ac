/**
 * Result shapes of upstream's read-only graph commands (`wg status`, `wg why-blocked`, `wg check`, …),
 * with upstream's `--json` field names.
 */
import type { NeedsYouKind } from './needs-you';
import type { JsonValue, Task, TaskStatus } from './task';

/** `wg blocked ID`: one unsatisfied dependency (upstream query::after). */
export interface BlockerInfo {
  id: string;
  title: string;
  status: TaskStatus;
}

/** One node of `wg why-blocked`'s chain; `status` is upstream's Debug name (InProgress, Open, …). */
export interface BlockingChainNode {
  id: string;
  status: string;
  after: BlockingChainNode[];
  phantom?: true;
}

export type RootBlocker =
  | { id: string; title: string; status: TaskStatus; assigned: string | null; is_ready: boolean }
  | { id: string; phantom: true; status: 'DOES NOT EXIST' };

export interface WhyBlocked {
  task: { id: string; title: string; status: TaskStatus };
  is_blocked: boolean;
  blocking_chain: BlockingChainNode;
  root_blockers: RootBlocker[];
  total_blockers: number;
}

export interface OrphanRef {
  from: string;
  to: string;
  relation: string;
  /** A task id one to three edits away, as upstream's check suggests ("Did you mean …?"). */
  suggestion?: string;
}

export interface StructuralCycle {
  header: string;
  members: string[];
  reducible: boolean;
}

/** `wg check`: upstream's CheckJsonOutput. Orphan references are errors; the rest are warnings. */
/**
 * A task whose blocker count, kept in graph.db so that "ready" is a lookup, is not what its dependencies
 * give: the trace of a bug, and a task that would wait for ever (or start too soon).
 */
export interface WrongBlockerCount {
  task_id: string;
  counted: number;
  expected: number;
}

export interface GraphCheck {
  ok: boolean;
  cycles: string[][];
  orphan_refs: OrphanRef[];
  stale_assignments: Array<{ task_id: string; assigned: string }>;
  stuck_blocked: Array<{ task_id: string; after_ids: string[] }>;
  /** This app's own: none in upstream, which has no kept counts (an error: `wg check --db --repair` recounts them). */
  wrong_blocker_counts: WrongBlockerCount[];
  node_count: number;
  structural_cycles: StructuralCycle[];
  warnings: number;
  errors: number;
}

/** `wg context ID`: what a task gets from its dependencies. */
export interface TaskContext {
  task_id: string;
  task_title: string;
  declared_inputs: string[];
  available_context: Array<{
    task_id: string;
    task_title: string;
    status: TaskStatus;
    artifacts: string[];
    /** This app's structured results (`wg done --artifacts '{…}'`), when the dependency handed any over. */
    results?: Record<string, JsonValue>;
  }>;
  missing_inputs: string[];
}

/** `wg context ID --dependents`: who uses a task's outputs. */
export interface DependentsContext {
  task_id: string;
  artifacts: string[];
  deliverables: string[];
  dependents: Array<{ task_id: string; title: string; needs: string[] }>;
}

export interface CriticalPath {
  critical_path: Array<{ id: string; title: string; status: TaskStatus; hours: number | null; after: string | null }>;
  task_count: number;
  total_hours: number;
  slack_analysis: Array<{ id: string; title: string; slack_hours: number; note: string }>;
  cycles_skipped: string[][];
}

export interface Bottlenecks {
  bottlenecks: Array<{
    id: string;
    title: string;
    direct_blocks: number;
    transitive_before: number;
    status: TaskStatus;
    assigned: string | null;
    recommendation: string | null;
  }>;
  total_tasks: number;
}

/** `wg cost ID`: upstream's estimated cost with its dependencies, and (this app's) what their runs spent. */
export interface TaskCost {
  task_id: string;
  total_cost: number;
  spent_usd: number;
}

/** `wg status`: upstream's StatusOutput (its cycle and verify widgets have no counterpart here). */
export interface StatusReport {
  service: { running: boolean; pid: number | null; uptime: string | null; socket: string | null };
  coordinator: { max_agents: number; executor: string; model: string | null; poll_interval: number };
  agents: { alive: number; dead: number; active: Array<{ id: string; task_id: string; uptime: string; status: string }> };
  /** `needs_you` (this app's): tasks only a person moves on, counted in none of upstream's buckets. */
  tasks: {
    in_progress: number;
    ready: number;
    blocked: number;
    delayed: number;
    done_today: number;
    done_total: number;
    needs_you: number;
  };
  recent: Array<{ time: string; task_id: string; title: string }>;
  dangling_deps?: Array<{ task_id: string; missing_dep: string; relation: string }>;
  /** This app's: tasks only a person can move on (needs-you.ts), with what to do; left out when none. */
  needs_you?: Array<{ task_id: string; title: string; kind: NeedsYouKind; label: string; todo: string }>;
  /**
   * This app's: failed tasks, stopped until someone retries them (upstream's summary counts them nowhere), newest
   * failure first, with why; left out when none. System tasks only with `--all`.
   */
  failed?: Array<{ task_id: string; title: string; reason: string | null }>;
}

/** `wg resume ID`: every task it un-paused (the seed first). */
export interface ResumeResult {
  task: Task;
  resumed: string[];
}
