import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { RetireReport } from '../../src/shared/legacy-tasks';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * `wg migrate retire-compact-archive` against upstream's own cases (graphwork/workgraph src/commands/migrate.rs
 * `mod tests`), each named in its `it`. Upstream's chat-rename, config and secrets subcommands are not here
 * (docs/upstream.md, "Not here"), nor their cases.
 */

describe.each(STORE_KINDS)('wg migrate retire-compact-archive on %s', (kind) => {
  const newStore = storesPerTest(kind);
  const project = async (lines: Array<Record<string, unknown>>) => {
    const env = await newStore();
    await env.store.importJsonl(lines.map((l) => JSON.stringify({ kind: 'task', title: String(l.id), ...l })).join('\n'));
    const ctx = opContextOn(env);
    const retire = (dryRun = false) => dispatch('graph:retireCompactArchive', { dryRun }, ctx) as Promise<RetireReport>;
    return { store: env.store, retire };
  };

  it('retire_compact_archive_abandons_legacy_tasks', async () => {
    const { store, retire } = await project([
      { id: '.chat-0', status: 'in-progress' },
      { id: '.compact-0' },
      { id: '.archive-0' },
      { id: 'real-prereq' },
      { id: 'real-task', after: ['.compact-0', 'real-prereq'] },
    ]);
    expect(await retire()).toEqual({ abandoned_ids: ['.compact-0', '.archive-0'], stripped_edges: 1, dry_run: false });
    expect((await store.get('.compact-0')).status).toBe('abandoned');
    expect((await store.get('.archive-0')).status).toBe('abandoned');
    expect((await store.get('.chat-0')).status).toBe('in-progress');
    expect((await store.get('real-task')).after).toEqual(['real-prereq']);
  });

  it('retire_compact_archive_is_idempotent', async () => {
    const { store, retire } = await project([{ id: '.compact-0' }]);
    await retire();
    expect(await retire()).toEqual({ abandoned_ids: [], stripped_edges: 0, dry_run: false });
    expect((await store.get('.compact-0')).status).toBe('abandoned');
  });

  it('dry_run_does_not_modify (for retire-compact-archive)', async () => {
    const { store, retire } = await project([{ id: '.compact-0' }, { id: 'real-task', after: ['.compact-0'] }]);
    expect(await retire(true)).toEqual({ abandoned_ids: ['.compact-0'], stripped_edges: 1, dry_run: true });
    expect((await store.get('.compact-0')).status).toBe('open');
    expect((await store.get('real-task')).after).toEqual(['.compact-0']);
  });
});
