import type { PlanBasis } from '../store/store-core';
import type { TasksRead } from '../store/task-reads';
import type { ReadyRow } from './engine-state';

/**
 * What a team's turn decided outside the project's write turn, from a read-only snapshot: the tasks to claim, and what
 * the snapshot stood on. Its claims commit only on top of that snapshot (StoreCore.takePlannedRevision): a project that
 * moved on meanwhile fails them, and the turn is taken again on a fresh snapshot.
 */
export interface ClaimPlan {
  /** The project's revision, counters and schema version the snapshot was read at. */
  basis: PlanBasis;
  /** Tasks to claim, in the scheduler's order, with the columns their launch was decided on. */
  launches: ReadyRow[];
  /** The ready tasks read whole in the snapshot (TickState.whole): the claims' own read (the project is as read). */
  known?: TasksRead | null;
}
