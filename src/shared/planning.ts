import type { TaskStatus } from './task';

/** `wg cycles --json`: upstream's cycle analysis of the `after` edges (header, members, reducibility, back edges). */
export interface CyclesReport {
  cycle_count: number;
  cycles: Array<{
    header: string;
    members: string[];
    member_count: number;
    reducible: boolean;
    /** Upstream's id and status, with the title its words print beside them. */
    member_statuses: Array<{ id: string; status: string; title: string }>;
  }>;
  back_edges: Array<{ from: string; to: string }>;
}

/** `wg html --json`: what was written where (upstream's summary; it has no chats here). */
export interface HtmlSummary {
  out_dir: string;
  total_in_graph: number;
  public_count: number;
  pages_written: number;
  show_all: boolean;
  since: string | null;
}

/** One task as `wg impact` names it. */
export interface ImpactInfo {
  id: string;
  title: string;
  status: TaskStatus;
  hours: number | null;
}

/** `wg impact ID --json`: upstream's ImpactOutput. */
export interface ImpactReport {
  task: ImpactInfo;
  direct_dependents: ImpactInfo[];
  transitive_dependents: ImpactInfo[];
  dependency_chains: string[][];
  impact_summary: { total_tasks_affected: number; total_hours_at_risk: number };
}

/** A task of `wg plan`'s budget or hours plan. */
export interface PlanItem {
  id: string;
  title: string;
  cost: number;
  hours: number;
  is_ready: boolean;
}

/** What fits within a budget (dollars) or hours, and what does not (upstream's FitResult). */
export interface PlanFit {
  fits: PlanItem[];
  exceeds: PlanItem[];
  remaining: number;
}

/** Upstream's ProjectSummary: open work and its estimates. */
export interface ProjectSummary {
  open: number;
  done: number;
  in_progress: number;
  ready: number;
  blocked: number;
  total_cost: number;
  total_hours: number;
}

/** `wg plan --json`: upstream's PlanOutput. */
export interface PlanReport {
  summary: ProjectSummary;
  budget_plan?: PlanFit & { budget: number };
  hours_plan?: PlanFit & { hours: number };
}
