import type { Store } from '../store/store';

/**
 * Tasks older upstream coordinators kept their own control flow in (`.compact-N`, `.archive-N`, `.registry-refresh-N`,
 * `.user-N`); upstream's service start retires them (its `cleanup_legacy_daemon_tasks`), and nothing here runs them.
 * Left open, a task after `.compact-0` waited for good. Chat tasks (`.chat-N`, `.coordinator-N`) are kept, as upstream keeps them.
 */
const LEGACY_PREFIXES = ['.compact-', '.archive-', '.registry-refresh-', '.user-'];

/** Upstream's words for why (its log line), so either tool's log reads the same. */
const RETIRED = 'Retired: .compact-N / .archive-N cycles were removed; archival now runs natively in the dispatcher';
const SUPERSEDED = 'Superseded by native coordinator control plane; no longer graph-managed';

/**
 * Abandons the unfinished legacy control tasks (abandoned satisfies what waits on them), each in its own write; a
 * done one is left as it is (nothing waits on it). Returns their ids.
 */
export function retireLegacyDaemonTasks(store: Store): string[] {
  const stale = store
    .list()
    .filter(
      (task) => LEGACY_PREFIXES.some((prefix) => task.id.startsWith(prefix)) && task.status !== 'done' && task.status !== 'abandoned',
    );
  for (const task of stale) {
    const why = task.id.startsWith('.compact-') || task.id.startsWith('.archive-') ? RETIRED : SUPERSEDED;
    store.tasks.abandonWithCascade(task.id, why, 'daemon');
  }
  return stale.map((task) => task.id);
}
