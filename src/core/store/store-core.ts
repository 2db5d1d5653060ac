import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, type Db } from './database';

/** What every store module shares: the connection, a statement cache, the clock and the write wrapper. */
export class StoreCore {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly listeners = new Set<(rev: number) => void>();
  /** Inside `batch`: writes become savepoints, and listeners hear the last revision at its commit. */
  private batching = false;
  private batchRev = 0;
  /** Transactions this connection has committed: whether an operation that then met an error had already changed the file. */
  private committed = 0;
  /** The one transaction function every write runs in; called inside a transaction, it makes a savepoint. */
  private readonly run: Database.Transaction<(work: () => unknown) => unknown>;
  /** Tasks the write under way changed for people to see (noteInteraction), stamped as it ends. */
  private readonly interacted = new Set<string>();
  private writing = false;

  constructor(
    readonly db: Db,
    readonly clock: () => Date = () => new Date(),
  ) {
    this.run = db.transaction((work: () => unknown) => work());
  }

  /** Prepared once per SQL text. */
  sql<Row = unknown>(text: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement as Database.Statement<unknown[], Row>;
  }

  nowIso(): string {
    return this.clock().toISOString();
  }

  /**
   * Runs `change` as one IMMEDIATE transaction (the write lock is taken up front, so concurrent
   * writers wait on the busy timeout instead of failing), stamped with a fresh revision.
   * Listeners hear of the revision only after the commit.
   */
  write<T>(change: (rev: number) => T): T {
    if (this.batching) {
      // One commit, one revision: taken by the first write, outside its savepoint, so a write
      // that throws is undone alone (and the batch goes on) without giving the revision back.
      if (this.batchRev === 0) this.batchRev = this.bump('rev');
      const rev = this.batchRev;
      return this.run(() => this.stamped(change, rev)) as T;
    }
    let rev = 0;
    const result = this.run.immediate(() => {
      rev = this.bump('rev');
      return this.stamped(change, rev);
    }) as T;
    // Inside another transaction this was a savepoint: only the outer one's commit counts.
    if (!this.db.inTransaction) this.committed++;
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
   * its own savepoint, so a write that throws is undone alone and the batch goes on.
   * `lockWaitMs`: how long to wait for another process's write lock, if not the usual busy timeout
   * (the wait blocks this thread; a caller that retries by itself can wait less).
   */
  batch<T>(work: () => T, options: { lockWaitMs?: number } = {}): T {
    if (this.batching) return work();
    this.batching = true;
    this.batchRev = 0;
    const lockWaitMs = options.lockWaitMs === undefined ? BUSY_TIMEOUT_MS : Math.max(0, Math.round(options.lockWaitMs));
    if (lockWaitMs !== BUSY_TIMEOUT_MS) this.db.pragma(`busy_timeout = ${lockWaitMs}`);
    let result: T;
    try {
      result = this.run.immediate(work) as T;
    } finally {
      this.batching = false;
      if (lockWaitMs !== BUSY_TIMEOUT_MS) this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
    if (this.batchRev > 0) {
      if (!this.db.inTransaction) this.committed++;
      this.notify(this.batchRev);
    }
    return result;
  }

  /** How many transactions this connection has committed so far. */
  get commits(): number {
    return this.committed;
  }

  private notify(rev: number): void {
    for (const listener of this.listeners) listener(rev);
  }

  /** Increments a counter in `meta` and returns its new value. Call inside a write. */
  bump(key: 'rev' | 'task_seq' | 'agent_seq'): number {
    return (this.sql<{ value: number }>('UPDATE meta SET value = value + 1 WHERE key = ? RETURNING value').get(key) as { value: number })
      .value;
  }

  currentRev(): number {
    return (this.sql<{ value: number }>("SELECT value FROM meta WHERE key = 'rev'").get() as { value: number }).value;
  }

  onCommit(listener: (rev: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
