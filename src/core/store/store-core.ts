import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, type Db } from './database';

/**
 * A batch without savepoints was undone whole: one of its writes threw after changing rows (the
 * write's own error reached its caller first). Nothing of the batch was committed; run it again.
 */
export class BatchUndone extends Error {
  constructor() {
    super('a write failed half way, so the whole batch was undone; it is taken again');
  }
}

/** What every store module shares: the connection, a statement cache, the clock and the write wrapper. */
export class StoreCore {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly listeners = new Set<(rev: number) => void>();
  /** Inside `batch`: writes become savepoints (unless it says otherwise), and listeners hear the last revision at its commit. */
  private batching = false;
  private batchRev = 0;
  /** Whether the current batch's writes are savepoints (see `batch`). */
  private batchSavepoints = true;
  /** A write of the current batch threw after changing rows. */
  private batchBroken = false;
  /** A batch was undone for such a write: batches keep their savepoints until one commits without one. */
  private keepSavepoints = false;
  /** The connection's busy timeout now (see `setBusyTimeout`). */
  private busyMs: number;
  /**
   * One transaction function for every write: each `db.transaction` call builds four wrapper functions
   * and defines five properties on each, which cost a coordinator's claim or settle about as much as
   * one of its SQL statements. Called inside a transaction, it makes a savepoint.
   */
  private readonly run: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(
    readonly db: Db,
    readonly clock: () => Date = () => new Date(),
  ) {
    this.run = db.transaction((work: () => unknown) => work());
    this.busyMs = db.pragma('busy_timeout', { simple: true }) as number;
  }

  /** Prepared once per SQL text. A statement that writes, outside a batch, waits for the lock as usual (see `waitAsUsual`). */
  sql<Row = unknown>(text: string): Database.Statement<unknown[], Row> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    if (this.busyMs !== BUSY_TIMEOUT_MS && !this.batching && !statement.reader) this.waitAsUsual();
    return statement as Database.Statement<unknown[], Row>;
  }

  /**
   * The first `count` rows of a query, read one by one. Not `LIMIT ?`: better-sqlite3's SQLite is built
   * with STAT4, and a bound LIMIT cost ~14 µs more a call than a literal one (measured on the ready
   * queue; as if the statement were planned again), more than reading the rows themselves, and the
   * coordinator reads its queue every turn.
   */
  firstRows<Row>(text: string, count: number, ...params: unknown[]): Row[] {
    const rows: Row[] = [];
    if (count <= 0) return rows;
    for (const row of this.sql<Row>(text).iterate(...params)) {
      rows.push(row);
      // Leaving the loop resets the statement: the rest is never read.
      if (rows.length >= count) break;
    }
    return rows;
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
      return this.batchWrite(change, this.batchRev);
    }
    this.waitAsUsual();
    let rev = 0;
    const result = this.run.immediate(() => {
      rev = this.bump('rev');
      return change(rev);
    }) as T;
    this.notify(rev);
    return result;
  }

  /**
   * A write inside a batch: its own savepoint, or none (see `batch`'s `savepoints`). One that throws
   * before changing anything is as if it never ran either way. One that throws after changing rows is
   * undone alone by its savepoint; without one, it breaks the batch, which is then undone whole.
   */
  private batchWrite<T>(change: (rev: number) => T, rev: number): T {
    const before = this.totalChanges();
    try {
      return this.batchSavepoints ? (this.run(() => change(rev)) as T) : change(rev);
    } catch (error) {
      if (this.totalChanges() !== before) this.batchBroken = true;
      throw error;
    }
  }

  /** Rows changed on this connection since it opened, counting only statements that succeeded (SQLite's `total_changes()`). */
  private totalChanges(): number {
    return (this.sql<{ n: number }>('SELECT total_changes() AS n').get() as { n: number }).n;
  }

  /**
   * Runs `work` as ONE transaction, and one revision, however many writes it makes. A busy
   * coordinator settles and claims many runs a turn: one commit instead of one each.
   * `lockWaitMs`: how long to wait for another process's write lock, if not the usual busy timeout
   * (the wait blocks this thread; a caller that retries by itself can wait less).
   * `savepoints`: each write is its own savepoint, so a write that throws is undone alone and the
   * batch goes on (the default). With `false`, writes run without one (a savepoint copies every
   * page the write changes: a quarter of a coordinator turn's store work); a write that throws
   * before changing anything is still as if it never ran, but one that throws after changing rows
   * makes the whole batch undone, and `batch` throws `BatchUndone`: the caller runs it again, and
   * batches keep their savepoints from then on until one commits in which no write threw so.
   */
  batch<T>(work: () => T, options: { lockWaitMs?: number; savepoints?: boolean } = {}): T {
    if (this.batching) return work();
    this.batching = true;
    this.batchRev = 0;
    this.batchBroken = false;
    this.batchSavepoints = options.savepoints !== false || this.keepSavepoints;
    this.setBusyTimeout(options.lockWaitMs ?? BUSY_TIMEOUT_MS);
    let result: T;
    try {
      result = this.run.immediate(() => {
        const value = work();
        if (this.batchBroken && !this.batchSavepoints) throw new BatchUndone();
        return value;
      }) as T;
    } catch (error) {
      // Undone whole, whatever ended it: the same writes taken again would break it again.
      if (this.batchBroken && !this.batchSavepoints) this.keepSavepoints = true;
      throw error;
    } finally {
      this.batching = false;
    }
    // A batch that could have gone without savepoints but kept them says whether they are still needed.
    if (options.savepoints === false && this.batchSavepoints) this.keepSavepoints = this.batchBroken;
    if (this.batchRev > 0) this.notify(this.batchRev);
    return result;
  }

  /**
   * How long a write waits for another process's lock (`PRAGMA busy_timeout`). Only BEGIN IMMEDIATE
   * waits in a batch; a batch's shorter wait is left in place after it, and put back to the usual
   * one only before the next write that is not such a batch (`write`, `batch`, a writing statement
   * from `sql`): a coordinator's turns come one after another, and the PRAGMA is prepared again each
   * time it runs (it acts while being prepared), 7-12 µs each, two a turn.
   */
  private setBusyTimeout(ms: number): void {
    const wanted = Math.max(0, Math.round(ms));
    if (wanted === this.busyMs) return;
    this.sql(`PRAGMA busy_timeout = ${wanted}`).get();
    this.busyMs = wanted;
  }

  private waitAsUsual(): void {
    this.setBusyTimeout(BUSY_TIMEOUT_MS);
  }

  private notify(rev: number): void {
    for (const listener of this.listeners) listener(rev);
  }

  /**
   * Increments a counter in `meta` and returns its new value. Call inside a write (which holds the
   * lock between the two statements). Not `UPDATE ... RETURNING`: that took 10 µs here against 1.3 µs
   * for the pair, and every claim and every turn bumps.
   */
  bump(key: 'rev' | 'task_seq' | 'agent_seq'): number {
    this.sql('UPDATE meta SET value = value + 1 WHERE key = ?').run(key);
    return (this.sql<{ value: number }>('SELECT value FROM meta WHERE key = ?').get(key) as { value: number }).value;
  }

  currentRev(): number {
    return (this.sql<{ value: number }>("SELECT value FROM meta WHERE key = 'rev'").get() as { value: number }).value;
  }

  onCommit(listener: (rev: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
