import { sql } from 'kysely';
import {
  needsYou,
  needsYouFacts,
  needsYouSetup,
  type Listed,
  type NeedsYou,
  type NeedsYouFacts,
  type NeedsYouSetup,
  type NeedsYouTask,
} from '../../shared/needs-you';
import { AWAITING_EVALUATION, STARTABLE_STATUSES, TERMINAL_STATUSES, type TaskSummary } from '../../shared/task';
import { DEFAULT_SETTINGS } from '../config/settings';
import type { Store } from '../store/store';
import type { OpConfig } from './op-config';

/** needs-you.ts's setup from the configuration; what cannot be read counts as the defaults (`wg config` names its problem). */
export function needsYouSetupOf({ settings, profiles }: OpConfig): NeedsYouSetup {
  return needsYouSetup(settings ?? DEFAULT_SETTINGS, profiles ?? []);
}

/** The ids factsFor asks about: failed tasks (who waits on them), upstream `.evaluate-X` tasks (ended?), manual tasks (ready?). */
interface FactIds {
  failed: string[];
  judged: string[];
  manual: string[];
}

/** What the store says of those ids, read together (sent before any is awaited). */
async function factReads(store: Store, { failed, judged, manual }: FactIds) {
  const { core } = store;
  const { build, fn } = core;
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
  return {
    waitingOn: new Map(waiting.map((row) => [row.id, Number(row.n)])),
    unended: new Set(evaluations.map((row) => row.id)),
    readyIds: new Set(ready.map((row) => row.id)),
  };
}

/**
 * needs-you.ts's facts from what factReads found: how many unfinished tasks wait on a failed task, whether an upstream
 * `.evaluate-X` is still to end (only when the coordinator does not evaluate by itself), and whether a manual task is
 * ready by the store's own rule (readiness.ts). Each asked only of a task of the status it is about, so reads made before
 * a task's status was known (readOneNeedsYou) answer as reads made for it.
 */
function factsOf(setup: NeedsYouSetup, found: Awaited<ReturnType<typeof factReads>>): NeedsYouFacts {
  const base = needsYouFacts([], new Set(), setup);
  return {
    ...base,
    ready: (task) => STARTABLE_STATUSES.includes(task.status) && base.manual(task) && found.readyIds.has(task.id),
    evaluated: (task) => setup.autoEvaluate || (AWAITING_EVALUATION.includes(task.status) && found.unended.has(`.evaluate-${task.id}`)),
    waitingOn: (task) => (task.status === 'failed' ? (found.waitingOn.get(task.id) ?? 0) : 0),
  };
}

/**
 * The facts about `tasks` for those that may need them, in one round trip: a list of two thousand tasks reads three
 * small answers, not the graph again.
 */
async function factsFor(store: Store, config: Promise<OpConfig>, tasks: readonly NeedsYouTask[]): Promise<NeedsYouFacts> {
  const setup = needsYouSetupOf(await config);
  const base = needsYouFacts([], new Set(), setup);
  const found = await factReads(store, {
    failed: tasks.filter((t) => t.status === 'failed').map((t) => t.id),
    judged: setup.autoEvaluate ? [] : tasks.filter((t) => AWAITING_EVALUATION.includes(t.status)).map((t) => `.evaluate-${t.id}`),
    manual: tasks.filter((t) => STARTABLE_STATUSES.includes(t.status) && base.manual(t)).map((t) => t.id),
  });
  return factsOf(setup, found);
}

/** The person's part in each of `listed` (`wg list`, `wg ready`), when it has one. */
export async function withNeedsYou<T extends TaskSummary>(
  store: Store,
  config: Promise<OpConfig>,
  listed: readonly T[],
): Promise<Listed<T>[]> {
  const facts = await factsFor(store, config, listed);
  return listed.map((task) => {
    const needs = needsYou(task, facts);
    return needs ? { ...task, needs_you: needs } : task;
  });
}

/**
 * The person's part in the task `id` (`wg show`), or null: its facts are read now, for whatever status the task turns
 * out to have, so that called before the task's own read, they travel with it (one round trip on PostgreSQL).
 */
export async function readOneNeedsYou(
  store: Store,
  id: string,
  config: Promise<OpConfig>,
): Promise<(task: NeedsYouTask) => NeedsYou | null> {
  const read = factReads(store, { failed: [id], judged: [`.evaluate-${id}`], manual: [id] });
  const [setup, found] = await Promise.all([config.then(needsYouSetupOf), read]);
  const facts = factsOf(setup, found);
  return (task) => needsYou(task, facts);
}
