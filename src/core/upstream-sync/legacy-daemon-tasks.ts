import { filterAsync } from '../../shared/async-arrays';
import type { RetireReport } from '../../shared/legacy-tasks';
import type { Store } from '../store/store';
import { TaskFlow } from '../store/task-flow';

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
export async function retireLegacyDaemonTasks(store: Store, options: { dryRun?: boolean } = {}): Promise<string[]> {
  // System ids are a key range: a few rows read at every coordinator start, not every task (a 10,000-task plan read
  // whole added ~115 ms to each start).
  const stale = (
    await store.core.all(
      store.core.build
        .selectFrom('tasks')
        .select('id')
        .where('id', '>=', '.')
        .where('id', '<', '/')
        .where('status', 'not in', ['done', 'abandoned'])
        .orderBy('seq'),
    )
  )
    .map((row) => row.id)
    .filter((id) => LEGACY_PREFIXES.some((prefix) => id.startsWith(prefix)));
  if (options.dryRun) return stale;
  for (const id of stale) {
    const why = id.startsWith('.compact-') || id.startsWith('.archive-') ? RETIRED : SUPERSEDED;
    await store.tasks.abandonWithCascade(id, why, 'daemon');
  }
  return stale;
}

const compactOrArchive = (id: string) => id.startsWith('.compact-') || id.startsWith('.archive-');

/**
 * `wg migrate retire-compact-archive`: what the coordinator does at its start (retireLegacyDaemonTasks), run by hand,
 * then upstream's command's second step: the after-edges to a `.compact-N` or `.archive-N` task taken out of the tasks
 * that name them. A dry run changes nothing and says what would be.
 */
export async function retireCompactArchive(store: Store, dryRun: boolean): Promise<RetireReport> {
  const abandoned = await retireLegacyDaemonTasks(store, { dryRun });
  const edges = (await store.list()).flatMap((t) => t.after.filter(compactOrArchive).map((dep) => ({ task: t.id, dep })));
  if (!dryRun) for (const { task, dep } of edges) await store.tasks.removeDependency(task, dep);
  return { abandoned_ids: abandoned, stripped_edges: edges.length, dry_run: dryRun };
}

/** The tag of a task that waits in pending-validation for a person (upstream's one remaining use of that state). */
export const HUMAN_REVIEW_TAG = 'human-review';

/** Upstream's log line for a pending-validation task its coordinator makes done. */
const MIGRATED =
  'Migrated PendingValidation → Done (deprecate-pending-validation): agency `.evaluate-*` is now the dependency-unblock gate. To force re-spawn instead, run `wg reject <task>`.';

/**
 * Upstream has deprecated pending-validation as a routine state: its coordinator makes every such task done (its
 * migrate_pending_validation_tasks) but one tagged `human-review`, "if a person wanted to reject the work, they
 * would have run `wg reject` already". Left so, what waits on the task waited for good. Returns their ids.
 */
export async function finishPendingValidation(store: Store): Promise<string[]> {
  const waiting = await filterAsync(
    (await store.core.all(store.core.build.selectFrom('tasks').select('id').where('status', '=', 'pending-validation').orderBy('seq'))).map(
      (row) => row.id,
    ),
    async (id) => !(await store.get(id)).tags.includes(HUMAN_REVIEW_TAG),
  );
  const flow = new TaskFlow(store.core);
  for (const id of waiting) await flow.approve(id, 'daemon', MIGRATED);
  return waiting;
}
