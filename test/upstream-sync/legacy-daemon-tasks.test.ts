import { afterEach, describe, expect, it } from 'vitest';
import { finishPendingValidation, retireLegacyDaemonTasks } from '../../src/core/upstream-sync/legacy-daemon-tasks';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * upstream: src/commands/migrate.rs retire_compact_archive_abandons_legacy_tasks, retire_compact_archive_is_idempotent;
 * tests/integration_retire_compact_archive.rs test_legacy_compact_archive_tasks_loaded_then_abandoned. Upstream's
 * service start retires them (cleanup_legacy_daemon_tasks); the coordinator here does at its start (engine.ts).
 * tests/integration_deprecate_pending_validation.rs test_legacy_pending_validation_migrated (and src/lifecycle.rs's
 * cases): upstream's coordinator makes a pending-validation task done, but one tagged human-review; here at its start.
 *
 * not ported (the rest of migrate.rs: `wg migrate` is not here, docs/upstream.md "Not here"):
 * - migrates_legacy_coordinator_id_to_chat_prefix, migration_is_idempotent, dry_run_does_not_modify: upstream's
 *   chat-rename of `.coordinator-N` tasks to `.chat-N`; both names, and both loop tags, are read here as they are.
 * - strips_deprecated_agent_executor, renames_chat_agent_to_coordinator_agent, renames_legacy_coordinator_section_to_dispatcher,
 *   dry_run_does_not_write, idempotent_on_canonical_config, migrate_writes_pre_migrate_backup: upstream's
 *   `wg migrate config` rewrite of config.toml, never rewritten here: `[coordinator]` and `[dispatcher]` are both
 *   read (settings.ts aliases), agent.executor is a live setting, and upstream's chat agents are not here.
 * - fixes_stale_openrouter_sonnet_model, fixes_stale_codex_o1_pro_to_gpt54, fixes_stale_codex_gpt5_codex_to_gpt54,
 *   rewrites_deprecated_local_prefix_to_nex, rewrites_deprecated_oai_compat_prefix_to_nex: upstream's own model
 *   catalogue and its in-process `nex` provider; a model here is passed to its executor as named (model-spec.ts
 *   reads `local:` and `oai-compat:` as providers still).
 * - drops_orphaned_openrouter_section_on_claude_cli_project, keeps_openrouter_section_when_used,
 *   drop_orphaned_openrouter_is_idempotent: upstream's [openrouter] cost section is not read here.
 */
describe.each(STORE_KINDS)("an older upstream coordinator's control tasks (%s)", (kind) => {
  let temp: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => temp.dispose());

  it('are abandoned, so what waited on them can start; chat tasks and done ones stay; a second pass changes nothing', async () => {
    temp = await tempStore(undefined, kind);
    const { store } = temp;
    await store.importJsonl(
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
    expect((await store.ready()).map((task) => task.id)).not.toContain('real-task');
    expect(await retireLegacyDaemonTasks(store)).toEqual(['.compact-0', '.archive-0', '.user-ana-0']);
    expect(
      await Promise.all(
        ['.compact-0', '.archive-0', '.user-ana-0', '.compact-old', '.chat-0'].map(async (id) => (await store.get(id)).status),
      ),
    ).toEqual(['abandoned', 'abandoned', 'abandoned', 'done', 'in-progress']);
    expect((await store.get('.compact-0')).log.at(-1)?.message).toMatch(
      /^Abandoned: Retired: \.compact-N \/ \.archive-N cycles were removed/,
    );
    expect((await store.ready()).map((task) => task.id)).toContain('real-task');
    expect(await retireLegacyDaemonTasks(store)).toEqual([]);
  });

  it('test_legacy_pending_validation_migrated: a task left pending validation is done, but one tagged human-review waits', async () => {
    temp = await tempStore(undefined, kind);
    const { store } = temp;
    await store.importJsonl(
      [
        { id: 'stuck', title: 'Stuck', status: 'pending-validation', completed_at: '2026-04-01T00:00:00+00:00' },
        { id: 'review', title: 'Review', status: 'pending-validation', tags: ['human-review'] },
        { id: 'other', title: 'Other', status: 'open' },
        { id: 'next', title: 'Next', status: 'open', after: ['stuck'] },
      ]
        .map((line) => JSON.stringify({ kind: 'task', ...line }))
        .join('\n'),
    );
    expect(await finishPendingValidation(store)).toEqual(['stuck']);
    expect(await Promise.all(['stuck', 'review', 'other'].map(async (id) => (await store.get(id)).status))).toEqual([
      'done',
      'pending-validation',
      'open',
    ]);
    expect((await store.get('stuck')).completed_at).toBe('2026-04-01T00:00:00+00:00');
    expect((await store.get('stuck')).log.at(-1)?.message).toMatch(/^Migrated PendingValidation → Done/);
    expect((await store.ready()).map((task) => task.id)).toContain('next');
    expect(await finishPendingValidation(store)).toEqual([]);
  });
});
