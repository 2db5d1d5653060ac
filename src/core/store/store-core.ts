import type Database from 'better-sqlite3';
import type { Db } from './database';

/** What every store module shares: the connection, a statement cache, the clock and the write wrapper. */
export class StoreCore {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly listeners = new Set<(rev: number) => void>();

  constructor(
    readonly db: Db,
    readonly clock: () => Date = () => new Date(),
  ) {}

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
    let rev = 0;
    const result = this.db
      .transaction(() => {
        rev = this.bump('rev');
        return change(rev);
      })
      .immediate();
    for (const listener of this.listeners) listener(rev);
    return result;
  }

  /** Increments a counter in `meta` and returns its new value. Call inside a write. */
  bump(key: 'rev' | 'task_seq' | 'agent_seq'): number {
    const row = this.sql<{ value: number }>('UPDATE meta SET value = value + 1 WHERE key = ? RETURNING value').get(key);
    return (row as { value: number }).value;
  }

  currentRev(): number {
    return (this.sql<{ value: number }>("SELECT value FROM meta WHERE key = 'rev'").get() as { value: number }).value;
  }

  onCommit(listener: (rev: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
