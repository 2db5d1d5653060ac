/** Upstream's `wg reap` and `wg sweep`: their `--json` shapes, field for field, with this app's few beside them. */

/** A run `wg reap` forgets (or would). */
interface ReapedRun {
  id: string;
  task_id: string;
  /** Upstream's status word: always `dead` here (a done or failed run is its task's record and stays). */
  status: 'dead';
  /** When it ended (upstream's completed_at). */
  completed_at: string | null;
}

/** `wg reap` (upstream's print_results). */
export interface ReapResult {
  dry_run: boolean;
  count: number;
  dead: number;
  /** Upstream's counts of done and failed runs reaped: 0 here, where they stay. */
  done: 0;
  failed: 0;
  agents: ReapedRun[];
  /** Dead runs left in place because their task is still in progress on them (`wg sweep` requeues it first). */
  still_holding?: string[];
}

/** A task `wg sweep` finds held by a run that is not at work (upstream's OrphanedTask). */
export interface OrphanedTask {
  task_id: string;
  title: string;
  assigned_agent: string;
  reason: string;
}

/** `wg sweep` (upstream's JSON: `fixed`, the tasks put back in the queue; with `--dry-run` none). */
export interface SweepResult {
  dry_run: boolean;
  orphaned_count: number;
  orphaned: OrphanedTask[];
  fixed: string[];
  /** What the cleanup could not do, one line a run (a run whose leftovers could not be stopped keeps its task). */
  errors: string[];
}
