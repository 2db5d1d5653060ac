import { sql } from 'kysely';
import type { StoreCore } from '../../store/store-core';
import { requireTaskRow } from '../../store/task-reads';
import { appendLog, reopen } from '../../store/task-writes';

/*
 * A task in progress on a run of this app that has ended is held by nobody: no run will report on it
 * and the scheduler never claims it again. Settling a run and killing one move the task with the
 * run, in one transaction, so this comes only from outside: an older graph.jsonl written back, or a
 * database from before that rule. An open task such a run still claims waits the same way: the
 * coordinator starts no task that has an assignee.
 * The coordinator's start and `wg dead-agents --cleanup` requeue such tasks, or clear the claim of
 * an open one, as upstream's reconciler does, each with a line in its log. A claim by a name that
 * is no run here (a person's `wg claim`, upstream's own agents) is left alone.
 */

/** Tasks in progress or open whose assignee is a run of this app that is no longer working. */
const endedClaims = (core: StoreCore) =>
  core.build
    .selectFrom('tasks as t')
    .innerJoin('agents as a', 'a.id', 't.assigned')
    .where('t.status', 'in', ['in-progress', 'open'])
    .where('a.state', '!=', 'working');

/**
 * Requeues every task held by an ended run but those of `except` (runs whose processes could not be
 * stopped), and clears such a run's claim on an open task; returns their ids. Call inside a write (of
 * revision `rev`).
 */
export async function releaseEndedClaims(
  core: StoreCore,
  actor: string,
  rev: number,
  except: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const held = (await core.all(endedClaims(core).select(['t.id', 't.status', 'a.id as agent', 'a.state']).orderBy('t.seq'))).filter(
    (row) => !except.has(row.agent),
  );
  for (const { id, status, agent, state } of held) {
    await reopen(core, await requireTaskRow(core, id), rev);
    await appendLog(
      core,
      id,
      actor,
      status === 'open'
        ? `Claimed by ${agent}, a run that has ended (${state}); claim cleared`
        : `In progress on ${agent}, a run that has ended (${state}); task requeued`,
    );
  }
  return held.map((row) => row.id);
}

/** Whether any task is held by an ended run (a read, so a start with nothing to repair writes nothing). */
export async function hasEndedClaims(core: StoreCore): Promise<boolean> {
  return (await core.get(endedClaims(core).select(sql.lit(1).as('one')).limit(1))) !== undefined;
}
