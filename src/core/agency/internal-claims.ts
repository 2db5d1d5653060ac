import type { Store } from '../store/store';

/** What a coordinator does itself about a task: the evaluator, the assigner, one of upstream's system tasks. */
export type InternalPurpose = 'evaluate' | 'assign' | 'system';

/**
 * Claims of the coordinator's own work on a task, in the store: taken in the project's write turn, so of a
 * team's several coordinators one alone evaluates, assigns or runs a system task at a time; released once
 * its result is written. A crashed coordinator's claims are released when it starts again, or when another
 * takes over the runs of one declared lost (leases/lost-runs.ts).
 */
export class InternalClaims {
  constructor(private readonly store: Store) {}

  /** Claims `taskId` for `purpose`; false when a coordinator (this one or another) has it already. */
  take(taskId: string, purpose: InternalPurpose): boolean {
    const core = this.store.core;
    return core.conn.write(
      () =>
        core
          .sql(
            'INSERT INTO internal_claims (task_id, purpose, coordinator_id, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (task_id, purpose) DO NOTHING',
          )
          .run(taskId, purpose, this.store.agents.coordinatorId, core.nowIso()).changes > 0,
    );
  }

  release(taskId: string, purpose: InternalPurpose): void {
    const core = this.store.core;
    core.conn.write(() => {
      core.sql('DELETE FROM internal_claims WHERE task_id = ? AND purpose = ?').run(taskId, purpose);
    });
  }
}

/** At a coordinator's start: the claims it held before (a crash left them) are released. */
export function releaseOwnClaims(store: Store): number {
  const core = store.core;
  const me = store.agents.coordinatorId;
  return core.conn.write(() =>
    me === null
      ? core.sql('DELETE FROM internal_claims').run().changes
      : core.sql('DELETE FROM internal_claims WHERE coordinator_id = ? OR coordinator_id IS NULL').run(me).changes,
  );
}
