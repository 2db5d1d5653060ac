import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store/store';
import { upstreamLine } from '../../src/core/store/jsonl-export';
import { applyToStore } from '../../src/core/upstream-sync/store-apply';
import { type Line, mergeTask } from '../../src/core/upstream-sync/task-merge';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * upstream: src/commands/edit.rs, `wg edit --cron ""` ("Cleared cron schedule"): cron_schedule, cron_enabled,
 * next_cron_fire and last_cron_fire are reset, so the task's line is written without them; not_before is its own field
 * and stays. The sync merges that line against the last synced versions of both sides (task-merge) and applies the
 * merge to the store (store-apply), as GraphSync does, without its lock, which is a process.
 */
const CRON = { cron_enabled: true, cron_schedule: '0 0 9 * * *', next_cron_fire: '2026-03-02T09:00:00+00:00' };
const BEFORE = '2026-03-01T10:00:00Z';
const AFTER = '2026-03-01T11:00:00Z';

function task(id: string, fields: Line = {}): Line {
  return { kind: 'task', id, title: `Task ${id}`, status: 'open', created_at: BEFORE, last_interaction_at: BEFORE, ...fields };
}

/** graph.jsonl's line for the task went from `before` (synced, and imported) to `after`; the store takes upstream's change. */
async function syncChange(store: Store, before: Line, after: Line): Promise<void> {
  const id = String(before.id);
  const ours = upstreamLine(await store.get(id));
  const result = mergeTask({
    known: true,
    theirsBase: before,
    theirs: after,
    oursBase: ours,
    ours,
    theirsAt: Date.parse(AFTER),
    oursAt: Date.parse(BEFORE),
  });
  if (result.store.kind === 'none') return;
  const change = result.store;
  await store.core.write((rev) => applyToStore(store.core, [{ id, change, line: result.line ?? after }], rev));
}

describe.each(STORE_KINDS)('a cron schedule upstream clears, keeps or adds, synced into the store (%s)', (kind) => {
  let temp: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => temp.dispose());

  it('ends the repeating schedule and its next run when the line loses its cron fields; leaves the others', async () => {
    temp = await tempStore(undefined, kind);
    const { store } = temp;
    const cleared = task('r', CRON);
    const kept = task('k', CRON);
    const added = task('n');
    // A wait upstream set beside a cron it had turned off (cron_enabled false): no schedule here, only the wait.
    const waiting = task('w', { cron_schedule: '0 0 9 * * *', not_before: '2026-03-05T08:00:00Z' });
    await store.importJsonl([cleared, kept, added, waiting].map((line) => JSON.stringify(line)).join('\n'));
    expect(await store.get('r')).toMatchObject({ schedule: '0 0 9 * * *', not_before: '2026-03-02T09:00:00.000Z' });

    const { cron_enabled: _e, cron_schedule: _s, next_cron_fire: _n, ...withoutCron } = cleared;
    await syncChange(store, cleared, { ...withoutCron, last_interaction_at: AFTER });
    await syncChange(store, kept, { ...kept, title: 'Renamed', last_interaction_at: AFTER });
    await syncChange(store, added, { ...added, ...CRON, last_interaction_at: AFTER });
    const { cron_schedule: _w, ...waitingWithoutCron } = waiting;
    await syncChange(store, waiting, { ...waitingWithoutCron, last_interaction_at: AFTER });

    // Upstream made it a one-off task: nothing holds it back or runs it again.
    expect(await store.get('r')).toMatchObject({ schedule: null, not_before: null });
    expect((await store.get('r')).extra).not.toHaveProperty('cron_schedule');
    expect(await store.get('k')).toMatchObject({ title: 'Renamed', schedule: '0 0 9 * * *', not_before: '2026-03-02T09:00:00.000Z' });
    expect(await store.get('n')).toMatchObject({ schedule: '0 0 9 * * *', not_before: '2026-03-02T09:00:00.000Z' });
    expect(await store.get('w')).toMatchObject({ schedule: null, not_before: '2026-03-05T08:00:00.000Z' });
  });

  it("keeps the line's own not_before, which upstream's clear leaves, in place of the cron's next run", async () => {
    temp = await tempStore(undefined, kind);
    const { store } = temp;
    const line = task('r', { ...CRON, not_before: '2026-03-04T07:00:00+00:00' });
    await store.importJsonl(JSON.stringify(line));
    const { cron_enabled: _e, cron_schedule: _s, next_cron_fire: _n, ...withoutCron } = line;
    await syncChange(store, line, { ...withoutCron, last_interaction_at: AFTER });
    expect(await store.get('r')).toMatchObject({ schedule: null, not_before: '2026-03-04T07:00:00.000Z' });
  });
});
