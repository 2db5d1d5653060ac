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
});
