import { needsYou, needsYouFacts, readyNow, type Listed, type NeedsYou } from '../../shared/needs-you';
import { AWAITING_EVALUATION, TERMINAL_STATUSES, type TaskDetail, type TaskStatus, type TaskSummary } from '../../shared/task';
import { readNeedsYouSetup } from '../config/needs-you-facts';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';

/**
 * The person's part in each of `listed` (needs-you.ts), read against the whole graph (what waits on a failed task,
 * an upstream `.evaluate-X`) and the project's setup, side by side.
 */
export async function withNeedsYou<T extends TaskSummary>(store: Store, paths: ProjectPaths, listed: readonly T[]): Promise<Listed<T>[]> {
  const [graph, setup] = await Promise.all([store.summaries({ system: true }), readNeedsYouSetup(paths)]);
  const facts = needsYouFacts(graph, readyNow(graph, store.core.clock().getTime()), setup);
  return listed.map((task) => {
    const needs = needsYou(task, facts);
    return needs ? { ...task, needs_you: needs } : task;
  });
}

/**
 * The person's part in one task (`wg show`), from what its page read already (its readiness, what requires it); one
 * more read only for an evaluation nothing here runs: whether upstream's `.evaluate-X` for it is still to end.
 */
export async function detailNeedsYou(store: Store, paths: ProjectPaths, task: TaskDetail): Promise<NeedsYou | null> {
  const setup = await readNeedsYouSetup(paths);
  const { core } = store;
  const upstreamEvaluation =
    AWAITING_EVALUATION.includes(task.status) && !setup.autoEvaluate
      ? await core.get(core.build.selectFrom('tasks').select('status').where('id', '=', `.evaluate-${task.id}`))
      : undefined;
  const unfinished = (status: string | null) => status !== null && !TERMINAL_STATUSES.includes(status as TaskStatus);
  const facts = needsYouFacts([], new Set(task.ready ? [task.id] : []), setup);
  return needsYou(task, {
    ...facts,
    evaluated: () => setup.autoEvaluate || (upstreamEvaluation !== undefined && unfinished(upstreamEvaluation.status)),
    waitingOn: () => task.required_by.filter((link) => unfinished(link.status)).length,
  });
}
