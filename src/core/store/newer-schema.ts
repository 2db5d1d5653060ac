import { WgError } from '../../shared/errors';
import { MIGRATIONS } from './migrations';
import type { StoreCore } from './store-core';

/**
 * A newer wg (an update, a teammate's machine on a team's graph) migrated the project's database while this
 * process held it open: its statements still run, but the newer schema's rules (a new column's meaning, a new
 * rule of readiness) are not this build's, so what it would write next is no longer for it to decide.
 */
export class NewerSchemaError extends WgError {
  constructor(readonly version: number) {
    super('conflict', `the project's database was upgraded to version ${version} by a newer wg while this one (${MIGRATIONS.length}) ran`);
    this.name = 'NewerSchemaError';
  }
}

/**
 * Throws NewerSchemaError when a newer build migrated the store meanwhile. Its read is sent when called: started with a
 * transaction's opening and awaited later, it travels with it on PostgreSQL (in-flight.ts).
 */
export async function refuseNewerSchema(core: StoreCore): Promise<void> {
  const now = await core.schemaVersion();
  if (now > MIGRATIONS.length) throw new NewerSchemaError(now);
}
