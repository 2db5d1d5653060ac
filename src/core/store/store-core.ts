import type { Db } from './database';
import type { Soon, SqlConnection, SqlStatement, StoreKind, WriteOptions } from './sql-connection';
import { SqliteConnection } from './sqlite-sql-connection';

/** What every store module shares: the connection, a statement cache, the clock and the write wrapper. */
export class StoreCore {
  private readonly statements = new Map<string, SqlStatement>();
  private readonly listeners = new Set<(rev: number) => void>();
  /** Inside `batch`: writes become savepoints, and listeners hear the last revision at its commit. */
  private batching = false;
  private batchRev = 0;
  /** Transactions this connection has committed: whether an operation that then met an error had already changed the store. */
  private committed = 0;
  /** Tasks the write under way changed for people to see (noteInteraction), stamped as it ends. */
  private readonly interacted = new Set<string>();
  private writing = false;
  /**
   * Counters (agent_seq, task_seq) as the batch under way found them or last moved them: it holds the write turn, so
   * no one else moves them until it ends, and its next bump needs no read. Forgotten when a write of it is undone.
   */
  private readonly counters = new Map<string, number>();
  /**
   * The counters as the batch under way found them, read with its opening: its first claim's agent id then needs no
   * round trip of its own on PostgreSQL (held under the write turn, they cannot move meanwhile). Dropped once used
   * (a write undone after that takes the counters' values with it) or once a write raises one.
   */
  private countersAtStart: Soon<Array<{ key: string; value: number }>> | null = null;

  constructor(
    readonly conn: SqlConnection,
    readonly clock: () => Date = () => new Date(),
  ) {}

  get kind(): StoreKind {
    return this.conn.kind;
  }

  /** The SQLite database itself, for what only SQLite has (its page checks, a copy in memory). */
  get db(): Db {
    if (this.conn instanceof SqliteConnection) return this.conn.db;
    throw new Error('this project is kept in PostgreSQL, not in an SQLite file');
  }

  /** Prepared once per SQL text. */
  sql<Row = unknown>(text: string): SqlStatement<Row> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.conn.prepare(text);
      this.statements.set(text, statement);
    }
    return statement as SqlStatement<Row>;
  }

  /**
   * The rows of a read asked for now and used later: reads that do not depend on one another, asked one after the
   * other, are one round trip on PostgreSQL inside a transaction (SqlConnection.readSoon).
   */
  soon<Row = unknown>(text: string, ...params: unknown[]): Soon<Row[]> {
    return this.conn.readSoon(this.sql<Row>(text), params);
  }

  nowIso(): string {
    return this.clock().toISOString();
  }

  /**
   * Runs `change` as one transaction that holds the project's write turn from its start (concurrent
   * writers wait for it instead of failing), stamped with a fresh revision. Listeners hear of the
   * revision only after the commit.
   */
  write<T>(change: (rev: number) => T): T {
    if (this.batching) {
      // One commit, one revision: taken by the first write, outside its savepoint, so a write
      // that throws is undone alone (and the batch goes on) without giving the revision back.
      if (this.batchRev === 0) {
        this.countersAtStart = this.soon("SELECT key, value FROM meta WHERE key IN ('agent_seq', 'task_seq')");
        this.batchRev = this.bump('rev');
      }
      const rev = this.batchRev;
      try {
        return this.conn.write(() => this.stamped(change, rev));
      } catch (error) {
        // Undone: what it moved of the counters with it.
        this.counters.clear();
        throw error;
      }
    }
    let rev = 0;
    const result = this.conn.write(() => {
      rev = this.bump('rev');
      return this.stamped(change, rev);
    });
    // Inside another transaction this was a savepoint: only the outer one's commit counts.
    if (!this.conn.inTransaction) this.committed++;
    this.notify(rev);
    return result;
  }

  /**
   * Marks a task as changed by this write in a way people see (its state, fields, log, messages, not
   * bookkeeping like blocker counts or a run's usage): upstream's `last_interaction_at`, which its
   * modify_graph sets on every task a save changes substantively and its TUI sorts by.
   */
  noteInteraction(taskId: string): void {
    this.interacted.add(taskId);
  }

  /**
   * Runs one write, then stamps the tasks it noted with its time, inside the same transaction. A write
   * made inside another (a savepoint) leaves the stamping to the outer one.
   */
  private stamped<T>(change: (rev: number) => T, rev: number): T {
    if (this.writing) return change(rev);
    this.writing = true;
    try {
      const result = change(rev);
      if (this.interacted.size > 0) {
        const stamp = this.sql("UPDATE tasks SET extra = json_set(extra, '$.last_interaction_at', ?), rev = ? WHERE id = ?");
        const now = this.nowIso();
        for (const id of this.interacted) stamp.run(now, rev, id);
      }
      return result;
    } finally {
      this.writing = false;
      this.interacted.clear();
    }
  }

  /**
   * Runs `work` as ONE transaction, and one revision, however many writes it makes: a busy
   * coordinator settles and claims many runs a turn, one commit instead of one each. Each write is
   * its own savepoint, so a write that throws is undone alone and the batch goes on (but see `pipelined`).
   * `lockWaitMs`: how long to wait for another process's write turn, if not the usual wait
   * (the wait blocks this thread; a caller that retries by itself can wait less).
   */
  batch<T>(work: () => T, options: WriteOptions = {}): T {
    if (this.batching) return work();
    this.batching = true;
    this.batchRev = 0;
    let result: T;
    try {
      result = this.conn.write(work, options);
    } finally {
      this.batching = false;
      this.counters.clear();
      this.countersAtStart = null;
    }
    if (this.batchRev > 0) {
      if (!this.conn.inTransaction) this.committed++;
      this.notify(this.batchRev);
    }
    return result;
  }

  /** Runs `work` as one read transaction: what it reads is one commit's state. */
  read<T>(work: () => T): T {
    return this.conn.read(work);
  }

  /** How many transactions this connection has committed so far. */
  get commits(): number {
    return this.committed;
  }

  private notify(rev: number): void {
    for (const listener of this.listeners) listener(rev);
  }

  /** Increments a counter and returns its new value. Call inside a write. A new revision is announced to other processes at the commit. */
  bump(key: 'rev' | 'task_seq' | 'agent_seq'): number {
    if (key === 'rev') {
      const rev = (this.sql<{ rev: number }>('UPDATE project SET rev = rev + 1 WHERE id = 1 RETURNING rev').get() as { rev: number }).rev;
      this.conn.announce(rev);
      return rev;
    }
    if (this.batching && this.countersAtStart && !this.counters.has(key)) {
      for (const row of this.countersAtStart()) this.counters.set(row.key, Number(row.value));
      this.countersAtStart = null;
    }
    const known = this.batching ? this.counters.get(key) : undefined;
    if (known !== undefined) {
      // A write whose answer is not needed: on PostgreSQL it travels with the next statement.
      this.sql('UPDATE meta SET value = ? WHERE key = ?').run(known + 1, key);
      this.counters.set(key, known + 1);
      return known + 1;
    }
    const { value } = this.sql<{ value: number }>('UPDATE meta SET value = value + 1 WHERE key = ? RETURNING value').get(key) as {
      value: number;
    };
    if (this.batching) this.counters.set(key, value);
    return value;
  }

  /** Raises a counter to at least `floor` (inside a write): ids another tool used stay its own. */
  raise(key: 'task_seq' | 'agent_seq', floor: number): void {
    this.counters.delete(key);
    this.countersAtStart = null;
    this.sql('UPDATE meta SET value = max(value, ?) WHERE key = ?').run(floor, key);
  }

  /** The transaction under way gives other coordinators nothing to act on: they need not look (sql-connection.ts). */
  announceQuiet(): void {
    this.conn.announceQuiet?.();
  }

  /** The transaction under way writes the team's settings: other coordinators read their configuration again (sql-connection.ts). */
  announceSettings(): void {
    this.conn.announceSettings?.();
  }

  currentRev(): number {
    return (this.sql<{ rev: number }>('SELECT rev FROM project WHERE id = 1').get() as { rev: number }).rev;
  }

  onCommit(listener: (rev: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
