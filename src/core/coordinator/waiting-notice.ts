import type { Store } from '../store/store';
import type { Soon } from '../store/sql-connection';
import { READY_AT } from '../store/readiness-sql';
import { appendLog, touch } from '../store/task-writes';
import type { Config } from '../config/config-view';
import { COORDINATOR } from '../runs/settling/settle';
import { runsHere } from '../agency/system-tasks';
import { runsAsAgentTask } from '../../shared/task';

const WAITING_FOR_A_PERSON = 'Waiting for a person';

function message(id: string, system: boolean): string {
  if (system) {
    return `${WAITING_FOR_A_PERSON}: upstream's system tasks are not started by this app; start an agent on it with \`wg spawn ${id}\`, or finish it with \`wg done ${id}\``;
  }
  return `${WAITING_FOR_A_PERSON}: its executor is manual, so nothing starts it; do it and run \`wg done ${id}\`, or start an agent on it with \`wg spawn ${id}\``;
}

/**
 * Ready tasks the coordinator never starts by itself (a manual executor, upstream's system tasks)
 * say so in their log, once each time they become ready, with how to start them. The ready ones
 * are found through indexes (by executor; system ids are a key range), not by reading every ready task.
 */
export class WaitingNotices {
  /** Tasks told, while they stay ready; one that leaves and comes back is told again. */
  private readonly told = new Set<string>();

  /**
   * Inside a coordinator turn (one transaction): the ready tasks are asked for now, and told when the step returned is
   * taken, so that reads asked for meanwhile go with them (StoreCore.soon).
   */
  async note(store: Store, config: Config, now: Date): Promise<() => Promise<void>> {
    const untold = await this.untoldSoon(store, config, now);
    return async () => this.tell(store, await untold());
  }

  /**
   * The ready tasks still to be told, asked for soon (a read: a team's turn looks before it takes the project's write
   * turn, with its other reads).
   */
  async untoldSoon(store: Store, config: Config, now: Date): Promise<Soon<string[]>> {
    const at = now.toISOString();
    const manual = config.profiles.filter((p) => p.type === 'manual').map((p) => p.name);
    const core = store.core;
    // One statement (a round trip on PostgreSQL) of up to three parts, each through its own index: ready tasks of a
    // manual executor, those of none when the default is manual, and, by the key range, upstream's system tasks
    // (`+status`: not by the status index, which holds every open task of the graph, a good part of a busy
    // coordinator's CPU on a large graph).
    const parts: Array<{ sql: string; params: string[] }> = [
      ...(manual.length > 0
        ? [
            {
              sql: `SELECT id, 0 AS part FROM tasks INDEXED BY tasks_ready_by_executor WHERE ${READY_AT} AND executor IN (${manual.map(() => '?').join(', ')})`,
              params: [at, ...manual],
            },
          ]
        : []),
      ...(manual.includes(config.settings.coordinator.executor)
        ? [
            {
              sql: `SELECT id, 0 AS part FROM tasks INDEXED BY tasks_ready_by_executor WHERE ${READY_AT} AND executor IS NULL AND exec IS NULL`,
              params: [at],
            },
          ]
        : []),
      { sql: `SELECT id, 1 AS part FROM tasks WHERE id >= '.' AND id < '/' AND +${READY_AT}`, params: [at] },
    ];
    const read = await core.soon<{ id: string; part: number }>(
      parts.map((part) => part.sql).join(' UNION ALL '),
      ...parts.flatMap((part) => part.params),
    );
    return async () => this.untoldOf(core, await read());
  }

  private async untoldOf(core: Store['core'], rows: Array<{ id: string; part: number }>): Promise<string[]> {
    const manualRows = rows.filter((row) => Number(row.part) === 0);
    const systemRows = rows.filter((row) => Number(row.part) === 1);
    // Upstream's .assign-/.evaluate-/.flip- tasks are run by this app (agency/system-tasks.ts), whatever the default
    // executor, and `.verify-X` starts like any task (a manual executor's rows above still ask for it): nobody is asked.
    const ready = new Set(
      [...manualRows, ...systemRows.filter((row) => !runsAsAgentTask(row.id))].filter((row) => !runsHere(row.id)).map((row) => row.id),
    );
    for (const id of this.told) if (!ready.has(id)) this.told.delete(id);
    const lastMessage = core.sql<{ message: string }>('SELECT message FROM task_log WHERE task_id = ? ORDER BY id DESC LIMIT 1');
    const untold: string[] = [];
    for (const id of ready) {
      if (this.told.has(id)) continue;
      // Said already (by an earlier coordinator) and nothing happened since: not again.
      if ((await lastMessage.get(id))?.message.startsWith(WAITING_FOR_A_PERSON)) this.told.add(id);
      else untold.push(id);
    }
    return untold;
  }

  private async tell(store: Store, ids: string[]): Promise<void> {
    const core = store.core;
    for (const id of ids) {
      this.told.add(id);
      await core.write(async (rev) => {
        await appendLog(core, id, COORDINATOR, message(id, id.startsWith('.') && !runsAsAgentTask(id)));
        await touch(core, id, rev);
      });
    }
  }
}
