import { type Compilable, type CompiledQuery, type RawBuilder, sql } from 'kysely';
import type { Db } from './database';
import { QUERY_BUILDERS, type QueryBuilder } from './query/builder';
import { SQL_FUNCTIONS, type SqlFunctions } from './query/functions';
import { READINESS, type Readiness } from './query/readiness';
import { ContextSlot } from './context-slot';
import { type SqlConnection, type SqlStatement, StalePlanError, type StoreKind, type WriteOptions } from './sql-connection';
import { SqliteConnection } from './sqlite-sql-connection';

/** A query of the builder (`core.build…`) or a raw one (kysely's `sql` template), whose rows are `Row`. */
export type Query<Row> = Compilable<Row> | RawBuilder<Row>;

/** What one write (or batch of writes) under way keeps: its revision, the counters it moved, the tasks it touched. */
class WriteUnderWay {
  open = true;
  /** The batch's one revision, taken by its first write (outside that write's savepoint). */
  rev: Promise<number> | null = null;
  /**
   * Counters (agent_seq, task_seq) as the batch found them or last moved them: it holds the write turn, so no one else
   * moves them until it ends, and its next bump needs no answer. Forgotten when a write of it is undone.
   */
  readonly counters = new Map<string, number>();
  /**
   * The counters as the batch found them, read with its opening (a planned batch's: in the snapshot it stands on,
   * takePlannedRevision): its first claim's agent id then needs no round trip of its own on PostgreSQL. Dropped once
   * used, or once a write raises one.
   */
  countersAtStart: Promise<Array<{ key: string; value: number }>> | null = null;
  /** Tasks it changed for people to see (noteInteraction), stamped as it ends. */
  readonly interacted = new Set<string>();
  /** While its stamping is under way, the revision the stamp carries (a write inside it leaves the stamping to it). */
  stampRev: number | null = null;

  constructor(readonly batch: boolean) {}
}

/**
 * What a batch decided on a snapshot stands on (a team's planned turn): the project's revision there, the counters its
 * writes move on from, and the schema's version its rules are this build's for.
 */
export interface PlanBasis {
  rev: number;
  counters: Array<{ key: string; value: number }>;
  version: number;
}

/** What every store module shares: the connection, a statement cache, the clock and the write wrapper. */
export class StoreCore {
  private readonly statements = new Map<string, SqlStatement>();
  private readonly listeners = new Set<(rev: number) => void>();
  /** The write or batch the caller's async context is inside, if any. */
  private readonly underWay = new ContextSlot<WriteUnderWay>();
  /** Transactions this connection has committed: whether an operation that then met an error had already changed the store. */
  private committed = 0;

  /** The query builder for this store's database: `core.all(core.build.selectFrom('tasks')…)`. */
  readonly build: QueryBuilder;
  /** What the two databases spell differently inside a query (query/functions.ts). */
  readonly fn: SqlFunctions;
  /** The readiness rules' conditions in this database's words (query/readiness.ts). */
  readonly ready: Readiness;

  constructor(
    readonly conn: SqlConnection,
    readonly clock: () => Date = () => new Date(),
  ) {
    this.build = QUERY_BUILDERS[conn.kind];
    this.fn = SQL_FUNCTIONS[conn.kind];
    this.ready = READINESS[conn.kind];
  }

  get kind(): StoreKind {
    return this.conn.kind;
  }

  /** The SQLite database itself, for what only SQLite has (its page checks, a copy in memory). */
  get db(): Db {
    if (this.conn instanceof SqliteConnection) return this.conn.db;
    throw new Error('this project is kept in PostgreSQL, not in an SQLite file');
  }

  /** Every statement the store runs comes through here, prepared once per text (in the store's database's own words). */
  statement<Row = unknown>(text: string): SqlStatement<Row> {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.conn.prepare(text);
      this.statements.set(text, statement);
    }
    return statement as SqlStatement<Row>;
  }

  /**
   * A built query's statement (prepared once per text) and its parameters, given as one array (both
   * connections take that form; spread, a query whose one parameter is an array would pass its elements).
   */
  private compiled<Row>(query: Query<Row>): [SqlStatement<Row>, readonly unknown[]] {
    const { sql: text, parameters }: CompiledQuery<Row> = query.compile(this.build);
    return [this.statement<Row>(text), parameters];
  }

  /** The rows of a built query, in the caller's transaction if it has one. */
  async all<Row>(query: Query<Row>): Promise<Row[]> {
    const [statement, parameters] = this.compiled(query);
    return statement.all(parameters);
  }

  /**
   * The rows of a built query as arrays of their values, in the order of its columns: no object per row (reading a
   * 10,000-task graph's table, the objects and their garbage were half of the read). The statement is the one `all`
   * uses; its mode is taken when it is called, so it is set back at once.
   */
  async arrays(query: Query<unknown>): Promise<unknown[][]> {
    const [statement, parameters] = this.compiled(query);
    const rows = statement.raw(true).all(parameters);
    statement.raw(false);
    return (await rows) as unknown[][];
  }

  /** The first row of a built query (undefined: none). */
  async get<Row>(query: Query<Row>): Promise<Row | undefined> {
    const [statement, parameters] = this.compiled(query);
    return statement.get(parameters);
  }

  /** Runs a built write and answers how many rows it changed. */
  async run(query: Query<unknown>): Promise<{ changes: number }> {
    const [statement, parameters] = this.compiled(query);
    return statement.run(parameters);
  }

  /** Sends a built write whose answer nobody needs (SqlStatement.send: on PostgreSQL it travels with the next statement). */
  async send(query: Query<unknown>): Promise<void> {
    const [statement, parameters] = this.compiled(query);
    return statement.send(parameters);
  }

  nowIso(): string {
    return this.clock().toISOString();
  }

  private current(): WriteUnderWay | undefined {
    const write = this.underWay.get();
    return write?.open ? write : undefined;
  }

  private async within<T>(write: WriteUnderWay, work: () => Promise<T>): Promise<T> {
    try {
      return await this.underWay.run(write, work);
    } finally {
      write.open = false;
    }
  }

  /**
   * Runs `change` as one transaction that holds the project's write turn from its start (concurrent
   * writers wait for it instead of failing), stamped with a fresh revision. Listeners hear of the
   * revision only after the commit.
   * `readAhead`: reads `change` needs that hang on nothing it does, started inside the transaction before its revision
   * is known (in flight: `change` awaits them), so that on PostgreSQL they go with its opening, not a round trip later.
   */
  async write<T, Ahead = undefined>(change: (rev: number, ahead: Ahead) => Promise<T>, readAhead?: () => Ahead): Promise<T> {
    const outer = this.current();
    if (outer?.batch) {
      // One commit, one revision: taken by the first write, outside its savepoint, so a write that throws is undone
      // alone (and the batch goes on) without giving the revision back.
      const ahead = readAhead?.() as Ahead;
      const rev = await this.batchRevision(outer);
      try {
        return await this.conn.write(() => this.stamped(outer, (at) => change(at, ahead), rev));
      } catch (error) {
        // Undone: what it moved of the counters with it.
        outer.counters.clear();
        throw error;
      }
    }
    if (outer) {
      // A write inside another: a savepoint of it, with a revision of its own; the outer one stamps and commits.
      return this.conn.write(async () => {
        const revision = this.bump('rev');
        const ahead = readAhead?.() as Ahead;
        return this.stamped(outer, (at) => change(at, ahead), await revision);
      });
    }
    const write = new WriteUnderWay(false);
    let rev = 0;
    const result = await this.within(write, () =>
      this.conn.write(async () => {
        const revision = this.bump('rev');
        const ahead = readAhead?.() as Ahead;
        rev = await revision;
        return this.stamped(write, (at) => change(at, ahead), rev);
      }),
    );
    // Inside a transaction of the connection's own (a read's, a migration's) this was a savepoint: not a commit yet.
    if (!this.conn.inTransaction) {
      this.committed++;
      this.notify(rev);
    }
    return result;
  }

  /** The counters a batch moves on from (its agents' and tasks' numbers). */
  private counters(): Promise<Array<{ key: string; value: number }>> {
    return this.all(this.build.selectFrom('meta').select(['key', 'value']).where('key', 'in', ['agent_seq', 'task_seq']));
  }

  /** The batch's one revision, and the counters with it, asked for by its first write (or takeRevision). */
  private batchRevision(batch: WriteUnderWay): Promise<number> {
    if (!batch.rev) {
      const counters = this.counters();
      counters.catch(() => undefined);
      batch.countersAtStart = counters;
      batch.rev = this.bump('rev');
      batch.rev.catch(() => undefined);
    }
    return batch.rev;
  }

  /**
   * Inside a batch sure to write (a coordinator's turn with runs to settle): its revision and the counters are asked for
   * now, not by its first write, so that on PostgreSQL they travel with what is sent before the next await (the turn's
   * opening) instead of costing a round trip of their own. Undone with the batch if it does not commit.
   */
  takeRevision(): void {
    const outer = this.current();
    if (outer?.batch) void this.batchRevision(outer);
  }

  /** What a plan made in the caller's snapshot stands on (PlanBasis), read side by side (one round trip on PostgreSQL). */
  async planBasis(): Promise<PlanBasis> {
    const [rev, counters, version] = await Promise.all([this.currentRev(), this.counters(), this.schemaVersion()]);
    return { rev, counters, version };
  }

  /**
   * Inside a batch that decides its writes on a snapshot (a team's planned turn: `basis`, read there), before its first
   * write: the batch commits on top of that snapshot or not at all. Its revision and counters are the snapshot's next
   * ones, known without asking, so that on PostgreSQL its writes go with its opening and the check that nothing was
   * committed since (one round trip for the whole batch); the check fails it there. SQLite, whose write holds the file,
   * reads both at once. Either way a project that moved on fails the batch with StalePlanError, nothing written.
   */
  async takePlannedRevision(basis: PlanBasis): Promise<void> {
    const batch = this.current();
    if (!batch?.batch || batch.rev) throw new Error('a planned revision outside a batch, or after its first write');
    if (this.conn.unchangedSince) this.conn.unchangedSince(basis.rev, basis.version);
    else if ((await this.currentRev()) !== basis.rev || (await this.schemaVersion()) !== basis.version) throw new StalePlanError();
    const rev = basis.rev + 1;
    await this.send(
      this.build
        .updateTable('project')
        .set((eb) => ({ rev: eb('rev', '+', 1) }))
        .where('id', '=', 1),
    );
    batch.rev = Promise.resolve(rev);
    batch.countersAtStart = Promise.resolve(basis.counters);
    this.conn.announce(rev);
  }

  /**
   * Marks a task as changed by this write in a way people see (its state, fields, log, messages, not
   * bookkeeping like blocker counts or a run's usage): upstream's `last_interaction_at`, which its
   * modify_graph sets on every task a save changes substantively and its TUI sorts by.
   */
  noteInteraction(taskId: string): void {
    this.current()?.interacted.add(taskId);
  }

  /**
   * Runs one write, then stamps the tasks it noted with its time, inside the same transaction. A write
   * made inside another (a savepoint) leaves the stamping to the outer one.
   */
  private async stamped<T>(write: WriteUnderWay, change: (rev: number) => Promise<T>, rev: number): Promise<T> {
    if (write.stampRev !== null) return change(rev);
    write.stampRev = rev;
    try {
      const result = await change(rev);
      await this.stampInteractions(write, rev);
      return result;
    } finally {
      write.stampRev = null;
      write.interacted.clear();
    }
  }

  /**
   * Stamps what the write under way noted so far now, not as it ends: a read of a task made after this, inside the
   * write, sees the task as the write leaves it (sent with the commit, it costs no round trip of its own).
   */
  async stampNoted(): Promise<void> {
    const write = this.current();
    if (write?.stampRev != null) await this.stampInteractions(write, write.stampRev);
  }

  private async stampInteractions(write: WriteUnderWay, rev: number): Promise<void> {
    if (write.interacted.size === 0) return;
    const now = this.nowIso();
    for (const id of write.interacted) {
      await this.send(
        this.build
          .updateTable('tasks')
          .set({ extra: this.fn.jsonSetText(sql.ref('extra'), 'last_interaction_at', now), rev })
          .where('id', '=', id),
      );
    }
    write.interacted.clear();
  }

  /**
   * Runs `work` as ONE transaction, and one revision, however many writes it makes: a busy
   * coordinator settles and claims many runs a turn, one commit instead of one each. Each write is
   * its own savepoint, so a write that throws is undone alone and the batch goes on (but see `pipelined`).
   * `lockWaitMs`: how long to wait for another process's write turn, if not the usual wait.
   */
  async batch<T>(work: () => Promise<T>, options: WriteOptions = {}): Promise<T> {
    if (this.current()) return work();
    const write = new WriteUnderWay(true);
    const result = await this.within(write, () => this.conn.write(work, options));
    if (write.rev) {
      const rev = await write.rev;
      if (!this.conn.inTransaction) {
        this.committed++;
        this.notify(rev);
      }
    }
    return result;
  }

  /**
   * Runs `work` outside the caller's write and transaction, though started from inside them: work that goes on by itself
   * after it (a triage, a merge after a run's end) writes in transactions of its own.
   */
  detached<T>(work: () => T): T {
    return this.underWay.exit(() => this.conn.detached(work));
  }

  /** Runs `work` as one read transaction: what it reads is one commit's state. */
  async read<T>(work: () => Promise<T>): Promise<T> {
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
  async bump(key: 'rev' | 'task_seq' | 'agent_seq'): Promise<number> {
    if (key === 'rev') {
      const { rev } = (await this.get(
        this.build
          .updateTable('project')
          .set((eb) => ({ rev: eb('rev', '+', 1) }))
          .where('id', '=', 1)
          .returning('rev'),
      )) as { rev: number };
      this.conn.announce(rev);
      return rev;
    }
    return this.take(key, 1);
  }

  /**
   * Moves a counter on by `count` (inside a write) and returns the first of the `count` numbers taken (an import numbers
   * its new tasks with one statement, not one each); with a count of 1, the counter's new value.
   */
  async take(key: 'task_seq' | 'agent_seq', count: number): Promise<number> {
    const write = this.current();
    if (write?.batch && write.countersAtStart && !write.counters.has(key)) {
      const start = write.countersAtStart;
      write.countersAtStart = null;
      for (const row of await start) write.counters.set(row.key, Number(row.value));
    }
    const known = write?.batch ? write.counters.get(key) : undefined;
    if (known !== undefined) {
      // A write whose answer is not needed: on PostgreSQL it travels with the next statement.
      write?.counters.set(key, known + count);
      await this.send(
        this.build
          .updateTable('meta')
          .set({ value: known + count })
          .where('key', '=', key),
      );
      return known + 1;
    }
    const { value } = (await this.get(
      this.build
        .updateTable('meta')
        .set((eb) => ({ value: eb('value', '+', count) }))
        .where('key', '=', key)
        .returning('value'),
    )) as { value: number };
    if (write?.batch) write.counters.set(key, value);
    return value - count + 1;
  }

  /** Raises a counter to at least `floor` (inside a write): ids another tool used stay its own. */
  async raise(key: 'task_seq' | 'agent_seq', floor: number): Promise<void> {
    const write = this.current();
    write?.counters.delete(key);
    if (write) write.countersAtStart = null;
    await this.send(
      this.build
        .updateTable('meta')
        .set({ value: this.fn.greatest(sql.ref<number>('value'), sql.val(floor)) })
        .where('key', '=', key),
    );
  }

  /** The transaction under way gives other coordinators nothing to act on: they need not look (sql-connection.ts). */
  announceQuiet(): void {
    this.conn.announceQuiet?.();
  }

  /** The transaction under way writes the team's settings: other coordinators read their configuration again (sql-connection.ts). */
  announceSettings(): void {
    this.conn.announceSettings?.();
  }

  /** The schema's version as stored (a newer wg's migration moves it on: newer-schema.ts). */
  async schemaVersion(): Promise<number> {
    if (this.kind === 'sqlite') return (await this.all(sql<{ user_version: number }>`PRAGMA user_version`))[0]?.user_version ?? 0;
    return (await this.all(sql<{ version: number }>`SELECT version FROM schema_version`))[0]?.version ?? 0;
  }

  async currentRev(): Promise<number> {
    return ((await this.get(this.build.selectFrom('project').select('rev').where('id', '=', 1))) as { rev: number }).rev;
  }

  onCommit(listener: (rev: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
