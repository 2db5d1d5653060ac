import { sql } from 'kysely';
import { needsYou, needsYouFacts, type Listed, type NeedsYou, type NeedsYouFacts, type NeedsYouTask } from '../../shared/needs-you';
import { AWAITING_EVALUATION, STARTABLE_STATUSES, TERMINAL_STATUSES, type TaskSummary } from '../../shared/task';
import { readNeedsYouSetup } from '../config/needs-you-facts';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';

/**
 * needs-you.ts's facts about `tasks`, read from the store for those that may need them, in one round trip: how many
 * unfinished tasks wait on each failed one, which upstream `.evaluate-X` is still to end (only when the coordinator does
 * not evaluate by itself), and which of the manual tasks are ready by the store's own rule (readiness.ts). A list of
 * two thousand tasks reads three small answers, not the graph again.
 */
async function factsFor(store: Store, paths: ProjectPaths, tasks: readonly NeedsYouTask[]): Promise<NeedsYouFacts> {
  const setup = await readNeedsYouSetup(paths);
  const { core } = store;
  const { build, fn } = core;
  const base = needsYouFacts([], new Set(), setup);
  const failed = tasks.filter((t) => t.status === 'failed').map((t) => t.id);
  const judged = setup.autoEvaluate ? [] : tasks.filter((t) => AWAITING_EVALUATION.includes(t.status)).map((t) => `.evaluate-${t.id}`);
  const manual = tasks.filter((t) => STARTABLE_STATUSES.includes(t.status) && base.manual(t)).map((t) => t.id);
  const ids = sql.ref('id');
  const [waiting, evaluations, ready] = await Promise.all([
    failed.length === 0
      ? []
      : core.all(
          build
            .selectFrom('deps')
            .innerJoin('tasks', 'tasks.id', 'deps.task_id')
            .select(['deps.dep_id as id', (eb) => eb.fn.countAll<number>().as('n')])
            .where(fn.inList(sql.ref('deps.dep_id'), failed))
            .where('tasks.status', 'not in', TERMINAL_STATUSES)
            .where(sql<boolean>`substr(tasks.id, 1, 1) <> '.'`)
            .groupBy('deps.dep_id'),
        ),
    judged.length === 0
      ? []
      : core.all(build.selectFrom('tasks').select('id').where(fn.inList(ids, judged)).where('status', 'not in', TERMINAL_STATUSES)),
    manual.length === 0
      ? []
      : core.all(build.selectFrom('tasks').select('id').where(fn.inList(ids, manual)).where(core.ready.readyAt(core.nowIso()))),
  ]);
  const waitingOn = new Map(waiting.map((row) => [row.id, Number(row.n)]));
  const unended = new Set(evaluations.map((row) => row.id));
  const readyIds = new Set(ready.map((row) => row.id));
  return {
    ...base,
    ready: (task) => readyIds.has(task.id),
    evaluated: (task) => setup.autoEvaluate || unended.has(`.evaluate-${task.id}`),
    waitingOn: (task) => waitingOn.get(task.id) ?? 0,
  };
}

/** The person's part in each of `listed` (`wg list`, `wg ready`), when it has one. */
export async function withNeedsYou<T extends TaskSummary>(store: Store, paths: ProjectPaths, listed: readonly T[]): Promise<Listed<T>[]> {
  const facts = await factsFor(store, paths, listed);
  return listed.map((task) => {
    const needs = needsYou(task, facts);
    return needs ? { ...task, needs_you: needs } : task;
  });
}

/** The person's part in one task (`wg show`), or null. */
export async function oneNeedsYou(store: Store, paths: ProjectPaths, task: NeedsYouTask): Promise<NeedsYou | null> {
  return needsYou(task, await factsFor(store, paths, [task]));
}
