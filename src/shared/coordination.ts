/**
 * Upstream's coordination reports (`wg coordinate`, `wg discover`, `wg match`, `wg trajectory`): their `--json` shapes,
 * field for field as upstream's serde writes them (a field it skips when empty is optional here).
 */
import type { TaskStatus } from './task';

/** A task `wg coordinate` lists as ready or in progress (upstream's TaskSummary). */
export interface CoordinateTask {
  id: string;
  title: string;
  assigned?: string;
  estimate?: { hours?: number; cost?: number };
}

/** `wg coordinate` (upstream's CoordinationStatus). */
export interface CoordinationStatus {
  ready: CoordinateTask[];
  in_progress: CoordinateTask[];
  /** Open tasks a dependency holds, each with all of its `after`. */
  blocked: Array<{ id: string; title: string; after: string[] }>;
  done_count: number;
  total_count: number;
}

/** One task of `wg discover --json`, most recently completed first. */
export interface DiscoveredTask {
  id: string;
  title: string;
  completed_at: string | null;
  tags: string[];
  /** With --with-artifacts, when the task has any. */
  artifacts?: string[];
  last_log?: { timestamp: string; message: string };
}

/** Upstream's TrustLevel as its serde writes it. */
export type TrustLevel = 'verified' | 'provisional' | 'unknown';

/** One agent identity `wg match` weighs (upstream's MatchResult). */
export interface AgentMatch {
  agent_id: string;
  agent_name: string;
  score: number;
  matched_skills: string[];
  missing_skills: string[];
  trust_level: TrustLevel;
  available: boolean;
}

/** `wg match TASK`: the task and its capable agents (`--json` prints `matches` alone, as upstream). */
export interface MatchReport {
  task: { id: string; title: string; skills: string[] };
  matches: AgentMatch[];
}

/** A step of a trajectory (upstream's TrajectoryStep). */
export interface TrajectoryStep {
  id: string;
  title: string;
  status: TaskStatus;
  depth: number;
  /** Of the task's inputs, those its predecessor on the path produces. */
  receives: string[];
  /** Its deliverables, then its artifacts not among them. */
  produces: string[];
  hours: number | null;
}

/** `wg trajectory TASK` (upstream's Trajectory). */
export interface Trajectory {
  root_task: string;
  steps: TrajectoryStep[];
  total_hours: number | null;
  claim_order: string[];
}

/** One of `wg trajectory --actor A`'s suggestions. */
export interface SuggestedTrajectory {
  root_task: string;
  score: number;
  steps: number;
  total_hours: number | null;
  claim_order: string[];
}
