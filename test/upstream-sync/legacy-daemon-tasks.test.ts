import { afterEach, describe, expect, it } from 'vitest';
import { retireLegacyDaemonTasks } from '../../src/core/upstream-sync/legacy-daemon-tasks';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * upstream: src/commands/migrate.rs retire_compact_archive_abandons_legacy_tasks, retire_compact_archive_is_idempotent;
 * tests/integration_retire_compact_archive.rs test_legacy_compact_archive_tasks_loaded_then_abandoned. Upstream's
 * service start retires them (cleanup_legacy_daemon_tasks); the coordinator here does at its start (engine.ts).
 */
describe.each(STORE_KINDS)("an older upstream coordinator's control tasks (%s)", (kind) => {
  let temp: ReturnType<typeof tempStore>;
  afterEach(() => temp.dispose());

  it('are abandoned, so what waited on them can start; chat tasks and done ones stay; a second pass changes nothing', () => {
    temp = tempStore(undefined, kind);
    const { store } = temp;
    store.importJsonl(
      [
        { id: '.chat-0', title: 'Chat 0', status: 'in-progress', tags: ['chat-loop'] },
        { id: '.compact-0', title: 'Compact 0', status: 'open', after: ['.chat-0'] },
        { id: '.archive-0', title: 'Archive 0', status: 'open', after: ['.chat-0'] },
        { id: '.user-ana-0', title: 'Board', status: 'open' },
        { id: '.compact-old', title: 'Compact old', status: 'done' },
        { id: 'real-prereq', title: 'Real prereq', status: 'done' },
        { id: 'real-task', title: 'Real task', status: 'open', after: ['.compact-0', 'real-prereq'] },
      ]
        .map((line) => JSON.stringify({ kind: 'task', ...line }))
        .join('\n'),
    );
    expect(store.ready().map((task) => task.id)).not.toContain('real-task');
    expect(retireLegacyDaemonTasks(store)).toEqual(['.compact-0', '.archive-0', '.user-ana-0']);
    expect(['.compact-0', '.archive-0', '.user-ana-0', '.compact-old', '.chat-0'].map((id) => store.get(id).status)).toEqual([
      'abandoned',
      'abandoned',
      'abandoned',
      'done',
      'in-progress',
    ]);
    expect(store.get('.compact-0').log.at(-1)?.message).toMatch(/^Abandoned: Retired: \.compact-N \/ \.archive-N cycles were removed/);
    expect(store.ready().map((task) => task.id)).toContain('real-task');
    expect(retireLegacyDaemonTasks(store)).toEqual([]);
  });
});
