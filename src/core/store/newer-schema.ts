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

/** The schema's version as stored, asked for now and read later (with a transaction's opening on PostgreSQL). */
async function storedVersionSoon(core: StoreCore): Promise<() => Promise<number>> {
  if (core.kind === 'sqlite') {
    const rows = await core.soon<{ user_version: number }>('PRAGMA user_version');
    return async () => (await rows())[0]?.user_version ?? 0;
  }
  const rows = await core.soon<{ version: number }>('SELECT version FROM schema_version');
  return async () => (await rows())[0]?.version ?? 0;
}

/** Asked for now; the check, once called, throws NewerSchemaError when a newer build migrated the store meanwhile. */
export async function refuseNewerSchemaSoon(core: StoreCore): Promise<() => Promise<void>> {
  const version = await storedVersionSoon(core);
  return async () => {
    const now = await version();
    if (now > MIGRATIONS.length) throw new NewerSchemaError(now);
  };
}
