import { sql } from 'kysely';
import { MESSAGE_PRIORITIES, type Message, type MessagePriority } from '../../shared/message';
import type { StoreCore } from '../store/store-core';
import type { MessageRow } from '../store/message-records';
import type { FileMessage } from './message-files';
import type { MessagePlan } from './message-merge';

/*
 * graph.db's side of the message sync. Which tasks' messages or cursors changed here since their
 * file was last written is kept by triggers (upstream_sync_messages_changed), so the process that
 * syncs (a `wg msg` command, the daemon, the window) writes back what the others changed too: the
 * coordinator's "delivered" at a spawn, a hook's read. Made on first use, only in a project that
 * has a graph.jsonl, like the graph's own sync records (sync-records.ts).
 */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS upstream_sync_messages_changed (task_id TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TRIGGER IF NOT EXISTS upstream_sync_message_added AFTER INSERT ON messages BEGIN
    INSERT OR IGNORE INTO upstream_sync_messages_changed (task_id) VALUES (NEW.task_id);
  END;
  CREATE TRIGGER IF NOT EXISTS upstream_sync_message_updated AFTER UPDATE ON messages BEGIN
    INSERT OR IGNORE INTO upstream_sync_messages_changed (task_id) VALUES (NEW.task_id);
  END;
  CREATE TRIGGER IF NOT EXISTS upstream_sync_cursor_added AFTER INSERT ON message_cursors BEGIN
    INSERT OR IGNORE INTO upstream_sync_messages_changed (task_id) VALUES (NEW.task_id);
  END;
  CREATE TRIGGER IF NOT EXISTS upstream_sync_cursor_updated AFTER UPDATE ON message_cursors BEGIN
    INSERT OR IGNORE INTO upstream_sync_messages_changed (task_id) VALUES (NEW.task_id);
  END;
  -- What graph.db held before: written out by the first sync, as if just changed.
  INSERT OR IGNORE INTO upstream_sync_messages_changed (task_id)
    SELECT task_id FROM messages UNION SELECT task_id FROM message_cursors;
`;

export async function ensureMessageSyncRecords(core: StoreCore): Promise<void> {
  // SQLite's catalogue and the sync's own tables (SQLite projects only) are not among the builder's tables.
  const present = await core.get(
    sql<{
      n: number;
    }>`SELECT count(*) AS n FROM sqlite_master WHERE name IN ('upstream_sync_messages_changed', 'upstream_sync_cursor_updated')`,
  );
  if (present?.n === 2) return;
  // Schema only: no revision (nothing a window shows changed).
  await core.conn.write(() => core.conn.exec(SCHEMA));
}

export async function changedHere(core: StoreCore, taskId: string): Promise<boolean> {
  return (await core.get(sql`SELECT 1 FROM upstream_sync_messages_changed WHERE task_id = ${taskId}`)) !== undefined;
}

export async function tasksChangedHere(core: StoreCore): Promise<string[]> {
  return (await core.all(sql<{ task_id: string }>`SELECT task_id FROM upstream_sync_messages_changed`)).map((r) => r.task_id);
}

/** The task's messages and the store agree with its file now. Inside the sync's transaction. */
export async function markWrittenBack(core: StoreCore, taskId: string): Promise<void> {
  await core.send(sql`DELETE FROM upstream_sync_messages_changed WHERE task_id = ${taskId}`);
}

export async function taskExists(core: StoreCore, taskId: string): Promise<boolean> {
  return (await core.get(core.build.selectFrom('tasks').select(sql.lit(1).as('one')).where('id', '=', taskId))) !== undefined;
}

/** A task's message as graph.db holds it (the task is known). */
type StoredRow = Omit<MessageRow, 'task_id'>;

/** The task's messages in graph.db, oldest first. */
export async function storedMessages(core: StoreCore, taskId: string): Promise<Message[]> {
  return (
    await core.all<StoredRow>(
      core.build
        .selectFrom('messages')
        .select(['seq', 'timestamp', 'sender', 'body', 'priority', 'status', 'read_at', 'agent_id'])
        .where('task_id', '=', taskId)
        .orderBy('seq')
        .$castTo<StoredRow>(),
    )
  ).map((r) => ({
    id: r.seq,
    task_id: taskId,
    timestamp: r.timestamp,
    sender: r.sender,
    body: r.body,
    priority: r.priority,
    status: r.status,
    ...(r.read_at !== null ? { read_at: r.read_at } : {}),
    ...(r.agent_id !== null ? { agent_id: r.agent_id } : {}),
  }));
}

/** Each reader's cursor on the task in graph.db. */
export async function storedCursors(core: StoreCore, taskId: string): Promise<Map<string, number>> {
  return new Map(
    (await core.all(core.build.selectFrom('message_cursors').select(['reader', 'cursor']).where('task_id', '=', taskId))).map((r) => [
      r.reader,
      r.cursor,
    ]),
  );
}

function priorityOf(message: FileMessage): MessagePriority {
  // Upstream takes any word; one this app does not know reads as normal.
  return (MESSAGE_PRIORITIES as readonly string[]).includes(message.priority) ? (message.priority as MessagePriority) : 'normal';
}

/** The smallest id the plan moves a message of graph.db's from, or null when it moves none. */
function firstMoved(plan: MessagePlan): number | null {
  return plan.renumber.length === 0 ? null : Math.min(...plan.renumber.map((r) => r.from));
}

/** A reader's cursor in graph.db once the plan's moves are applied (applyPlanToStore lowers it the same way). */
export function cursorAfterMoves(plan: MessagePlan, cursor: number): number {
  const lowest = firstMoved(plan);
  return lowest !== null && cursor >= lowest ? lowest - 1 : cursor;
}

/** graph.db takes the file's side of the plan. Call inside a write. */
export async function applyPlanToStore(core: StoreCore, taskId: string, plan: MessagePlan): Promise<void> {
  // New ids are above every id either side has: no clash while moving.
  for (const { from, to } of plan.renumber) {
    await core.send(core.build.updateTable('messages').set({ seq: to }).where('task_id', '=', taskId).where('seq', '=', from));
  }
  // A reader who had read up to a moved message has a cursor at or past its old id, which is now
  // the file's message, never read: the cursor goes back to just before the first id moved. The
  // moved messages (and any after that id) are handed over again, and nothing is skipped.
  const lowest = firstMoved(plan);
  if (lowest !== null) {
    await core.send(
      core.build
        .updateTable('message_cursors')
        .set({ cursor: lowest - 1 })
        .where('task_id', '=', taskId)
        .where('cursor', '>=', lowest),
    );
  }
  for (const m of plan.toStore) {
    await core.send(
      core.build.insertInto('messages').values({
        task_id: taskId,
        seq: m.id,
        timestamp: m.timestamp,
        sender: m.sender,
        body: m.body,
        priority: priorityOf(m),
        status: m.status,
        read_at: m.read_at ?? null,
        agent_id: null,
      }),
    );
  }
  for (const u of plan.storeUpgrades) {
    await core.send(
      core.build
        .updateTable('messages')
        .set({ status: u.status, read_at: u.read_at ?? null })
        .where('task_id', '=', taskId)
        .where('seq', '=', u.id),
    );
  }
}

export async function setCursor(core: StoreCore, taskId: string, reader: string, cursor: number): Promise<void> {
  await core.send(
    core.build
      .insertInto('message_cursors')
      .values({ reader, task_id: taskId, cursor })
      .onConflict((oc) => oc.columns(['reader', 'task_id']).doUpdateSet((eb) => ({ cursor: eb.ref('excluded.cursor') }))),
  );
}
