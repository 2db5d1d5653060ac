import type { TasksRead } from '../store/task-reads';
import { sql } from 'kysely';
import type { StoreCore } from '../store/store-core';
import type { ReadyRow } from './engine-state';

/**
 * What a team's turn decided outside the project's write turn, from a read-only snapshot: the tasks to claim,
 * and what the decision rests on besides their being ready (the team's cap and the runs counted toward it).
 */
export interface ClaimPlan {
  /** The project's revision the snapshot was read at. */
  rev: number;
  /** Tasks to claim, in the scheduler's order, with the columns their launch was decided on. */
  launches: ReadyRow[];
  /** The team's cap and the slots this coordinator's own runs used in the snapshot (no team cap: absent). */
  team?: { max_agents: number; mine_busy: number };
  /**
   * The ready tasks read whole in the snapshot (TickState.whole): the claims' own read when nothing was committed
   * since (the revision as planned), a round trip fewer on PostgreSQL.
   */
  known?: TasksRead | null;
}

/**
 * Inside the write turn, before a plan's claims: those of its tasks that are still ready and unclaimed, and
 * still run as decided (executor, command, identity), in the plan's order (another coordinator may have claimed
 * them, or anyone changed them, since the snapshot), by one statement on those rows.
 */
export async function stillReady(core: StoreCore, tasks: readonly ReadyRow[], now: Date): Promise<string[]> {
  if (tasks.length === 0) return [];
  const rows = await core.all(
    core.build
      .selectFrom('tasks')
      .select(['id', 'executor', 'exec', 'agent', 'model'])
      .where(
        core.fn.inList(
          sql.ref('id'),
          tasks.map((task) => task.id),
        ),
      )
      .where(core.ready.readyAt(now.toISOString()))
      .where('assigned', 'is', null),
  );
  const current = new Map(rows.map((row) => [row.id, row]));
  return tasks
    .filter((task) => {
      const row = current.get(task.id);
      return row !== undefined && row.executor === task.executor && row.exec === task.exec && row.agent === task.agent;
    })
    .map((task) => task.id);
}

/**
 * How many of a plan's claims the team's cap still leaves room for, given the slots other coordinators' runs
 * use now (`othersBusyNow`): a plan made before another coordinator's claims must not take the team past it.
 * This coordinator's own runs change only by its own turns, so its count from the snapshot holds.
 */
export function teamRoom(team: ClaimPlan['team'], othersBusyNow: number): number {
  if (!team) return Number.POSITIVE_INFINITY;
  return Math.max(0, team.max_agents - othersBusyNow - team.mine_busy);
}
