import type Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { BUSY_TIMEOUT_MS, type Db } from './database';
import { type SqlConnection, type SqlStatement, TransactionOverError, type WriteOptions } from './sql-connection';
import { openSqlite } from './sqlite-connection';
import { type RowBuilder, rowBuilder } from './sqlite-rows';
import { TransactionScopes } from './transaction-scope';

type Mode = 'object' | 'raw' | 'pluck';

interface SqliteTx {
  kind: 'write' | 'read';
  /**
   * It committed or rolled back. A statement of its work that comes after (a savepoint whose work outlived the
   * transaction's) would run outside it, or inside another writer's transaction: it is refused instead.
   */
  over: boolean;
}

/** The longest pause between two tries for the write lock another process holds. */
const MAX_LOCK_PAUSE_MS = 50;

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

/**
 * A project's graph in one SQLite file (the default store), through better-sqlite3. Its calls are synchronous and
 * quick; what is asynchronous here is the taking of turns: a transaction's work may await between its statements, and
 * meanwhile this process's other writers wait for it (without blocking the thread) and its readers read beside it, on
 * a second connection to the file that sees the last commit (WAL), opened when first needed. A write waits for another
 * process's write lock by trying again on a timer, not in SQLite's busy handler, which would hold the thread.
 */
export class SqliteConnection implements SqlConnection {
  readonly kind = 'sqlite';
  private readonly scopes = new TransactionScopes<SqliteTx>();
  /** A write transaction of this process is open on `db`: a read from outside it must not see its writes. */
  private writeOpen = false;
  private reader: Db | null = null;
  private closed = false;

  /** `file`: where a reader beside the writer can open it (none for a database in memory). */
  constructor(
    readonly db: Db,
    private readonly file: string | null = null,
  ) {}

  prepare<Row = unknown>(text: string): SqlStatement<Row> {
    return new SqliteStatement<Row>(this, text);
  }

  get inTransaction(): boolean {
    return this.scopes.current() !== undefined;
  }

  /** Runs `call` on the connection the caller's statement belongs on (see the class). */
  async execute<R>(statement: SqliteStatement<unknown>, call: (db: Db) => R): Promise<R> {
    const frame = this.scopes.current();
    if (frame) {
      if (frame.tx.over) throw new TransactionOverError();
      return call(this.db);
    }
    if (!statement.readonlyOn(this.db)) return this.write(async () => call(this.db));
    if (!this.writeOpen) return call(this.db);
    const reader = this.readerDb();
    if (reader) return call(reader);
    // A database in memory has no second connection: its reads wait for the write under way.
    return this.scopes.turn.runExclusive(() => call(this.db));
  }

  async write<T>(work: () => Promise<T>, options: WriteOptions = {}): Promise<T> {
    const frame = this.scopes.current();
    if (frame) {
      if (frame.tx.kind === 'read') throw new Error('a write inside a read transaction');
      return this.scopes.inSavepoint(frame, (name, inner) => this.savepoint(frame.tx, name, inner), work);
    }
    const waitMs = options.lockWaitMs === undefined ? BUSY_TIMEOUT_MS : Math.max(0, Math.round(options.lockWaitMs));
    return this.scopes.turn.runExclusive(async () => {
      await this.beginImmediate(waitMs);
      this.writeOpen = true;
      const tx: SqliteTx = { kind: 'write', over: false };
      try {
        const result = await this.scopes.inTransaction(tx, work);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      } finally {
        tx.over = true;
        this.writeOpen = false;
      }
    });
  }

  detached<T>(work: () => T): T {
    return this.scopes.detached(work);
  }

  async read<T>(work: () => Promise<T>): Promise<T> {
    if (this.scopes.current()) return work();
    return this.scopes.turn.runExclusive(async () => {
      this.db.exec('BEGIN');
      const tx: SqliteTx = { kind: 'read', over: false };
      try {
        return await this.scopes.inTransaction(tx, work);
      } finally {
        tx.over = true;
        if (this.db.inTransaction) this.db.exec('COMMIT');
      }
    });
  }

  async exec(text: string): Promise<void> {
    const frame = this.scopes.current();
    if (frame?.tx.over) throw new TransactionOverError();
    if (frame) this.db.exec(text);
    else await this.write(async () => this.db.exec(text));
  }

  /** Other processes learn of SQLite's commits by watching its WAL file (service/commit-watch.ts). */
  announce(_rev: number): void {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reader?.close();
    this.db.close();
  }

  /**
   * IMMEDIATE: the write lock is taken up front. Another process holding it is waited for by trying again, a little
   * later each time, until `waitMs` has passed (then SQLite's SQLITE_BUSY, a contention).
   */
  private async beginImmediate(waitMs: number): Promise<void> {
    const deadline = performance.now() + waitMs;
    // Not a prepared statement: better-sqlite3 runs a prepared PRAGMA's first step as a no-op, so the wait stayed set.
    this.db.pragma('busy_timeout = 0');
    try {
      for (let pause = 1; ; pause = Math.min(pause * 2, MAX_LOCK_PAUSE_MS)) {
        try {
          this.db.exec('BEGIN IMMEDIATE');
          return;
        } catch (error) {
          const left = deadline - performance.now();
          if (!isBusy(error) || left <= 0) throw error;
          await sleep(Math.min(pause, left));
        }
      }
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  private async savepoint<T>(tx: SqliteTx, name: string, work: () => Promise<T>): Promise<T> {
    if (tx.over) throw new TransactionOverError();
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      if (tx.over) throw new TransactionOverError();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      // SQLite ends the whole transaction by itself after some failures (a full disk): then there is no savepoint left.
      if (!tx.over && this.db.inTransaction) {
        this.db.exec(`ROLLBACK TO ${name}`);
        this.db.exec(`RELEASE ${name}`);
      }
      throw error;
    }
  }

  private readerDb(): Db | null {
    if (this.file === null || this.closed) return null;
    if (!this.reader) {
      const reader = openSqlite(this.file, { fileMustExist: true });
      reader.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      reader.pragma('query_only = ON');
      this.reader = reader;
    }
    return this.reader;
  }
}

/** A statement prepared on one of the connection's two connections, and how it gives rows there. */
interface Prepared {
  statement: Database.Statement;
  /** better-sqlite3's own toggle as last set: a row read as an object is read as an array and built here (rowBuilder). */
  native: 'raw' | 'pluck' | 'none';
  build: RowBuilder | null;
}

/** A statement of the connection, prepared on each of its two connections the first time it runs there. */
class SqliteStatement<Row> implements SqlStatement<Row> {
  private mode: Mode = 'object';
  private readonly prepared = new Map<Db, Prepared>();

  constructor(
    private readonly conn: SqliteConnection,
    private readonly text: string,
  ) {}

  /** The statement prepared on `db`, returning rows as `mode` says (better-sqlite3's toggles, set when they change). */
  private on(db: Db, mode: Mode): Prepared {
    let entry = this.prepared.get(db);
    if (!entry) {
      entry = { statement: db.prepare(this.text), native: 'none', build: null };
      this.prepared.set(db, entry);
    }
    const native = mode === 'pluck' ? 'pluck' : 'raw';
    if (entry.statement.reader && entry.native !== native) {
      if (native === 'pluck') entry.statement.pluck(true);
      else entry.statement.raw(true);
      entry.native = native;
    }
    return entry;
  }

  /** Whether the statement only reads (prepared on `db` to be asked). */
  readonlyOn(db: Db): boolean {
    return this.on(db, this.mode).statement.readonly;
  }

  /** `db`'s statement, ready to read rows as `mode` says: its rows as better-sqlite3 gives them, and how to make each one. */
  private reading(db: Db, mode: Mode): { statement: Database.Statement; build: RowBuilder | null } {
    const entry = this.on(db, mode);
    if (mode !== 'object' || !entry.statement.reader) return { statement: entry.statement, build: null };
    entry.build ??= rowBuilder(entry.statement);
    return { statement: entry.statement, build: entry.build };
  }

  raw(toggle = true): this {
    this.mode = toggle ? 'raw' : 'object';
    return this;
  }

  pluck(toggle = true): this {
    this.mode = toggle ? 'pluck' : 'object';
    return this;
  }

  async get(...params: unknown[]): Promise<Row | undefined> {
    const mode = this.mode;
    return this.conn.execute(this, (db) => {
      const { statement, build } = this.reading(db, mode);
      const row = statement.get(...params);
      return (build && row !== undefined ? build(row as unknown[]) : row) as Row | undefined;
    });
  }

  async all(...params: unknown[]): Promise<Row[]> {
    const mode = this.mode;
    return this.conn.execute(this, (db) => {
      const { statement, build } = this.reading(db, mode);
      const rows = statement.all(...params);
      return (build ? (rows as unknown[][]).map(build) : rows) as Row[];
    });
  }

  async run(...params: unknown[]): Promise<{ changes: number }> {
    return this.conn.execute(this, (db) => ({ changes: this.on(db, 'object').statement.run(...params).changes }));
  }

  async send(...params: unknown[]): Promise<void> {
    await this.run(...params);
  }
}
