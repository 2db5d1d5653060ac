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
          await core.run(
            core.build
              .insertInto('internal_claims')
              .values({ task_id: taskId, purpose, coordinator_id: this.store.agents.coordinatorId, claimed_at: core.nowIso() })
              .onConflict((oc) => oc.columns(['task_id', 'purpose']).doNothing()),
          )
        ).changes > 0,
    );
  }

  async release(taskId: string, purpose: InternalPurpose): Promise<void> {
    const core = this.store.core;
    await core.conn.write(async () => {
      await core.send(core.build.deleteFrom('internal_claims').where('task_id', '=', taskId).where('purpose', '=', purpose));
    });
  }
}

/** At a coordinator's start: the claims it held before (a crash left them) are released. */
export async function releaseOwnClaims(store: Store): Promise<number> {
  const core = store.core;
  const me = store.agents.coordinatorId;
  return core.conn.write(async () =>
    me === null
      ? (await core.run(core.build.deleteFrom('internal_claims'))).changes
      : (
          await core.run(
            core.build
              .deleteFrom('internal_claims')
              .where((eb) => eb.or([eb('coordinator_id', '=', me), eb('coordinator_id', 'is', null)])),
          )
        ).changes,
  );
}
