import type { StoreCore } from './store-core';

/** The team's settings in the store (migration: team_settings; which ones: config/team-keys.ts). */
export async function readTeamSettings(core: StoreCore): Promise<Map<string, unknown>> {
  const rows = await core.all(core.build.selectFrom('team_settings').select(['key', 'value']).orderBy('key'));
  return new Map(rows.map((row) => [row.key, JSON.parse(row.value) as unknown]));
}

/** What changes when the team's settings do: the newest revision that wrote one, and how many there are. */
export async function teamSettingsStamp(core: StoreCore): Promise<string> {
  const row = await core.get(
    core.build.selectFrom('team_settings').select((eb) => [eb.fn.max('rev').as('newest'), eb.fn.countAll<number>().as('n')]),
  );
  return `${row?.newest ?? 0}/${row?.n ?? 0}`;
}

/**
 * Makes the team's settings `wanted`, in one transaction with a revision of its own (every coordinator
 * and window hears of it as of any commit): rows that differ are written, rows not wanted removed.
 * Returns whether anything changed.
 */
export async function writeTeamSettings(
  core: StoreCore,
  change: (current: Map<string, unknown>) => Map<string, unknown>,
): Promise<boolean> {
  let changed = false;
  await core.conn.write(async () => {
    const current = await readTeamSettings(core);
    const wanted = change(current);
    const writes = [...wanted].filter(([key, value]) => JSON.stringify(current.get(key)) !== JSON.stringify(value));
    const removals = [...current.keys()].filter((key) => !wanted.has(key));
    if (writes.length === 0 && removals.length === 0) return;
    changed = true;
    core.announceSettings();
    await core.write(async (rev) => {
      for (const [key, value] of writes) {
        await core.send(
          core.build
            .insertInto('team_settings')
            .values({ key, value: JSON.stringify(value), rev })
            .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), rev: eb.ref('excluded.rev') }))),
        );
      }
      for (const key of removals) await core.send(core.build.deleteFrom('team_settings').where('key', '=', key));
    });
  });
  return changed;
}
