import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * Upstream's `wg add-dep` (commands/link.rs) and `wg edit --add-after` (commands/edit.rs) add an edge to a done task
 * without looking at its status: it stays done, and nothing reopens it (docs/design/reopen-on-new-dep.md there is a
 * proposal, not what the commands do). The store does the same, so the CLI and the window agree; the window says what
 * it means (test/renderer/dependency-notices.test.tsx).
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  it('a dependency given to a done task is added, and the task stays done', async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.tasks.add({ id: 'migrate', title: 'Write the migration' }, 't');
    await store.tasks.done('migrate', {}, 't');
    await store.tasks.add({ id: 'docs', title: 'Document the API' }, 't');
    const after = await store.tasks.addDependency('migrate', 'docs');
    expect(after.status).toBe('done');
    expect(after.after).toEqual(['docs']);
    expect((await store.get('migrate')).completed_at).not.toBeNull();
    // Still done, it holds nothing up: its dependents stay ready.
    await store.tasks.add({ id: 'deploy', title: 'Deploy', after: ['migrate'] }, 't');
    expect((await store.ready()).map((task) => task.id)).toContain('deploy');
  });
});
