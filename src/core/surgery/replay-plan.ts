import type { TaskStatus } from '../../shared/task';

/*
 * Which tasks upstream's `wg replay` resets, as a pure rule: the seeds
 * (the listed tasks, the failed ones, those scoring below a threshold, or every finished one), then everything after
 * them, then back out the done tasks that scored at least --keep-done. The graph's system tasks (.assign-…,
 * .evaluate-…) are neither seeds nor followed, as `wg reset` leaves them: the coordinator makes them again.
 */

export interface ReplayFilter {
  failedOnly: boolean;
  belowScore: number | null;
  tasks: readonly string[];
  /** Done tasks scoring at least this are kept (1 or more keeps none, as upstream's `< 1.0` test). */
  keepDone: number;
  subgraph: string | null;
}

export interface ReplayTask {
  id: string;
  status: TaskStatus;
  after: readonly string[];
  system: boolean;
}

/** Upstream's is_terminal. */
const finished = (status: TaskStatus) => status === 'done' || status === 'failed' || status === 'abandoned';

/** Upstream's build_score_map: the best score of each task (from 0, as upstream's or_insert(0.0)). */
export function bestScores(evaluations: ReadonlyArray<{ task_id: string; score: number }>): Map<string, number> {
  const best = new Map<string, number>();
  for (const e of evaluations) best.set(e.task_id, Math.max(best.get(e.task_id) ?? 0, e.score));
  return best;
}

/** Upstream's build_reverse_index: each task's dependents (the tasks that have it in `after`). */
export function dependentsIndex(tasks: readonly ReplayTask[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const t of tasks) for (const dep of t.after) index.set(dep, [...(index.get(dep) ?? []), t.id]);
  return index;
}

/** Everything after `from` (and itself): upstream's collect_subgraph and collect_transitive_dependents alike. */
function downstream(index: ReadonlyMap<string, string[]>, from: string, system: ReadonlySet<string>, into: Set<string>): void {
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (into.has(id) || system.has(id)) continue;
    into.add(id);
    stack.push(...(index.get(id) ?? []));
  }
}

function isSeed(task: ReplayTask, filter: ReplayFilter, scores: ReadonlyMap<string, number>): boolean {
  if (filter.tasks.length > 0) return filter.tasks.includes(task.id);
  if (filter.failedOnly) return task.status === 'failed' || task.status === 'abandoned';
  if (filter.belowScore !== null) {
    const score = scores.get(task.id);
    // No score: reset if finished (no evidence of quality), as upstream's.
    return score !== undefined ? score < filter.belowScore : finished(task.status);
  }
  return finished(task.status);
}

/** The tasks to reset, sorted (upstream's reset_ids); the subgraph's root must exist (the caller checks). */
export function replayResets(tasks: readonly ReplayTask[], filter: ReplayFilter, scores: ReadonlyMap<string, number>): string[] {
  const index = dependentsIndex(tasks);
  const system = new Set(tasks.filter((t) => t.system).map((t) => t.id));
  let inSubgraph: Set<string> | null = null;
  if (filter.subgraph !== null) {
    inSubgraph = new Set();
    downstream(index, filter.subgraph, new Set(), inSubgraph);
  }
  const seeds = tasks.filter((t) => !t.system && (!inSubgraph || inSubgraph.has(t.id)) && isSeed(t, filter, scores));
  const reset = new Set<string>();
  for (const seed of seeds) downstream(index, seed.id, system, reset);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  if (filter.keepDone < 1) {
    for (const id of [...reset]) {
      const score = scores.get(id);
      if (byId.get(id)?.status === 'done' && score !== undefined && score >= filter.keepDone) reset.delete(id);
    }
  }
  return [...reset].sort();
}
