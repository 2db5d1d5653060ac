import { errorText } from '../../shared/errors';
import { plainFailure } from '../../shared/plain-failure';
import type { EngineLog } from '../engine-log';
import type { ProjectPaths } from '../project';
import type { Claimed } from '../runs/claiming/claim';
import { ContextSlot } from '../store/context-slot';
import { damagedDatabase, isDamageError } from '../store/db-file';
import { inFlight } from '../store/in-flight';
import { NewerSchemaError } from '../store/newer-schema';
import { FencedError } from '../store/postgres/pg-fence';
import { isContention, PipelinedWriteError, StalePlanError, type WriteOptions } from '../store/sql-connection';
import type { Store } from '../store/store';
import { runHop } from '../timing/run-hops';
import { TurnFailures } from './turn-failures';
import type { WakeTimers } from './wake-timers';
import type { WorktreeSweeper } from './worktree-sweeper';

/**
 * The coordinator's turn under way, as the async context of its work sees it: what it claimed (started once it
 * commits), what it does once it commits, and whether it settled a run. Work of the turn (a settle, a claim) reaches it
 * through the context; anything else meanwhile (a judge's late settle, `wg spawn`) makes a transaction of its own.
 */
export interface TurnUnderWay {
  claimed: Claimed[];
  /**
   * What a turn does once it commits: its log lines (a turn retried while the disk is full says them once, not at every
   * try) and what it read for later (the next scheduled task's time).
   */
  afterCommit: Array<() => void>;
  /** It settled a run (or saw one end): the worktree sweep is asked for once it commits. */
  sweepAsked: boolean;
  /**
   * Until the turn ends. A timer, watcher or process event set up during the turn carries its async context on, and
   * fires later as if inside it: an ended turn is no turn.
   */
  open: boolean;
}

export interface TurnTransactionParts {
  store: Store;
  paths: ProjectPaths;
  log: EngineLog;
  timers: WakeTimers;
  sweeper: WorktreeSweeper;
  /** A write was refused by the lease's fence (EngineOptions.onFenced). */
  onFenced?: () => void;
  /** A newer wg migrated the store (EngineOptions.onNewerSchema). */
  onNewerSchema?: () => void;
  /** A database that cannot be reached, said elsewhere (EngineOptions.storeUnreachable). */
  storeUnreachable?: (error: unknown) => boolean;
}

/**
 * The commit of a turn: its work as one transaction, what it claimed handed back once committed, what it does once it
 * commits, and what a turn that did not commit says (once) and means (no more turns, a fenced or outdated coordinator).
 */
export class TurnTransactions {
  /**
   * The engine's own commits need no second look (a turn ends with a tick): their notice, heard in the context that
   * committed, is passed over; anyone else's commit meanwhile wakes it.
   */
  private readonly quiet = new ContextSlot<{ open: boolean }>();
  /** The turn under way, for its own work (TurnUnderWay). */
  private readonly turn = new ContextSlot<TurnUnderWay>();
  private readonly failures = new TurnFailures();
  /**
   * The last write undone is taken again at once: it was pipelined (then savepoint by savepoint: WriteOptions.pipelined),
   * or planned on a snapshot the project moved on from (then whole: planWentStale).
   */
  againAtOnce = false;
  /**
   * A turn planned on a snapshot the project moved on from was undone, and no turn has committed since: the next is
   * taken whole, under the project's lock, so that claims are made however often others commit (a plan taken again
   * could go stale again). Turn.take clears it once one commits.
   */
  planWentStale = false;
  /** No more turns: graph.db has a broken page (each would meet it again, or write on into the file), or a newer wg migrated it. */
  ended = false;

  constructor(private readonly o: TurnTransactionParts) {}

  /** A commit heard now is the engine's own (made quietly): it needs no look. */
  get heardQuietly(): boolean {
    return this.quiet.get()?.open ?? false;
  }

  /** The turn under way in the caller's async context, if it has not ended (TurnUnderWay.open). */
  now(): TurnUnderWay | undefined {
    const turn = this.turn.get();
    return turn?.open ? turn : undefined;
  }

  async quietly<T>(work: () => Promise<T>): Promise<T> {
    const frame = { open: true };
    try {
      return await this.quiet.run(frame, work);
    } finally {
      frame.open = false;
    }
  }

  /** Done once the turn under way commits (at once outside one); dropped if it does not. */
  onCommit(line: () => void): void {
    const turn = this.now();
    if (turn) turn.afterCommit.push(line);
    else line();
  }

  /** The turn under way settled a run (or saw one end): the worktree sweep is asked for once it commits. */
  askSweep(): void {
    const turn = this.now();
    if (turn) turn.sweepAsked = true;
    else this.o.sweeper.request();
  }

  /** What a turn that committed after failures says: that they are over (TurnFailures). */
  committed(): string | null {
    return this.failures.committed();
  }

  /** A broken page in graph.db: said once, with what to do; the coordinator takes no more turns. */
  stopTurns(): void {
    this.stopTurnsFor(
      `${damagedDatabase(this.o.paths.db).message}; the coordinator takes no more turns: stop it (wg service stop), recover, start it again`,
    );
  }

  /** Said once: the coordinator takes no more turns (its runs go on, and are judged by the next one). */
  stopTurnsFor(line: string): void {
    if (this.ended) return;
    this.ended = true;
    this.o.timers.clear();
    this.o.log.error(line);
  }

  /**
   * Runs `work` as one transaction (or inside the current one: then its claims are the outer one's to start). Returns
   * what it claimed once committed, null if it did not commit.
   */
  async run(work: () => Promise<unknown>, options: WriteOptions = {}): Promise<Claimed[] | null> {
    if (this.now()) {
      await work();
      return [];
    }
    const turn: TurnUnderWay = { claimed: [], afterCommit: [], sweepAsked: false, open: true };
    const { claimed, afterCommit: lines } = turn;
    try {
      await this.turn.run(turn, () =>
        this.quietly(() =>
          this.o.store.core.batch(async () => {
            await work();
            // Runs that ended may leave work to keep (recover/) and worktrees to remove: the sweep's first question
            // travels with the commit.
            if (turn.sweepAsked) {
              const anyLeft = inFlight(this.o.sweeper.anyLeft());
              lines.push(() => this.o.sweeper.requestAfter(anyLeft));
            }
          }, options),
        ),
      );
    } catch (error) {
      turn.open = false;
      this.rolledBack(error);
      return null;
    }
    turn.open = false;
    for (const line of lines) line();
    runHop('d-commit', () => claimed.map((c) => `${c.agent.id}=${c.task.id}`).join(','));
    return claimed;
  }

  /** Rolled back, claims included: nothing may start. */
  private rolledBack(error: unknown): void {
    if (error instanceof StalePlanError) this.planWentStale = true;
    this.againAtOnce = error instanceof PipelinedWriteError || error instanceof StalePlanError;
    // Nothing to say yet: taken again savepoint by savepoint, it meets the failure where it is and says so there; or,
    // taken whole, it decides on what is there now (another commit came first: the ordinary taking of turns).
    if (this.againAtOnce) return;
    if (error instanceof FencedError) {
      this.o.onFenced?.();
      return;
    }
    if (error instanceof NewerSchemaError) {
      this.stopTurnsFor(`${error.message}; the coordinator stops: start it again with the newer wg (wg service restart)`);
      this.o.onNewerSchema?.();
      return;
    }
    if (isDamageError(error)) this.stopTurns();
    // Said once by the outage, and the turn taken again (as any that did not commit) once the database answers.
    if (this.o.storeUnreachable?.(error)) return;
    const note = this.failures.failed(plainFailure(error) ?? errorText(error), isContention(error));
    if (note && !this.ended) this.o.log[note.level](note.line);
  }
}
