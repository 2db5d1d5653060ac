import type { GcResult } from '../../shared/cleanup';
import type { Store } from '../store/store';
import { removeTasks } from '../store/task-removal';
import { parseCleanupAge } from './age';
import { gcCandidates } from './gc-plan';

export interface GcOptions {
  dryRun: boolean;
  includeDone: boolean;
  older: string | undefined;
}

/**
 * `wg gc`: the terminal tasks gc-plan.ts chooses, removed in one transaction (the choice made inside
 * it, so a task that changed since cannot slip out), or only listed with `--dry-run`.
 */
export function collectGarbage(store: Store, options: GcOptions): GcResult {
  const olderMs = options.older === undefined ? null : parseCleanupAge(options.older);
  const choose = () => {
    const tasks = store.list();
    const ids = gcCandidates(tasks, { includeDone: options.includeDone, olderMs, now: store.core.clock() });
    const byId = new Map(tasks.map((t) => [t.id, t]));
    return ids.map((id) => {
      const task = byId.get(id);
      return { id, title: task?.title ?? id, status: task?.status ?? 'done' };
    });
  };
  if (options.dryRun) return { kind: 'tasks', dry_run: true, removed: choose() };
  return store.core.batch(() => {
    const removed = choose();
    if (removed.length > 0)
      store.core.write((rev) =>
        removeTasks(
          store.core,
          removed.map((t) => t.id),
          rev,
        ),
      );
    return { kind: 'tasks', dry_run: false, removed };
  });
}
