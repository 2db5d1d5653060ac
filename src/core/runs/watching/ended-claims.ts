import type { StoreCore } from '../../store/store-core';
import { requireTaskRow } from '../../store/task-reads';
import { appendLog, transition } from '../../store/task-writes';

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
  const held = (
    await core
      .sql<{ id: string; status: string; agent: string; state: string }>(
        `SELECT t.id, t.status, a.id AS agent, a.state FROM tasks t JOIN agents a ON a.id = t.assigned
       WHERE t.status IN ('in-progress', 'open') AND a.state != 'working' ORDER BY t.seq`,
      )
      .all()
  ).filter((row) => !except.has(row.agent));
  for (const { id, status, agent, state } of held) {
    await transition(core, await requireTaskRow(core, id), { status: 'open', assigned: null, started_at: null }, rev);
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
  return (
    (await core
      .sql(
        `SELECT 1 FROM tasks t JOIN agents a ON a.id = t.assigned
         WHERE t.status IN ('in-progress', 'open') AND a.state != 'working' LIMIT 1`,
      )
      .get()) !== undefined
  );
}
