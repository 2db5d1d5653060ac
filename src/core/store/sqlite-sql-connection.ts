import type Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS, type Db } from './database';
import type { Soon, SqlConnection, SqlStatement, WriteOptions } from './sql-connection';

/** A project's graph in one SQLite file (the default store): better-sqlite3's statements and transactions, as they are. */
export class SqliteConnection implements SqlConnection {
  readonly kind = 'sqlite';
  /** The one transaction function: called inside a transaction, it makes a savepoint. */
  private readonly run: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(readonly db: Db) {
    this.run = db.transaction((work: () => unknown) => work());
  }

  prepare<Row = unknown>(text: string): SqlStatement<Row> {
    return this.db.prepare<unknown[], Row>(text);
  }

  /** IMMEDIATE: the write lock is taken up front, so concurrent writers wait on the busy timeout instead of failing. */
  write<T>(work: () => T, options: WriteOptions = {}): T {
    const lockWaitMs = options.lockWaitMs === undefined ? BUSY_TIMEOUT_MS : Math.max(0, Math.round(options.lockWaitMs));
    if (lockWaitMs === BUSY_TIMEOUT_MS || this.db.inTransaction) return this.run.immediate(work) as T;
    this.db.pragma(`busy_timeout = ${lockWaitMs}`);
    try {
      return this.run.immediate(work) as T;
    } finally {
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  }

  read<T>(work: () => T): T {
    return this.run(work) as T;
  }

  /** Read at once: a statement costs no round trip here. */
  readSoon<Row>(statement: SqlStatement<Row>, params: unknown[]): Soon<Row[]> {
    const rows = statement.all(...params);
    return () => rows;
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  exec(text: string): void {
    this.db.exec(text);
  }

  /** Other processes learn of SQLite's commits by watching its WAL file (service/commit-watch.ts). */
  announce(_rev: number): void {}

  close(): void {
    this.db.close();
  }
}
