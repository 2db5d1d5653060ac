import type { ExecutorProfile, Settings } from '../../shared/config-types';
import { profileFor } from '../deciding/executor-choice';
import { remoteTarget } from '../executors/remote';
import { READY_AT, READY_ORDER } from '../store/readiness-sql';
import type { Store } from '../store/store';
import type { RemoteNeed } from './matching';
import { errorText } from '../../shared/errors';

interface ReadyRow {
  id: string;
  executor: string | null;
  exec: string | null;
  repo: string | null;
  role: string | null;
}

export interface ReadyRemote {
  needs: RemoteNeed[];
  /** Ready remote tasks that can never run (no repository named): failed with the reason. */
  unlaunchable: Array<{ task_id: string; reason: string }>;
}

/**
 * Ready tasks that agent daemons run, in queue order, with the repository and role each needs.
 * Read by name in SQL (executor naming a remote profile, or none when the default is remote), so
 * local work ahead in the queue costs nothing here.
 */
export async function readyRemoteTasks(
  store: Store,
  config: { settings: Settings; profiles: readonly ExecutorProfile[] },
  now: Date,
  limit: number,
): Promise<ReadyRemote> {
  const remote = config.profiles.filter((p) => p.type === 'remote').map((p) => p.name);
  const defaultRemote = remote.includes(config.settings.coordinator.executor);
  if (remote.length === 0 || limit <= 0) return { needs: [], unlaunchable: [] };
  // Through the ready tasks' executor index: a seek per remote profile name, where the queue order's
  // index would walk every ready local task (the coordinator asks after each of its turns).
  const rows = await store.core
    .sql<ReadyRow>(
      `SELECT id, executor, exec, repo, role FROM tasks INDEXED BY tasks_ready_by_executor
     WHERE ${READY_AT} AND substr(id, 1, 1) <> '.' AND assigned IS NULL
       AND (executor IN (${remote.map(() => '?').join(', ')}) ${defaultRemote ? 'OR (executor IS NULL AND exec IS NULL)' : ''})
     ORDER BY ${READY_ORDER} LIMIT ?`,
    )
    .all(now.toISOString(), ...remote, limit);
  const result: ReadyRemote = { needs: [], unlaunchable: [] };
  for (const row of rows) {
    try {
      const target = remoteTarget(row, profileFor(row, config.settings, config.profiles));
      result.needs.push({ task_id: row.id, repo: target.repo, role: target.role });
    } catch (error) {
      result.unlaunchable.push({ task_id: row.id, reason: `cannot launch: ${errorText(error)}` });
    }
  }
  return result;
}
