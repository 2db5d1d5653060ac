import { WgError } from '../../../shared/errors';
import { DialectError, ROWID_COLUMN, toPostgres } from '../dialect';
import {
  isContention,
  PipelinedWriteError,
  type SqlConnection,
  type SqlStatement,
  type Soon,
  WriteEndedError,
  type WriteOptions,
} from '../sql-connection';
import { pgFailure } from './pg-errors';
import { FENCED_IDLE_MS, FencedError, type Fence } from './pg-fence';
import type { PgTarget } from './store-url';
import { sharedWorker } from './sync-worker';
import { runHop } from '../../runs/run-hops';
import type { Step, StepAnswer, WorkerReply } from './worker-protocol';

type Mode = 'object' | 'raw' | 'pluck';

const NO_ANSWER: StepAnswer = { fields: [], rows: [], rowCount: 0, command: '' };

/** A step sent ahead of the statement that needed an answer (a write run for its count, a read asked for soon), and its answer once sent. */
interface SentAhead {
  step: Step;
  answer: StepAnswer | null;
}

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
const WRITES = /^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b/i;
/** A write whose only answer is its row count: inside a transaction it travels with the next statement. */
const DEFERRABLE = /^\s*(INSERT|UPDATE|DELETE)\b/i;
const RETURNS_ROWS = /\bRETURNING\b/i;
let sessions = 0;

/**
 * A PostgreSQL store's connection, synchronous like SQLite's: each statement is sent to the database
 * worker (pg-worker.ts) and waited for. What opens a transaction (BEGIN, the project's lock, a
 * savepoint) waits to travel with the first statement inside it, a write whose row count is not asked for
 * and a read asked for soon (readSoon) travel with what follows them, and a commit carries the revision's
 * announcement (NOTIFY).
 */
export class PgConnection implements SqlConnection {
  readonly kind = 'postgres';
  private readonly worker = sharedWorker();
  private readonly session = ++sessions;
  private closed = false;
  /** Transactions and savepoints open: 0 outside one. */
  private depth = 0;
  /** Steps waiting to go with the next statement. */
  private pending: Step[] = [];
  /** Writes and reads among the pending steps that someone waits on, each with its answer once sent. */
  private deferred: SentAhead[] = [];
  /** How many of the pending steps open the transaction (BEGIN, the project's lock, the fence's check). */
  private opening = 0;
  /**
   * Why the current transaction is over on the server before its work was done (an opening step failed: the
   * lock's wait ran out, the fence refused; or a statement gave way to another writer midway): it is aborted
   * there, so each later statement of it fails so too, without reaching the server, and the transaction ends
   * with it even if its work caught it and went on.
   */
  private ended: WriteEndedError | null = null;
  /** The current transaction's BEGIN has reached the server. */
  private begun = false;
  /** The connection was lost inside the current transaction: it is over on the server. */
  private lost = false;
  /**
   * The current transaction sends its savepoints' starts and ends with what follows them (WriteOptions.pipelined):
   * its first failure ends it whole.
   */
  private pipelined = false;
  /**
   * A pipelined transaction failed at the server: those asked for pipelined go savepoint by savepoint until one
   * commits with none of its savepoints failing.
   */
  private pipelineBroken = false;
  /** A statement of the current transaction failed at the server inside a savepoint. */
  private savepointFailed = false;
  private announceRev: number | null = null;
  private quiet = false;
  private settings = false;
  private readonly names = new Map<string, string>();
  /** Set while this process coordinates the project: every write checks the lease first. */
  private fence: Fence | null = null;

  constructor(
    readonly target: PgTarget,
    readonly lockTimeoutMs: number,
  ) {
    this.check(
      this.worker.call({
        op: 'open',
        session: this.session,
        connectionString: target.connectionString,
        schema: target.schema,
        lockTimeoutMs,
      }),
    );
  }

  /**
   * Makes every write transaction from now on check `fence` right after the project's lock (null: no
   * check). A fenced transaction also ends on the server if it sits idle, so that a frozen coordinator
   * holding the project's lock does not hold up the one that takes over.
   */
  setFence(fence: Fence | null): void {
    this.fence = fence;
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  prepare<Row = unknown>(text: string): SqlStatement<Row> {
    let translated: string;
    try {
      translated = toPostgres(text);
    } catch (error) {
      if (error instanceof DialectError) throw new Error(`no PostgreSQL form for this statement (${error.message}): ${text}`);
      throw error;
    }
    let name = this.names.get(translated);
    if (name === undefined) {
      name = `wg_${this.names.size + 1}`;
      this.names.set(translated, name);
    }
    return new PgStatement<Row>(this, { text: translated, name }, WRITES.test(text));
  }

  /** Runs one statement: inside the current transaction, or (a write) in a turn of its own. */
  execute(step: Step, writes: boolean): StepAnswer {
    if (this.depth === 0 && writes) return this.write(() => this.execute(step, true));
    if (this.ended) throw this.ended;
    return this.sendPending(step);
  }

  /**
   * A write run for its row count alone. Inside a transaction it waits to travel with the next statement, the
   * savepoint's end or the commit, whichever comes first (one round trip for several), unless its count is asked
   * for first; a failure is met there, inside the same savepoint, as if met at once.
   */
  runWrite(step: Step): { changes: number } {
    if (this.depth === 0 || this.ended || !DEFERRABLE.test(step.text) || RETURNS_ROWS.test(step.text)) {
      return { changes: this.execute(step, true).rowCount };
    }
    const answer = this.sendAhead(step);
    return {
      // Undone before it was sent (its savepoint or transaction ended first): it changed nothing.
      get changes(): number {
        return answer()?.rowCount ?? 0;
      },
    };
  }

  /**
   * A read whose rows are wanted soon: inside a transaction it waits to travel with the next statement (or the commit),
   * so that reads that do not depend on one another reach the server in one round trip; asking for its rows sends what
   * waits. Outside one (nothing to wait with) it is read at once.
   */
  readSoon<Row>(statement: SqlStatement<Row>, params: unknown[]): Soon<Row[]> {
    if (!(statement instanceof PgStatement)) throw new Error('a statement of another connection');
    const step = statement.stepWith(params);
    if (this.depth === 0) {
      const rows = statement.rowsOf(this.execute(step, false));
      return () => rows;
    }
    if (this.ended) throw this.ended;
    const mode = statement.modeNow();
    const answer = this.sendAhead(step);
    return () => {
      const answered = answer();
      if (answered === null) throw this.ended ?? new Error('a read asked for in a transaction that ended before it was sent');
      return statement.rowsOf(answered, mode);
    };
  }

  /**
   * Puts `step` among the pending ones. Its answer, when asked for, sends them if they have not gone yet; null when
   * it never went (its savepoint or transaction was undone first).
   */
  private sendAhead(step: Step): () => StepAnswer | null {
    const entry: SentAhead = { step: { ...step }, answer: null };
    this.pending.push(entry.step);
    this.deferred.push(entry);
    return () => {
      if (entry.answer === null && this.deferred.includes(entry)) this.flush();
      return entry.answer;
    };
  }

  /** Sends the writes and reads waiting to go, if any. */
  private flush(): void {
    if (this.deferred.length > 0 && !this.ended) this.sendPending(null);
  }

  /** Sends the pending steps (and `step`): the transaction's opening ones, writes and reads sent ahead, then it. */
  private sendPending(step: Step | null): StepAnswer {
    const steps = step === null ? this.pending : [...this.pending, step];
    const opening = this.begun ? 0 : this.opening;
    const deferred = this.deferred;
    this.pending = [];
    this.deferred = [];
    const continues = this.begun;
    if (this.depth > 0) this.begun = true;
    const answers = this.send(steps, continues, opening);
    for (const entry of deferred) entry.answer = answers[steps.indexOf(entry.step)] ?? NO_ANSWER;
    return answers.at(-1) ?? NO_ANSWER;
  }

  exec(text: string): void {
    this.execute({ text: toPostgres(text) }, false);
  }

  write<T>(work: () => T, options: WriteOptions = {}): T {
    if (this.depth > 0) return this.savepoint(work);
    const waitMs = options.lockWaitMs === undefined ? this.lockTimeoutMs : Math.max(1, Math.round(options.lockWaitMs));
    this.pending = [
      { text: 'BEGIN ISOLATION LEVEL READ COMMITTED' },
      ...(waitMs === this.lockTimeoutMs ? [] : [{ text: `SET LOCAL lock_timeout = ${waitMs}` }]),
      { text: PROJECT_LOCK, name: 'wg_project_lock' },
      ...(this.fence ? [{ text: `SET LOCAL idle_in_transaction_session_timeout = ${FENCED_IDLE_MS}` }, this.fence.check] : []),
    ];
    this.opening = this.pending.length;
    return this.transaction(work, options.pipelined === true);
  }

  read<T>(work: () => T): T {
    if (this.depth > 0) return work();
    // One snapshot for every query of it: a revision read with the rows matches them.
    this.pending = [{ text: 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' }];
    this.opening = 1;
    return this.transaction(work);
  }

  /** A transaction outside the project's lock: a migration, which takes a lock of its own before the project's row exists. */
  withoutProjectLock<T>(work: () => T): T {
    if (this.depth > 0) return this.savepoint(work);
    this.pending = [{ text: 'BEGIN ISOLATION LEVEL READ COMMITTED' }];
    this.opening = 1;
    return this.transaction(work);
  }

  /** PostgreSQL's own SQL, not translated (a migration's look at the catalog); rows as objects. */
  pgQuery<Row>(text: string, values: unknown[] = []): Row[] {
    const answer = this.execute(values.length > 0 ? { text, values } : { text }, false);
    return answer.rows.map((row) => Object.fromEntries(answer.fields.map((field, index) => [field, row[index]])) as Row);
  }

  /** Announces `rev` to every listener of this project when the current transaction commits. */
  announce(rev: number): void {
    if (this.depth > 0) this.announceRev = rev;
  }

  announceQuiet(): void {
    if (this.depth > 0) this.quiet = true;
  }

  announceSettings(): void {
    if (this.depth > 0) this.settings = true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reset();
    this.worker.call({ op: 'close', session: this.session });
  }

  /**
   * Has the database worker run `step` by itself, on a connection of its own, every `everyMs` while this thread has
   * not checked in for longer than `afterSilentMs`, up to `withinSilentMs` (StandingRequest); until `step` touches no
   * row, or this connection closes. Returns the check-in, which this thread calls whenever it is free to do the work
   * itself.
   */
  standing(step: Step, timing: { everyMs: number; afterSilentMs: number; withinSilentMs: number }): () => void {
    const alive = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
    const checkIn = () => {
      alive[0] = performance.timeOrigin + performance.now();
    };
    checkIn();
    this.check(this.worker.call({ op: 'standing', session: this.session, step, ...timing, alive: alive.buffer as SharedArrayBuffer }));
    return checkIn;
  }

  private transaction<T>(work: () => T, pipelined = false): T {
    this.depth = 1;
    const mending = pipelined && this.pipelineBroken;
    this.pipelined = pipelined && !mending;
    this.savepointFailed = false;
    this.begun = false;
    this.lost = false;
    this.ended = null;
    this.announceRev = null;
    this.quiet = false;
    this.settings = false;
    let result: T;
    try {
      result = work();
    } catch (error) {
      const ended = this.ended;
      this.rollback();
      throw ended ?? error;
    }
    const ended = this.ended;
    if (ended) {
      this.rollback();
      throw ended;
    }
    const clean = !this.savepointFailed;
    this.commit();
    if (mending && clean) this.pipelineBroken = false;
    return result;
  }

  private commit(): void {
    const steps = this.pending;
    const begun = this.begun;
    const opening = this.opening;
    const waiting = this.deferred.length > 0;
    const deferred = this.deferred;
    const rev = this.announceRev;
    const kind: CommitKind = this.settings ? 'settings' : this.quiet ? 'quiet' : 'other';
    const pipelined = this.pipelined;
    const payload = rev === null ? '' : kind === 'other' ? String(rev) : `${rev} ${kind}`;
    this.reset();
    // Nothing reached the server, and nothing waits to go with the commit: nothing to commit.
    if (!begun && !waiting) return;
    if (rev !== null)
      steps.push({ text: `SELECT pg_notify($1, $2)`, values: [commitChannel(this.target.schema), payload], name: 'wg_notify' });
    steps.push({ text: 'COMMIT' });
    // A statement that failed inside the transaction (and was caught) left it aborted: PostgreSQL then
    // answers COMMIT by rolling back, where SQLite would have kept the other statements. Never silently.
    let answers: StepAnswer[];
    try {
      answers = this.send(steps, begun, begun ? 0 : opening);
    } catch (error) {
      // Its savepoints' writes went with the commit: what failed may be any of them.
      if (pipelined && error instanceof Error && !(error instanceof WriteEndedError) && !this.lost) throw this.brokenPipeline(error);
      throw error;
    }
    if (answers.at(-1)?.command === 'ROLLBACK') {
      throw new Error('a statement failed inside the transaction, so PostgreSQL undid all of it; nothing was written');
    }
    for (const entry of deferred) entry.answer = answers[steps.indexOf(entry.step)] ?? NO_ANSWER;
  }

  private rollback(): void {
    const begun = this.begun && !this.lost;
    this.reset();
    if (!begun) return;
    try {
      this.send([{ text: 'ROLLBACK' }], true);
    } catch {
      // The connection went: the server ends the transaction itself.
    }
  }

  private reset(): void {
    this.depth = 0;
    this.pending = [];
    this.deferred = [];
    this.opening = 0;
    this.ended = null;
    this.begun = false;
    this.pipelined = false;
    this.savepointFailed = false;
    this.announceRev = null;
    this.quiet = false;
    this.settings = false;
  }

  private savepoint<T>(work: () => T): T {
    // Writes waiting from before it are the enclosing work's: a failure of theirs is not this savepoint's (pipelined,
    // any failure ends the whole transaction, so they may go with it).
    if (!this.pipelined) this.flush();
    const name = `wg_savepoint_${this.depth}`;
    const start: Step = { text: `SAVEPOINT ${name}` };
    this.pending.push(start);
    this.depth++;
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.depth--;
      const at = this.pending.indexOf(start);
      // Nothing of it reached the server (its waiting writes among it): dropped; the enclosing work's before it stay.
      if (at >= 0) {
        const dropped = new Set(this.pending.splice(at));
        this.deferred = this.deferred.filter((entry) => !dropped.has(entry.step));
      } else this.undoSavepoint(name);
      throw error;
    }
    this.depth--;
    const at = this.pending.indexOf(start);
    // Nothing of it has gone or waits to go (only savepoints inside it, as empty): it leaves no trace.
    if (at >= 0 && !this.deferred.some((entry) => this.pending.indexOf(entry.step) > at)) {
      this.pending.splice(at);
      return result;
    }
    this.pending.push({ text: `RELEASE SAVEPOINT ${name}` });
    // Pipelined, its release goes with what follows it.
    if (this.pipelined) return result;
    // Its waiting writes go now, with its release: a failure among them is this savepoint's, and undoes it alone.
    try {
      this.flush();
    } catch (error) {
      this.savepointFailed = true;
      this.undoSavepoint(name);
      throw error;
    }
    return result;
  }

  /** What the savepoint ran is undone; the transaction goes on (a failed statement left it aborted until now). */
  private undoSavepoint(name: string): void {
    this.pending = [];
    this.deferred = [];
    if (this.lost || this.ended) return;
    this.send([{ text: `ROLLBACK TO SAVEPOINT ${name}` }, { text: `RELEASE SAVEPOINT ${name}` }], true);
  }

  /**
   * Sends `steps`, the first `opening` of which open the transaction: a failure among those means it never began,
   * and one that gave way to another writer inside a transaction ends it (no savepoint's undo keeps it going:
   * the write is retried whole, at its next turn), as does any failure inside a pipelined one (its savepoints' ends
   * went with later statements: what failed may belong to work that has already returned).
   */
  private send(steps: Step[], continues: boolean, opening = 0): StepAnswer[] {
    const reply = this.worker.call({ op: 'query', session: this.session, steps, continues });
    runHop('d-sql', () => steps.map((step) => step.text.replace(/\s+/g, '_').slice(0, 60)).join('|'));
    if (reply.ok) return reply.answers;
    if (reply.failure.lost) this.lost = true;
    const fence = this.fence;
    const refused = fence !== null && steps[reply.step] === fence.check && reply.failure.code === '22012';
    const error = refused ? new FencedError(fence.refusal) : pgFailure(reply.failure, this.target.shown);
    if (this.depth > 1) this.savepointFailed = true;
    if (reply.step < opening || (this.depth > 0 && isContention(error))) {
      this.ended =
        error instanceof WriteEndedError
          ? error
          : new WriteEndedError(error instanceof WgError ? error.code : 'unavailable', error.message, isContention(error));
      throw this.ended;
    }
    if (this.depth > 0 && this.pipelined && !this.lost) {
      this.ended = this.brokenPipeline(error);
      throw this.ended;
    }
    throw error;
  }

  /**
   * A failure at the server of a pipelined transaction (not contention, the fence or a lost connection, which end it
   * as they end any other): it ends whole, and those asked for pipelined after it go savepoint by savepoint.
   */
  private brokenPipeline(error: Error): PipelinedWriteError {
    this.pipelineBroken = true;
    return new PipelinedWriteError(error instanceof WgError ? error.code : 'unavailable', error.message);
  }

  private check(reply: WorkerReply): StepAnswer[] {
    if (reply.ok) return reply.answers;
    if (reply.failure.lost) this.lost = true;
    throw pgFailure(reply.failure, this.target.shown);
  }
}

class PgStatement<Row> implements SqlStatement<Row> {
  private mode: Mode = 'object';

  constructor(
    private readonly connection: PgConnection,
    private readonly step: Step,
    private readonly writes: boolean,
  ) {}

  get(...params: unknown[]): Row | undefined {
    const answer = this.query(params);
    return answer.rows.length === 0 ? undefined : this.shape(answer, answer.rows[0] as unknown[], this.mode);
  }

  all(...params: unknown[]): Row[] {
    return this.rowsOf(this.query(params));
  }

  run(...params: unknown[]): { changes: number } {
    if (!this.writes) return { changes: this.query(params).rowCount };
    return this.connection.runWrite(this.stepWith(params));
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
  stepWith(params: unknown[]): Step {
    const values = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
    return values.length > 0 ? { ...this.step, values } : this.step;
  }

  /** An answer's rows, shaped as the statement's mode is now (a read sent ahead keeps the mode it was asked in). */
  rowsOf(answer: StepAnswer, mode: Mode = this.mode): Row[] {
    return answer.rows.map((row) => this.shape(answer, row, mode));
  }

  modeNow(): Mode {
    return this.mode;
  }

  private query(params: unknown[]): StepAnswer {
    return this.connection.execute(this.stepWith(params), this.writes);
  }

  private shape(answer: StepAnswer, row: unknown[], mode: Mode): Row {
    if (mode === 'pluck') return row[0] as Row;
    const skip = answer.fields.indexOf(ROWID_COLUMN);
    if (mode === 'raw') return (skip < 0 ? row : row.filter((_, index) => index !== skip)) as Row;
    const object: Record<string, unknown> = {};
    for (let index = 0; index < answer.fields.length; index++) if (index !== skip) object[answer.fields[index] as string] = row[index];
    return object as Row;
  }
}
