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
  // System ids are a key range: a few rows read at every coordinator start, not every task (a 10,000-task plan read
  // whole added ~115 ms to each start).
  const stale = store.core
    .sql<{ id: string }>(`SELECT id FROM tasks WHERE id >= '.' AND id < '/' AND status NOT IN ('done', 'abandoned') ORDER BY seq`)
    .all()
    .map((row) => row.id)
    .filter((id) => LEGACY_PREFIXES.some((prefix) => id.startsWith(prefix)));
  for (const id of stale) {
    const why = id.startsWith('.compact-') || id.startsWith('.archive-') ? RETIRED : SUPERSEDED;
    store.tasks.abandonWithCascade(id, why, 'daemon');
  }
  return stale;
}
