import { describe, expect, it } from 'vitest';
import { type ArchiveOptions, archiveTasks } from '../../src/core/cleanup/archive';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * `wg archive` then `--undo` on each store (archive-undo.test.ts runs the commands on SQLite): what the archive keeps
 * beside upstream's line (archive-keep.ts) is read and written back by the store's own statements, on PostgreSQL too.
 */

const OPTIONS: ArchiveOptions = { ids: [], dryRun: false, older: undefined, list: false, yes: true, undo: false };

describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  it('gives back the tasks, their places, messages, readers and every dependency on them', async () => {
    const { store, dir } = await newStore();
    const line = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'task', title: String(fields.id), ...fields });
    await store.importJsonl(
      [
        line({ id: 'first', status: 'open' }),
        // A cycle through design: alpha's edge to it is kept as a loose dependency (kind 'cycle').
        line({ id: 'alpha', status: 'done', after: ['design'], completed_at: '2026-02-01T10:00:00.000Z' }),
        line({ id: 'design', status: 'done', after: ['alpha'], completed_at: '2026-02-01T10:00:00.000Z' }),
        line({ id: 'build', status: 'failed', after: ['design'], requires: ['gpu', 'design'] }),
        // Names design in upstream's `before` alone.
        line({ id: 'spec', status: 'open', before: ['design'] }),
        line({ id: 'review', status: 'done', after: ['design'], completed_at: '2026-02-01T11:00:00.000Z' }),
      ].join('\n'),
    );
    await store.messages.send({ taskId: 'design', body: 'Use the brand colours', sender: 'lead', priority: 'normal', agentId: null });
    await store.messages.read('design', 'agent-7');
    await store.messages.send({ taskId: 'design', body: 'And the new logo', sender: 'lead', priority: 'urgent', agentId: null });
    await store.messages.send({ taskId: 'review', body: 'Looks good', sender: 'user', priority: 'normal', agentId: null });
    const looseDeps = () => store.core.all(store.core.build.selectFrom('loose_deps').selectAll().orderBy(['task_id', 'dep_id']));
    expect(await looseDeps()).toEqual([{ task_id: 'alpha', dep_id: 'design', kind: 'cycle' }]);
    const before = await store.exportJsonl();
    const messages = await store.messages.list('design');

    expect(await archiveTasks(store, dir, { ...OPTIONS, ids: ['design', 'review'] })).toMatchObject({ kind: 'archived' });
    expect((await store.list()).map((t) => t.id).sort()).toEqual(['alpha', 'build', 'first', 'spec']);
    expect((await store.get('build')).after).toEqual([]);

    expect(await archiveTasks(store, dir, { ...OPTIONS, undo: true })).toEqual({
      kind: 'undone',
      restored: ['design', 'review'],
      skipped: [],
    });
    expect(await store.exportJsonl()).toBe(before);
    expect(await looseDeps()).toEqual([{ task_id: 'alpha', dep_id: 'design', kind: 'cycle' }]);
    expect(await store.messages.list('design')).toEqual(messages);
    expect(await store.messages.cursor('design', 'agent-7')).toBe(1);
    expect((await store.messages.unread('design', 'agent-7')).map((m) => m.body)).toEqual(['And the new logo']);
  });

  it("gives back a loop's back edge as it was when it was the archived task's own (no cycle among the dependencies)", async () => {
    // Issue 74: design's own edge closed the loop (kept as kind 'cycle'); back from the archive it was an ordinary
    // dependency, so the dependencies held both loop -> design and design -> loop.
    const { store, dir } = await newStore();
    const line = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'task', title: String(fields.id), ...fields });
    await store.importJsonl(
      [
        line({ id: 'design', status: 'done', after: ['loop'], completed_at: '2026-02-01T10:00:00.000Z' }),
        // Finished too (the archive takes no task with dependents at work), and left in the graph.
        line({ id: 'loop', status: 'failed', after: ['design'] }),
      ].join('\n'),
    );
    const edges = async () => ({
      deps: await store.core.all(store.core.build.selectFrom('deps').select(['task_id', 'dep_id']).orderBy(['task_id', 'dep_id'])),
      loose: await store.core.all(store.core.build.selectFrom('loose_deps').selectAll().orderBy(['task_id', 'dep_id'])),
    });
    const kept = await edges();
    expect(kept).toEqual({
      deps: [{ task_id: 'loop', dep_id: 'design' }],
      loose: [{ task_id: 'design', dep_id: 'loop', kind: 'cycle' }],
    });
    const before = await store.exportJsonl();

    expect(await archiveTasks(store, dir, { ...OPTIONS, ids: ['design'] })).toMatchObject({ kind: 'archived' });
    expect(await archiveTasks(store, dir, { ...OPTIONS, undo: true })).toMatchObject({ kind: 'undone', restored: ['design'] });
    expect(await edges()).toEqual(kept);
    expect(await store.exportJsonl()).toBe(before);
  });
});
