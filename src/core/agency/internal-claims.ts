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
  async take(taskId: string, purpose: InternalPurpose): Promise<boolean> {
    const core = this.store.core;
    return core.conn.write(
      async () =>
        (
          await core
            .sql(
              'INSERT INTO internal_claims (task_id, purpose, coordinator_id, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (task_id, purpose) DO NOTHING',
            )
            .run(taskId, purpose, this.store.agents.coordinatorId, core.nowIso())
        ).changes > 0,
    );
  }

  async release(taskId: string, purpose: InternalPurpose): Promise<void> {
    const core = this.store.core;
    await core.conn.write(async () => {
      await core.sql('DELETE FROM internal_claims WHERE task_id = ? AND purpose = ?').send(taskId, purpose);
    });
  }
}

/** At a coordinator's start: the claims it held before (a crash left them) are released. */
export async function releaseOwnClaims(store: Store): Promise<number> {
  const core = store.core;
  const me = store.agents.coordinatorId;
  return core.conn.write(async () =>
    me === null
      ? (await core.sql('DELETE FROM internal_claims').run()).changes
      : (await core.sql('DELETE FROM internal_claims WHERE coordinator_id = ? OR coordinator_id IS NULL').run(me)).changes,
  );
}
