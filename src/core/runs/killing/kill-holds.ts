import type { Store } from '../../store/store';
import { findTaskRow } from '../../store/task-reads';
import { appendLog, transition } from '../../store/task-writes';

/** The log line of a `--redispatch` kill (upstream's words, which its tests look for). */
export const redispatchNote = (agentId: string) => `Task unclaimed: agent '${agentId}' was killed (--redispatch)`;

/**
 * A redispatched task is held (paused) while its killed run dies, and put back in the queue by the kill once nothing
 * of the run is left. A kill that did not see it through (its `wg kill` interrupted, its coordinator gone in the
 * middle) left the task paused for good, while its log said it was back in the queue. Whoever finds such a run gone
 * later (a coordinator's stop of leftovers or strays, its start, `wg service stop --kill-agents`) releases it here:
 * each task still as that kill left it (open, paused, unassigned, its last log line the kill's), nothing since.
 * Returns the tasks released.
 */
export async function releaseKillHolds(store: Store, runIds: Iterable<string>, actor: string): Promise<string[]> {
  const ids = [...runIds];
  if (ids.length === 0) return [];
  const core = store.core;
  const held = (
    await Promise.all(
      ids.map(async (runId) => {
        const agent = await core.get(
          core.build.selectFrom('agents').select(['id', 'task_id']).where('run_id', '=', runId).where('state', '=', 'killed'),
        );
        if (!agent) return [];
        const row = await findTaskRow(core, agent.task_id);
        if (!(row && row.status === 'open' && row.paused && row.assigned === null)) return [];
        return (
          await core.get(
            core.build.selectFrom('task_log').select('message').where('task_id', '=', agent.task_id).orderBy('id', 'desc').limit(1),
          )
        )?.message === redispatchNote(agent.id)
          ? [agent]
          : [];
      }),
    )
  ).flat();
  if (held.length === 0) return [];
  return core.write(async (rev) => {
    const released: string[] = [];
    for (const agent of held) {
      const row = await findTaskRow(core, agent.task_id);
      if (!(row && row.status === 'open' && row.paused && row.assigned === null)) continue;
      await transition(core, row, { paused: false }, rev);
      await appendLog(core, agent.task_id, actor, `Back in the queue: nothing of ${agent.id}'s killed run is left`);
      released.push(agent.task_id);
    }
    return released;
  });
}

/** Killed runs whose tasks a kill may have left held: the candidates a coordinator looks at when it starts. */
export async function heldKilledRuns(store: Store): Promise<string[]> {
  return (
    await store.core.all(
      store.core.build
        .selectFrom('agents as a')
        .innerJoin('tasks as t', 't.id', 'a.task_id')
        .select('a.run_id')
        .where('a.state', '=', 'killed')
        .where('a.run_id', 'is not', null)
        .where('a.runs_elsewhere', '=', 0)
        .where('t.status', '=', 'open')
        .where('t.paused', '=', 1)
        .where('t.assigned', 'is', null),
    )
  ).map((row) => row.run_id as string);
}
