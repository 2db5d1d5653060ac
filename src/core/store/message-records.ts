import { sql } from 'kysely';
import { notFound } from '../../shared/errors';
import type { DeliveryStatus, Message, MessagePriority } from '../../shared/message';
import { allDone, inFlight } from './in-flight';
import type { StoreCore } from './store-core';

/** A `messages` row as SQLite returns it. */
export interface MessageRow {
  task_id: string;
  seq: number;
  timestamp: string;
  sender: string;
  body: string;
  priority: MessagePriority;
  status: DeliveryStatus;
  read_at: string | null;
  agent_id: string | null;
}

export interface NewMessage {
  taskId: string;
  body: string;
  sender: string;
  priority: MessagePriority;
  /** The agent run sending it, if one is. */
  agentId: string | null;
}

const COLUMNS = ['task_id', 'seq', 'timestamp', 'sender', 'body', 'priority', 'status', 'read_at', 'agent_id'] as const;

function toMessage(row: MessageRow): Message {
  const message: Message = {
    id: row.seq,
    task_id: row.task_id,
    timestamp: row.timestamp,
    sender: row.sender,
    body: row.body,
    priority: row.priority,
    status: row.status,
  };
  if (row.read_at !== null) message.read_at = row.read_at;
  if (row.agent_id !== null) message.agent_id = row.agent_id;
  return message;
}

/**
 * The message queue of every task, in the graph's database: each send and each read is one
 * transaction (upstream keeps a JSONL file a task and a cursor file per agent and task, locked with
 * flock; here the same ids, cursors and statuses are rows). A read advances the reader's cursor and
 * marks what it returned read in the same transaction, so two readers never both get a message as
 * new, and a crash leaves either all of it or none.
 */
export class MessageRecords {
  constructor(private readonly core: StoreCore) {}

  private async requireTask(taskId: string): Promise<void> {
    const found = await this.core.get(this.core.build.selectFrom('tasks').select(sql.lit(1).as('one')).where('id', '=', taskId));
    if (!found) throw notFound('task', taskId);
  }

  private async lastId(taskId: string): Promise<number> {
    const row = await this.core.get(
      this.core.build
        .selectFrom('messages')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('task_id', '=', taskId),
    );
    return row?.seq ?? 0;
  }

  /** A task's messages, as their rows read, oldest first. */
  private messagesOf(taskId: string) {
    return this.core.build.selectFrom('messages').select(COLUMNS).where('task_id', '=', taskId).orderBy('seq').$castTo<MessageRow>();
  }

  /** Appends a message to a task's queue; its id is the task's next. */
  async send(input: NewMessage): Promise<Message> {
    return this.core.write(async () => {
      await this.requireTask(input.taskId);
      const seq = (await this.lastId(input.taskId)) + 1;
      const row: MessageRow = {
        task_id: input.taskId,
        seq,
        timestamp: this.core.nowIso(),
        sender: input.sender,
        body: input.body,
        priority: input.priority,
        status: 'sent',
        read_at: null,
        agent_id: input.agentId,
      };
      await this.core.send(this.core.build.insertInto('messages').values(row));
      // A message is an interaction with its task (upstream's send_message touches it).
      this.core.noteInteraction(input.taskId);
      return toMessage(row);
    });
  }

  /** Every message of a task, oldest first. */
  async list(taskId: string): Promise<Message[]> {
    await this.requireTask(taskId);
    return (await this.core.all(this.messagesOf(taskId))).map(toMessage);
  }

  /**
   * What running tasks' agents asked and nobody answered: each in-progress task's last message, where an agent run wrote
   * it and nobody has read it (a person's reply, or a person's read, closes it). One statement for every task: a window
   * asks after each change while agents work (at most once a second), whatever the number of runs.
   */
  async openQuestions(): Promise<Message[]> {
    const { build } = this.core;
    const rows = await this.core.all(
      build
        .selectFrom('messages as m')
        .innerJoin('tasks as t', 't.id', 'm.task_id')
        .select(COLUMNS.map((column) => `m.${column}` as const))
        .where('t.status', '=', 'in-progress')
        .where('m.agent_id', 'is not', null)
        .where('m.status', '=', 'sent')
        .where('m.seq', '=', (eb) =>
          eb
            .selectFrom('messages as last')
            .select((last) => last.fn.max('last.seq').as('seq'))
            .whereRef('last.task_id', '=', 'm.task_id'),
        )
        .orderBy('m.task_id')
        .$castTo<MessageRow>(),
    );
    return rows.map(toMessage);
  }

  /** The tasks openQuestions asks about: the running ones. */
  async runningTasks(): Promise<string[]> {
    const rows = await this.core.all(this.core.build.selectFrom('tasks').select('id').where('status', '=', 'in-progress').orderBy('id'));
    return rows.map((row) => row.id);
  }

  /** The last message id `reader` has read on a task (0: none). */
  async cursor(taskId: string, reader: string): Promise<number> {
    const row = await this.core.get(
      this.core.build.selectFrom('message_cursors').select('cursor').where('reader', '=', reader).where('task_id', '=', taskId),
    );
    return row?.cursor ?? 0;
  }

  /** What `reader` has not read yet, without marking anything (upstream's poll). Its own messages are never news to it. */
  async unread(taskId: string, reader: string): Promise<Message[]> {
    // Asked for together (one round trip on PostgreSQL): whether the task is there, and its messages past the cursor.
    const [, rows] = await allDone<[unknown, MessageRow[]]>([this.requireTask(taskId), this.core.all(this.unreadOf(taskId, reader))]);
    return rows.map(toMessage);
  }

  /** The messages of a task past `reader`'s cursor, less its own: one statement, the cursor read inside it. */
  private unreadOf(taskId: string, reader: string) {
    return this.messagesOf(taskId)
      .where('seq', '>', (eb) =>
        eb.fn.coalesce(
          eb.selectFrom('message_cursors').select('cursor').where('reader', '=', reader).where('task_id', '=', taskId),
          sql.lit(0),
        ),
      )
      .where((eb) => eb.or([eb('agent_id', 'is', null), eb('agent_id', '<>', reader)]));
  }

  /**
   * The unread messages of `reader` (upstream's read_unread): returned, marked read (read_at set
   * the first time), and the cursor moved past them and past the reader's own, in one transaction.
   */
  async read(taskId: string, reader: string): Promise<Message[]> {
    // Nothing new: no write at all. Agents' hooks ask after every tool call, and a write would wake
    // every window and the coordinator for nothing. Each look's reads are asked for together (one round trip on
    // PostgreSQL), the write's with its opening.
    const [, last, cursor] = await allDone<[unknown, number, number]>([
      this.requireTask(taskId),
      this.lastId(taskId),
      this.cursor(taskId, reader),
    ]);
    if (last <= cursor) return [];
    return this.core.write(
      async (_rev, ahead) => {
        const [unread, last, cursor] = await ahead;
        if (last > cursor) await this.moveCursor(taskId, reader, last);
        if (unread.length === 0) return unread;
        const now = this.core.nowIso();
        const mark = (seq: number) =>
          this.core.build
            .updateTable('messages')
            .set((eb) => ({ status: 'read', read_at: eb.fn.coalesce('read_at', sql.val(now)) }))
            .where('task_id', '=', taskId)
            .where('seq', '=', seq)
            .where('status', 'in', ['sent', 'delivered']);
        for (const message of unread) await this.core.send(mark(message.id));
        return unread.map((m) =>
          m.status === 'sent' || m.status === 'delivered' ? { ...m, status: 'read', read_at: m.read_at ?? now } : m,
        );
      },
      () =>
        inFlight(
          allDone<[MessageRow[], number, number]>([
            this.core.all(this.unreadOf(taskId, reader)),
            this.lastId(taskId),
            this.cursor(taskId, reader),
          ]).then(([rows, last, cursor]) => [rows.map(toMessage), last, cursor] as const),
        ),
    );
  }

  /**
   * The messages a new agent's prompt carries (upstream's format_queued_messages): all of the task's,
   * marked delivered, and the agent's cursor moved past them, so its hooks hand it only what comes
   * after. Call inside the claim's write. Reads nothing more than one index probe for a task without any.
   */
  async deliverAtSpawn(taskId: string, reader: string): Promise<Message[]> {
    const messages = (await this.core.all(this.messagesOf(taskId))).map(toMessage);
    const last = messages[messages.length - 1];
    if (!last) return messages;
    await this.moveCursor(taskId, reader, last.id);
    await this.core.send(
      this.core.build.updateTable('messages').set({ status: 'delivered' }).where('task_id', '=', taskId).where('status', '=', 'sent'),
    );
    return messages;
  }

  /** Moves a reader's cursor (at spawn: the messages its prompt carries are read). Call inside a write. */
  async moveCursor(taskId: string, reader: string, cursor: number): Promise<void> {
    await this.core.send(
      this.core.build
        .insertInto('message_cursors')
        .values({ reader, task_id: taskId, cursor })
        .onConflict((oc) => oc.columns(['reader', 'task_id']).doUpdateSet({ cursor: (eb) => eb.ref('excluded.cursor') })),
    );
  }
}
