import { WgError, type WgErrorCode } from '../../shared/errors';

/**
 * What the store asks of a database, whichever holds the graph: SQLite (one file, the default) or PostgreSQL (a
 * team's server). Both are asynchronous, so no query ever holds up the thread that serves people and runs: SQLite's
 * calls are quick and local, PostgreSQL's are a network round trip away. A transaction belongs to the async context
 * that opened it (transaction-scope.ts): statements made inside its work run in it, and everything else meanwhile
 * runs beside it. Every statement is built by the query builder for the connection's own database (query/builder.ts).
 */

/** A prepared statement, run in the caller's transaction if it has one, else by itself. */
export interface SqlStatement<Row = unknown> {
  get(...params: unknown[]): Promise<Row | undefined>;
  all(...params: unknown[]): Promise<Row[]>;
  /** A statement whose answer is awaited: the rows it changed. */
  run(...params: unknown[]): Promise<{ changes: number }>;
  /**
   * A write whose answer nobody needs. Inside a transaction on PostgreSQL it resolves once sent, and travels with the
   * next statement (one round trip for many): its failure fails the transaction, met at the next statement that waits
   * for an answer, at its savepoint's end, or at the commit. SQLite runs it at once. Outside a transaction it is
   * `run` (a transaction of its own).
   */
  send(...params: unknown[]): Promise<void>;
  /** Rows as arrays of values (on: until turned off). Taken when the statement is called. */
  raw(toggle?: boolean): this;
  /** The first column's value instead of the row. Taken when the statement is called. */
  pluck(toggle?: boolean): this;
}

/**
 * A write whose transaction ended on the server before its work was done: its write turn was not had (another
 * writer held the project's lock past the wait, or the fence refused it), or it gave way to another writer
 * midway (a lock's wait ran out, a deadlock, a serialization failure: the server aborted it), or its connection was
 * lost. Every later statement of it fails with this, nothing of it is kept, and the write as a whole fails with it:
 * code that catches a part's failure and goes on lets this one through, as the write is over.
 */
export class WriteEndedError extends WgError {
  constructor(
    code: WgErrorCode,
    message: string,
    /** It lost the project's write turn to another writer (ContentionError), not to a fault. */
    readonly contention = false,
    /** Its connection to the database was lost: nothing of it was kept, and the database may be unreachable. */
    readonly lost = false,
  ) {
    super(code, message);
    this.name = 'WriteEndedError';
  }
}

/**
 * A pipelined write (WriteOptions.pipelined) that met a failure at the server: nothing of it was kept. Taken again
 * at once, it goes savepoint by savepoint, where the write that fails is undone alone.
 */
export class PipelinedWriteError extends WriteEndedError {
  constructor(code: WgErrorCode, message: string) {
    super(code, message);
    this.name = 'PipelinedWriteError';
  }
}

/**
 * A write decided on a snapshot (a team's planned turn: StoreCore.takePlannedRevision) that met a project changed since
 * it was read: another commit came between the snapshot and the write's turn, so what it decided may no longer hold.
 * Nothing of it was kept; its writer decides again, at once, on what is there now. Not a fault.
 */
export class StalePlanError extends WriteEndedError {
  constructor() {
    super('conflict', 'the project changed after the turn read it; nothing was written, and the turn is taken again');
    this.name = 'StalePlanError';
  }
}

/**
 * A statement of a transaction's work that came once the transaction had ended (work that outlived it, not awaited by
 * it): refused, not run outside it or inside the next transaction without the project's lock. Nothing of it is kept.
 */
export class TransactionOverError extends Error {
  constructor() {
    super('a write came after the transaction it belongs to had ended, so it was not made');
    this.name = 'TransactionOverError';
  }
}

/**
 * A write that gave way to another writer: its wait for the project's write turn ran out, or it met another
 * change at the same moment and was undone. Nothing of it was kept, and the same write later may well succeed:
 * where several coordinators share a project this is their ordinary taking of turns, not a fault.
 */
export class ContentionError extends WgError {
  constructor(message: string) {
    super('unavailable', message);
    this.name = 'ContentionError';
  }
}

/** Whether a write failed only because another writer had the project's turn (see ContentionError). */
export function isContention(error: unknown): boolean {
  if (error instanceof ContentionError) return true;
  if (error instanceof WriteEndedError) return error.contention;
  // SQLite's wait for its write lock ran out: another process was writing.
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/**
 * Whether a failure was the database going away (its server restarting or failing over, the network gone, or too many
 * connections at once: a restart's reconnecting crowd): nothing of the work was kept, and the same work succeeds once
 * it is back, so the coordinator keeps going and tries again (database-outage/), where any other failure is a fault of
 * the work itself. Known by the error's kind, never by its words: PostgreSQL's store makes every such failure a
 * DatabaseUnreachableError (pg-errors.ts), and a write it ended a WriteEndedError marked `lost`. Another writer's
 * turn is not one (ContentionError), and SQLite's file never goes away this way. The connection reconnects by itself
 * at its next use.
 */
export function isConnectionLost(error: unknown): boolean {
  if (error instanceof WriteEndedError) return error.lost && !error.contention;
  return error instanceof DatabaseUnreachableError;
}

/** The database could not be reached, or its connection was lost (a PostgreSQL server restarting, the network gone). */
export class DatabaseUnreachableError extends WgError {
  constructor(message: string, hint?: string) {
    super('unavailable', message, hint);
    this.name = 'DatabaseUnreachableError';
  }
}

export type StoreKind = 'sqlite' | 'postgres';

export interface WriteOptions {
  /** How long to wait for another writer's turn before failing, if not the usual wait. */
  lockWaitMs?: number;
  /**
   * On PostgreSQL, the savepoints inside it (each write of a batch) start and end with the statements that follow
   * them instead of a round trip of their own, and so a failure at the server ends it whole (PipelinedWriteError)
   * where a savepoint would have undone only itself. Its writer takes it again: this connection's pipelined writes
   * then go savepoint by savepoint (the write that fails undone alone, the rest committed) until one commits with
   * none of its writes failing. SQLite, with no round trips to save, is the same either way.
   */
  pipelined?: boolean;
}

export interface SqlConnection {
  readonly kind: StoreKind;
  /** A statement of `text`, in this database's own words (a query the builder compiled for it). */
  prepare<Row = unknown>(text: string): SqlStatement<Row>;
  /**
   * Runs `work` as one transaction that holds the project's write turn from its first statement (SQLite's BEGIN
   * IMMEDIATE; PostgreSQL's row lock on the project), or as a savepoint inside the caller's. Writers of this process
   * take turns (each waits, without blocking the thread, for the one before it to end).
   */
  write<T>(work: () => Promise<T>, options?: WriteOptions): Promise<T>;
  /** Runs `work` as one read transaction: every query sees the same commit. Inside a transaction, just runs it. */
  read<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `work` outside the caller's transaction: what it starts goes on by itself (TransactionScopes.detached). */
  detached<T>(work: () => T): T;
  /** Whether the caller (its async context) is inside a transaction of this connection. */
  readonly inTransaction: boolean;
  /** Tells every other process of this revision when the caller's transaction commits. */
  announce(rev: number): void;
  /**
   * The caller's transaction gives no other coordinator of a team's graph anything to act on (it only claims tasks and
   * records pids, or it is a turn that left no task another could start), and its announcement says so (a store with
   * one coordinator has nothing to tell).
   */
  announceQuiet?(): void;
  /**
   * The caller's transaction writes the team's settings: every coordinator of a team's graph that hears of it reads its
   * configuration at once (other commits leave that to the configuration's own look; one coordinator has nothing to tell).
   */
  announceSettings?(): void;
  /**
   * Inside a write, on PostgreSQL: fails it (StalePlanError) unless the project's revision is still `rev` and its schema
   * still `version`, checked under the project's lock by a statement that goes with what follows it (no round trip of
   * its own). SQLite's connection has none: its store reads both at once (StoreCore.takePlannedRevision).
   */
  unchangedSince?(rev: number, version: number): void;
  /** Runs SQL text of one or more statements, without parameters (schema changes). */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}
