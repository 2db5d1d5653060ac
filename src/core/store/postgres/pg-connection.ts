import { WgError } from '../../../shared/errors';
import { ROWID_COLUMN } from './pg-schema';
import {
  isContention,
  PipelinedWriteError,
  type SqlConnection,
  type SqlStatement,
  StalePlanError,
  TransactionOverError,
  WriteEndedError,
  type WriteOptions,
} from '../sql-connection';
import { TransactionScopes } from '../transaction-scope';
import { pgFailure, StepFailure } from './pg-errors';
import { FENCED_IDLE_MS, FencedError, type Fence } from './pg-fence';
import { type Answer, PgSession, type Step } from './pg-session';
import type { PgTarget } from './store-url';

type Mode = 'object' | 'raw' | 'pluck';

/**
 * A planned write's check (unchangedSince): a division by zero, failing the transaction at the server, unless the
 * project is at the revision and schema version the plan was read at.
 */
const PLAN_CHECK =
  'SELECT 1 / (CASE WHEN rev = $1 AND (SELECT version FROM schema_version) = $2 THEN 1 ELSE 0 END) AS as_planned FROM project WHERE id = 1';

/** The NOTIFY channel a project's commits are announced on (its schema's: several projects may share a database). */
export function commitChannel(schema: string): string {
  return `wg_commits_${schema}`;
}

/**
 * What a commit was, for other coordinators of a team's graph: `quiet` when it gives them nothing to act on (claims and
 * pids, or a turn that left no task another could start), `settings` when it wrote the team's settings, else `other`
 * (the announcement carries it after the revision, nothing for `other`; commit-listener.ts reads it).
 */
export type CommitKind = 'quiet' | 'settings' | 'other';

/**
 * Every write takes the project's row lock first: writers to one project take turns, as SQLite's
 * BEGIN IMMEDIATE makes them, and each then reads what the one before it committed (READ COMMITTED).
 */
const PROJECT_LOCK = 'SELECT rev FROM project WHERE id = 1 FOR UPDATE';
const WRITES = /^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b|^\s*WITH\b[\s\S]*\b(INSERT|UPDATE|DELETE)\b/i;

/** A statement sent in a transaction, and what became of it. */
interface Sent {
  step: Step;
  /** It opens the transaction (BEGIN, the project's lock, the fence): its failure means the transaction never began. */
  opening: boolean;
  answer: Promise<Answer>;
  state: 'pending' | 'done' | 'failed';
  failure?: unknown;
  /** Its savepoint was undone: its failure is no longer the transaction's. */
  undone: boolean;
}

/** One transaction on one session: what it sent, in order, and how it stands. */
interface PgTx {
  session: PgSession;
  sent: Sent[];
  pipelined: boolean;
  /** Why the transaction is over on the server before its work was done: every later statement of it fails so. */
  ended: Error | null;
  /** A statement inside a savepoint failed at the server (the transaction was not clean). */
  savepointFailed: boolean;
  /**
   * Its COMMIT or ROLLBACK was sent. A statement of its work that comes after (a savepoint whose work outlived the
   * transaction's) would run on the session outside any transaction, or inside the next one, without the project's
   * lock: it is refused instead.
   */
  finished: boolean;
  announceRev: number | null;
  quiet: boolean;
  settings: boolean;
}

/**
 * A PostgreSQL store's connection. Its statements are sent without waiting for the ones before them to be answered
 * (the sessions are pipelined), so what a transaction's work asks for side by side (`Promise.all`), the transaction's
 * opening (BEGIN, the project's lock, the fence) with its first statement, and the writes whose answers nobody waits
 * for (`send`) with the next statement, each reach the server in one round trip. Three kinds of session: the writer,
 * whose transactions this process's writers take turns at; a reader for reads made outside a transaction while a
 * write is under way (opened when first needed); and sessions of their own for read transactions made meanwhile.
 */
export class PgConnection implements SqlConnection {
  readonly kind = 'postgres';
  private readonly scopes = new TransactionScopes<PgTx>();
  /** The commit sent and not yet answered, with the revision it announced (ownCommit). */
  private committing: { rev: number; done: Promise<boolean> } | null = null;
  private readonly writer: PgSession;
  private reader: PgSession | null = null;
  private readonly idleReadSessions: PgSession[] = [];
  private readonly readSessions: PgSession[] = [];
  private readonly names = new Map<string, string>();
  /** A pipelined write failed at the server: those asked for pipelined go savepoint by savepoint until one commits clean. */
  private pipelineBroken = false;
  /** Set while this process coordinates the project: every write checks the lease first. */
  private fence: Fence | null = null;
  /** The checks sent by unchangedSince: their failure is a stale plan, not a fault. */
  private readonly planChecks = new WeakSet<Step>();
  private closed = false;

  private constructor(
    readonly target: PgTarget,
    readonly lockTimeoutMs: number,
    private readonly applicationName: string,
  ) {
    this.writer = this.session();
  }

  /** Connects to the project's server (what fails says so in one line). */
  static async open(target: PgTarget, lockTimeoutMs: number, applicationName = 'wg'): Promise<PgConnection> {
    const conn = new PgConnection(target, lockTimeoutMs, applicationName);
    await conn.writer.open();
    return conn;
  }

  /**
   * Makes every write transaction from now on check `fence` right after the project's lock (null: no check). A fenced
   * transaction also ends on the server if it sits idle, so that a frozen coordinator holding the project's lock does
   * not hold up the one that takes over.
   */
  setFence(fence: Fence | null): void {
    this.fence = fence;
  }

  get inTransaction(): boolean {
    return this.scopes.current() !== undefined;
  }

  prepare<Row = unknown>(text: string): SqlStatement<Row> {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `wg_${this.names.size + 1}`;
      this.names.set(text, name);
    }
    return new PgStatement<Row>(this, { text, name }, WRITES.test(text));
  }

  /** Runs one statement and waits for its answer: in the caller's transaction, or (a write) in one of its own. */
  async execute(step: Step, writes: boolean): Promise<Answer> {
    const frame = this.scopes.current();
    if (frame) {
      if (frame.tx.ended) throw frame.tx.ended;
      return this.answer(frame.tx, this.send(frame.tx, step), frame.depth > 1);
    }
    if (writes) return this.write(() => this.execute(step, true));
    // Beside a write under way, on a session of its own: never inside another's transaction.
    const session = this.scopes.turn.isLocked() ? this.readerSession() : this.writer;
    return this.outside(session, step);
  }

  unchangedSince(rev: number, version: number): void {
    const frame = this.scopes.current();
    if (!frame) throw new Error('a check of the plan outside a write');
    if (frame.tx.ended) throw frame.tx.ended;
    // After the project's lock (the opening): the revision read here is the one this write commits on top of.
    const check: Step = { text: PLAN_CHECK, values: [rev, version], name: 'wg_plan_check' };
    this.planChecks.add(check);
    this.send(frame.tx, check);
  }

  /** A write whose answer nobody waits for (SqlStatement.send): inside a transaction, sent and not awaited. */
  async sendWrite(step: Step): Promise<void> {
    const frame = this.scopes.current();
    if (!frame) {
      await this.execute(step, true);
      return;
    }
    const tx = frame.tx;
    if (tx.ended) throw tx.ended;
    this.send(tx, step);
  }

  async write<T>(work: () => Promise<T>, options: WriteOptions = {}): Promise<T> {
    const frame = this.scopes.current();
    if (frame) return this.scopes.inSavepoint(frame, (name, inner) => this.savepoint(frame.tx, frame.depth > 1, name, inner), work);
    const waitMs = options.lockWaitMs === undefined ? this.lockTimeoutMs : Math.max(1, Math.round(options.lockWaitMs));
    const opening: Step[] = [
      { text: 'BEGIN ISOLATION LEVEL READ COMMITTED' },
      ...(waitMs === this.lockTimeoutMs ? [] : [{ text: `SET LOCAL lock_timeout = ${waitMs}` }]),
      { text: PROJECT_LOCK, name: 'wg_project_lock' },
      ...(this.fence ? [{ text: `SET LOCAL idle_in_transaction_session_timeout = ${FENCED_IDLE_MS}` }, this.fence.check] : []),
    ];
    const pipelined = options.pipelined === true;
    return this.scopes.turn.runExclusive(async () => {
      const mending = pipelined && this.pipelineBroken;
      const tx = await this.begin(this.writer, opening, pipelined && !mending);
      const result = await this.within(tx, work);
      await this.commit(tx);
      if (mending && !tx.savepointFailed) this.pipelineBroken = false;
      return result;
    });
  }

  detached<T>(work: () => T): T {
    return this.scopes.detached(work);
  }

  async read<T>(work: () => Promise<T>): Promise<T> {
    if (this.scopes.current()) return work();
    // One snapshot for every query of it: a revision read with the rows matches them.
    const opening = [{ text: 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' }];
    const release = this.scopes.turn.isLocked() ? null : await this.scopes.turn.acquire();
    const session = release ? this.writer : (this.idleReadSessions.pop() ?? this.readSession());
    try {
      const tx = await this.begin(session, opening, false);
      const result = await this.within(tx, work);
      // Its end is not waited for: nothing was written, and whatever uses the session next is sent after it.
      this.send(tx, { text: 'COMMIT' }, false, true).answer.catch(() => undefined);
      return result;
    } finally {
      if (release) release();
      else this.idleReadSessions.push(session);
    }
  }

  /** A transaction outside the project's lock: a migration's or a lease's, which take locks of their own. */
  async withoutProjectLock<T>(work: () => Promise<T>): Promise<T> {
    const frame = this.scopes.current();
    if (frame) return this.scopes.inSavepoint(frame, (name, inner) => this.savepoint(frame.tx, frame.depth > 1, name, inner), work);
    return this.scopes.turn.runExclusive(async () => {
      const tx = await this.begin(this.writer, [{ text: 'BEGIN ISOLATION LEVEL READ COMMITTED' }], false);
      const result = await this.within(tx, work);
      await this.commit(tx);
      return result;
    });
  }

  /** PostgreSQL's own SQL, not translated (a migration's look at the catalog); rows as objects. */
  async pgQuery<Row>(text: string, values: unknown[] = []): Promise<Row[]> {
    const answer = await this.execute(values.length > 0 ? { text, values } : { text }, false);
    return answer.rows.map((row) => Object.fromEntries(answer.fields.map((field, index) => [field, row[index]])) as Row);
  }

  /** Statements in PostgreSQL's own words, run as they are (a migration's: postgres/pg-migrations.ts). */
  async exec(text: string): Promise<void> {
    await this.execute({ text }, false);
  }

  /**
   * Whether an announced revision is this connection's own commit, sent and not yet answered: the announcement, heard
   * on the listener's connection, may come before the commit's answer on this one. Resolves once that answer came
   * (true: it committed); null when no commit of that revision is under way here.
   */
  ownCommit(rev: number): Promise<boolean> | null {
    return this.committing?.rev === rev ? this.committing.done : null;
  }

  /** Announces `rev` to every listener of this project when the caller's transaction commits. */
  announce(rev: number): void {
    const frame = this.scopes.current();
    if (frame) frame.tx.announceRev = rev;
  }

  announceQuiet(): void {
    const frame = this.scopes.current();
    if (frame) frame.tx.quiet = true;
  }

  announceSettings(): void {
    const frame = this.scopes.current();
    if (frame) frame.tx.settings = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const sessions = [this.writer, ...(this.reader ? [this.reader] : []), ...this.readSessions];
    for (const session of sessions) await session.close();
  }

  private session(): PgSession {
    return new PgSession(this.target, this.lockTimeoutMs, this.applicationName);
  }

  private readerSession(): PgSession {
    this.reader ??= this.session();
    return this.reader;
  }

  private readSession(): PgSession {
    const session = this.session();
    this.readSessions.push(session);
    return session;
  }

  /** One statement outside any transaction, on `session`. */
  private async outside(session: PgSession, step: Step): Promise<Answer> {
    try {
      return await session.query(step, false);
    } catch (error) {
      throw this.plain(error);
    }
  }

  /** Opens a transaction on `session`: its opening statements go out with the first statement of its work. */
  private async begin(session: PgSession, opening: Step[], pipelined: boolean): Promise<PgTx> {
    // Connected first (the statements of a transaction never make a connection again: a lost one ends it).
    await session.open();
    const tx: PgTx = {
      session,
      sent: [],
      pipelined,
      ended: null,
      savepointFailed: false,
      finished: false,
      announceRev: null,
      quiet: false,
      settings: false,
    };
    for (const step of opening) this.send(tx, step, true);
    return tx;
  }

  /** Runs the transaction's work in its frame; undone if it fails. */
  private async within<T>(tx: PgTx, work: () => Promise<T>): Promise<T> {
    try {
      const result = await this.scopes.inTransaction(tx, work);
      if (tx.ended) throw tx.ended;
      return result;
    } catch (error) {
      await this.rollback(tx);
      throw tx.ended ?? error;
    }
  }

  /** Sends `step` in the transaction, not waiting for its answer; `closing`: its COMMIT or ROLLBACK. */
  private send(tx: PgTx, step: Step, opening = false, closing = false): Sent {
    if (tx.finished) throw new TransactionOverError();
    if (closing) tx.finished = true;
    const sent: Sent = { step, opening, state: 'pending', undone: false, answer: tx.session.query(step, true) };
    sent.answer.then(
      () => {
        sent.state = 'done';
      },
      (error: unknown) => {
        sent.state = 'failed';
        sent.failure = error;
      },
    );
    tx.sent.push(sent);
    return sent;
  }

  /**
   * The answer to `sent`; if the transaction failed at or before it, why (the first failure it met). `inSavepoint`:
   * asked for inside a savepoint, whose undoing keeps the transaction going.
   */
  private async answer(tx: PgTx, sent: Sent, inSavepoint: boolean): Promise<Answer> {
    try {
      return await sent.answer;
    } catch {
      throw this.failed(tx, inSavepoint);
    }
  }

  /** Waits for every statement sent so far; throws the first failure among them that counts. */
  private async flush(tx: PgTx, inSavepoint: boolean): Promise<void> {
    await Promise.allSettled(tx.sent.map((sent) => sent.answer));
    if (tx.sent.some((sent) => sent.state === 'failed' && !sent.undone)) throw this.failed(tx, inSavepoint);
  }

  /**
   * Why the transaction failed: the first statement of it that failed and still counts (answers come in order, so it
   * has been answered). A failure among its opening statements means it never began, and one that gave way to another
   * writer or lost the connection ends it whole (the write is retried whole, at its next turn), as does any failure in
   * a pipelined one (its savepoints' ends went with later statements: what failed may belong to work that has already
   * returned) and any outside a savepoint (the server has aborted the transaction).
   */
  private failed(tx: PgTx, inSavepoint: boolean): Error {
    if (tx.ended) return tx.ended;
    const first = tx.sent.find((sent) => sent.state === 'failed' && !sent.undone);
    if (!first) return new Error('a statement failed in a transaction, and its failure was not found');
    const fence = this.fence;
    const raw = first.failure;
    const failure = raw instanceof StepFailure ? raw.failure : null;
    const refused = fence !== null && first.step === fence.check && failure?.code === '22012';
    // Not a fault, and no reason to stop pipelining: the writer decides again on what is there now.
    if (this.planChecks.has(first.step) && failure?.code === '22012') {
      tx.ended = new StalePlanError();
      return tx.ended;
    }
    const error = refused && fence ? new FencedError(fence.refusal) : this.plain(raw);
    const lost = failure?.lost === true;
    if (first.opening || lost || isContention(error)) {
      tx.ended =
        error instanceof WriteEndedError
          ? error
          : new WriteEndedError(error instanceof WgError ? error.code : 'unavailable', error.message, isContention(error), lost);
      return tx.ended;
    }
    if (tx.pipelined) {
      this.pipelineBroken = true;
      tx.ended = new PipelinedWriteError(error instanceof WgError ? error.code : 'unavailable', error.message);
      return tx.ended;
    }
    if (inSavepoint) {
      tx.savepointFailed = true;
      return error;
    }
    tx.ended = error;
    return error;
  }

  /** A failure of a statement, in one plain line where a person can act on it (pg-errors.ts). */
  private plain(error: unknown): Error {
    if (error instanceof StepFailure) return pgFailure(error.failure, this.target.shown);
    return error instanceof Error ? error : new Error(String(error));
  }

  private async commit(tx: PgTx): Promise<void> {
    const rev = tx.announceRev;
    let committed = false;
    let answered: (committed: boolean) => void = () => undefined;
    if (rev !== null) {
      const kind: CommitKind = tx.settings ? 'settings' : tx.quiet ? 'quiet' : 'other';
      const payload = kind === 'other' ? String(rev) : `${rev} ${kind}`;
      this.send(tx, { text: 'SELECT pg_notify($1, $2)', values: [commitChannel(this.target.schema), payload], name: 'wg_notify' });
      const committing = { rev, done: new Promise<boolean>((resolve) => (answered = resolve)) };
      this.committing = committing;
      void committing.done.then(() => {
        if (this.committing === committing) this.committing = null;
      });
    }
    try {
      const commit = this.send(tx, { text: 'COMMIT' }, false, true);
      try {
        await this.flush(tx, false);
      } catch (error) {
        // Its savepoints' writes went with the commit: what failed may be any of them. The server has ended it.
        await this.rollback(tx);
        throw error;
      }
      // A statement that failed inside the transaction (and was caught) left it aborted: PostgreSQL then answers COMMIT by
      // rolling back, where SQLite would have kept the other statements. Never silently.
      if ((await commit.answer).command === 'ROLLBACK') {
        throw new Error('a statement failed inside the transaction, so PostgreSQL undid all of it; nothing was written');
      }
      committed = true;
    } finally {
      answered(committed);
    }
  }

  private async rollback(tx: PgTx): Promise<void> {
    // Its COMMIT was sent and failed: the server has ended it already.
    if (tx.finished) return;
    const lost = tx.sent.some((sent) => sent.state === 'failed' && sent.failure instanceof StepFailure && sent.failure.failure.lost);
    if (lost) {
      // The server ended it with the connection; the session connects afresh for the next one.
      tx.finished = true;
      return;
    }
    try {
      await this.send(tx, { text: 'ROLLBACK' }, false, true).answer;
    } catch {
      // The connection went: the server ends the transaction itself.
    }
  }

  /**
   * A savepoint: pipelined, its start and end go with the statements after them (a failure at the server then ends the
   * whole transaction); else the writes waiting from before it go first (their failure is not its own), and its own
   * with its end, so that a failure among them undoes it alone.
   */
  private async savepoint<T>(tx: PgTx, insideAnother: boolean, name: string, work: () => Promise<T>): Promise<T> {
    if (tx.ended) throw tx.ended;
    if (tx.finished) throw new TransactionOverError();
    // The enclosing work's writes waiting from before it: their failure is not this savepoint's.
    if (!tx.pipelined) await this.flush(tx, insideAnother);
    const start = tx.sent.length;
    this.send(tx, { text: `SAVEPOINT ${name}` });
    try {
      const result = await work();
      this.send(tx, { text: `RELEASE SAVEPOINT ${name}` });
      if (!tx.pipelined) await this.flush(tx, true);
      return result;
    } catch (error) {
      if (tx.ended) throw tx.ended;
      // The transaction is over already (its work did not wait for this savepoint's): nothing to undo in it.
      if (tx.finished) throw error;
      for (const sent of tx.sent.slice(start + 1)) sent.undone = true;
      const undo = [this.send(tx, { text: `ROLLBACK TO SAVEPOINT ${name}` }), this.send(tx, { text: `RELEASE SAVEPOINT ${name}` })];
      if (!tx.pipelined) {
        for (const sent of undo) await this.answer(tx, sent, false);
      }
      throw error;
    }
  }
}

class PgStatement<Row> implements SqlStatement<Row> {
  private mode: Mode = 'object';

  constructor(
    private readonly connection: PgConnection,
    private readonly step: Step,
    private readonly writes: boolean,
  ) {}

  async get(...params: unknown[]): Promise<Row | undefined> {
    const mode = this.mode;
    const answer = await this.connection.execute(this.stepWith(params), this.writes);
    return answer.rows.length === 0 ? undefined : shape<Row>(answer, answer.rows[0] as unknown[], mode);
  }

  async all(...params: unknown[]): Promise<Row[]> {
    const mode = this.mode;
    const answer = await this.connection.execute(this.stepWith(params), this.writes);
    return answer.rows.map((row) => shape<Row>(answer, row, mode));
  }

  async run(...params: unknown[]): Promise<{ changes: number }> {
    return { changes: (await this.connection.execute(this.stepWith(params), this.writes)).rowCount };
  }

  send(...params: unknown[]): Promise<void> {
    return this.connection.sendWrite(this.stepWith(params));
  }

  raw(toggle = true): this {
    this.mode = toggle ? 'raw' : 'object';
    return this;
  }

  pluck(toggle = true): this {
    this.mode = toggle ? 'pluck' : 'object';
    return this;
  }

  /** The statement with these values (better-sqlite3 takes them one by one or as one array). */
  private stepWith(params: unknown[]): Step {
    const values = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
    return values.length > 0 ? { ...this.step, values } : this.step;
  }
}

/** A row as the statement's mode asks: an object (without the stand-in for SQLite's rowid), its values, or its first. */
function shape<Row>(answer: Answer, row: unknown[], mode: Mode): Row {
  if (mode === 'pluck') return row[0] as Row;
  const skip = answer.fields.indexOf(ROWID_COLUMN);
  if (mode === 'raw') return (skip < 0 ? row : row.filter((_, index) => index !== skip)) as Row;
  const object: Record<string, unknown> = {};
  for (let index = 0; index < answer.fields.length; index++) if (index !== skip) object[answer.fields[index] as string] = row[index];
  return object as Row;
}
