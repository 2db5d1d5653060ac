import { errorText } from '../../shared/errors';
import type { AfterTurnRead, AgencyRuns } from '../agency/agency-runs';
import type { Config, ConfigView } from '../config/config-view';
import { decide, isSettling, launchesShort, leavesWork } from '../deciding/scheduler';
import type { EngineLog } from '../engine-log';
import { noteWaiting } from '../runs/claiming/waiting-note';
import type { AgentJudge } from '../runs/judging/agent-judge';
import { recordPids } from '../runs/settling/settle';
import { isDamageError } from '../store/db-file';
import { inFlight } from '../store/in-flight';
import { refuseNewerSchema } from '../store/newer-schema';
import { WriteEndedError } from '../store/sql-connection';
import type { Store } from '../store/store';
import { nextScheduledAt } from '../store/task-reads';
import { runHop } from '../timing/run-hops';
import type { WaitWatch } from '../waiting/wait-watch';
import type { ClaimPlan } from './claim-plan';
import type { ExitReadsAhead } from './exit-reads-ahead';
import { TurnGate } from '../runs/judging/turn-gate';
import type { StartHolds } from './start-holds';
import type { TeamTurn } from './team-turn';
import type { TurnActions } from './turn-actions';
import type { TurnInbox } from './turn-inbox';
import type { TurnReads } from './turn-reads';
import type { TurnTransactions } from './turn-transaction';
import type { WaitingNotices } from './waiting-notice';
import type { WakeTimers } from './wake-timers';

/**
 * How long a turn waits for another process's write lock: a turn that cannot commit is simply taken again a moment
 * later, with what has happened since.
 */
const TURN_LOCK_WAIT_MS = 250;

export interface TurnParts {
  store: Store;
  log: EngineLog;
  config: ConfigView;
  inbox: TurnInbox;
  transactions: TurnTransactions;
  reads: TurnReads;
  actions: TurnActions;
  judge: AgentJudge;
  agency: AgencyRuns;
  /** A team's graph: what only its turns do (null on a graph of one coordinator). */
  team: TeamTurn | null;
  /** A team's graph: its runs as each turn leaves them, for the turn that judges their ends (null on one coordinator's). */
  ahead: ExitReadsAhead | null;
  timers: WakeTimers;
  waiting: WaitingNotices;
  holds: StartHolds;
  /** Tasks parked by `wg wait`: released in a turn once their condition holds. */
  parked: WaitWatch;
  paused: () => boolean;
  wake: () => void;
}

/**
 * One turn of the coordinator: it reads, asks the pure `decide`, performs the answer and commits, as ONE transaction
 * (engine.ts drives it: when a turn is taken, and when none is).
 */
export class Turn {
  /** The tick settled runs itself (a timeout, a retry): what became ready needs another look. */
  private lookAgain = false;
  /** The settings the holds were found under. */
  private heldUnder: Config | null = null;

  constructor(private readonly o: TurnParts) {}

  /** The turn's claim of a task took no slot (Launches): the next turn passes the task over and claims another. */
  askAgain(): void {
    this.lookAgain = true;
  }

  /**
   * One turn of the coordinator, as ONE transaction: record the pids of runs just started, judge the
   * runs that ended, then look at the whole graph (tick) and claim what is ready. The claimed runs
   * start after the commit, so a task is always claimed on disk before its process exists.
   */
  async take(): Promise<void> {
    const { o } = this;
    // The files (and a team's settings in the store) looked at again if a while has passed: the turn reads them as they
    // are (ConfigView.now), not while it holds the project's write turn.
    await o.config.current();
    const work = o.inbox.take();
    runHop('d-turn', () => work.exits.map((exit) => exit.agentId).join(','));
    // A team's graph: the turn looks and decides before it takes the project's write turn, which it then holds only
    // to claim on top of what it read; a coordinator with nothing to do leaves the write turn to the others.
    // After a plan that went stale, whole: others committing often would leave every plan stale.
    const plan = work.exits.length === 0 && !o.transactions.planWentStale ? ((await o.team?.plan()) ?? null) : null;
    // Runs' ends judged on what the last turn read of them as it committed, when nothing was committed since (the
    // database checks): the settles and the tick's reads go with the turn's opening. After a stale one, whole.
    const ahead = work.exits.length > 0 && !o.transactions.planWentStale ? (o.ahead?.take(work.exits) ?? null) : null;
    if (plan && plan.launches.length === 0 && work.pids.length === 0) {
      if (!o.paused()) await o.agency.afterTurn();
      return;
    }
    const busyBefore = o.judge.busy.size > 0 ? new Set(o.judge.busy) : null;
    // Wakes asked for during the pump are answered by its tick.
    let committed = false;
    // Set inside the turn's closure (a `let` there would read as never set here).
    const after: { read: Promise<AfterTurnRead> | null; ahead: ReturnType<ExitReadsAhead['read']> | null } = { read: null, ahead: null };
    const turnWork = async () => {
      const claims = plan && plan.launches.length > 0 ? plan : null;
      // A planned turn with claims commits on top of the snapshot it decided on, or not at all (a project that moved on
      // fails it: StalePlanError, and it is taken again at once, whole). What the snapshot stood on is the turn's own
      // (its revision, counters and schema), so on PostgreSQL its claims go with its opening: one round trip.
      const basis = claims?.basis ?? ahead?.basis;
      if (basis) await o.store.core.takePlannedRevision(basis);
      // Sent with the turn's opening (no round trip of its own on PostgreSQL): the schema's version (checked with the
      // basis when there is one), and the ended runs' reads (before the pids' write, which changes nothing they read; a
      // planned turn has none: it is taken only without ended runs), unless read ahead.
      const newerSchema = basis ? null : inFlight(refuseNewerSchema(o.store.core));
      const exitReads = inFlight(o.judge.readExits(work.exits, ahead?.rows));
      // A planned turn with nothing to claim (its pids only) looks whether what it decided on moved.
      const revNow = plan && !claims ? inFlight(o.store.core.currentRev()) : null;
      // A turn with runs to settle or pids to record writes: its revision goes with the opening (a newer schema found
      // there undoes it with the turn), after the read of the revision the plan is compared with (sent first, it reads
      // the revision before this one's).
      if (!basis && (work.exits.length > 0 || work.pids.length > 0)) o.store.core.takeRevision();
      // Before anything of the turn writes: a newer wg that migrated the store meanwhile decides from now on.
      await newerSchema;
      if (claims) await this.claimPlanned(claims);
      else if (plan && revNow) {
        // What the plan rested on moved: the next turn decides on fresh reads.
        if ((await revNow) !== plan.basis.rev) this.lookAgain = true;
        o.store.core.announceQuiet();
      }
      if (work.pids.length > 0) await recordPids(o.store, work.pids);
      if (!plan) {
        await o.judge.exitedAll(work.exits, await exitReads);
        await this.tick();
        // The runs settled on the turn's own read ended as it said (their counts came back with the tick's reads).
        await o.judge.checkTrusted();
      }
      // A run judged apart (a merge, a signal death's grace) settles later: its worktree may be left meanwhile.
      if (work.exits.length > 0) o.transactions.askSweep();
      // The agency's look at what the turn leaves (tasks pending evaluation, upstream's ready system tasks) travels
      // with the commit: no round trip of its own between the commit and the start of the runs it claimed.
      if (!o.paused()) after.read = inFlight(o.agency.readAfterTurn());
      // Last, after every write of the turn: its runs as it leaves them, for the turn that judges their ends.
      if (o.ahead) after.ahead = inFlight(o.ahead.read(o.transactions.now()?.claimed.map((claim) => claim.agent.id) ?? []));
    };
    // What the turn starts judging apart waits for its commit (TurnGate).
    const gate = new TurnGate();
    try {
      // Each run settled and each claim a round trip fewer on PostgreSQL (WriteOptions.pipelined).
      committed = await o.judge.inTurn(gate, () => o.actions.transact(turnWork, { lockWaitMs: TURN_LOCK_WAIT_MS, pipelined: true }));
    } finally {
      // An undone turn's judging apart has let its runs go before the turn gives them back.
      await gate.close(committed);
    }
    if (committed) o.transactions.planWentStale = false;
    // Kept once committed, until anything else commits (ExitReadsAhead); a read that failed leaves none.
    if (committed) o.ahead?.keep(await (after.ahead ?? Promise.resolve(null)).catch(() => null));
    const recovered = committed ? o.transactions.committed() : null;
    if (recovered) o.log.info(recovered);
    if (committed) runHop('d-settled', () => work.exits.map((exit) => exit.agentId).join(','));
    if (committed && after.read) await o.agency.afterTurn(await after.read);
    // Nothing of it happened (the database was locked too long, say): the same again shortly, without
    // the runs whose judging went on by itself in it (not judged twice).
    if (!committed) {
      // What it looked for of lost coordinators' runs was rolled back too: the next turn looks again (a planned turn
      // took no look).
      if (!plan) o.team?.lookForLost();
      const apart = [...o.judge.busy].filter((id) => !busyBefore?.has(id));
      o.inbox.giveBack(work, { apart, atOnce: o.transactions.againAtOnce });
      return;
    }
    // A run adopted in the turn (a lost coordinator's) may have been found over at once: its end asked for a wake
    // while the turn was under way, which only a new one answers.
    if (this.lookAgain || o.inbox.hasExits()) {
      this.lookAgain = false;
      o.wake();
    }
  }

  private async tick(): Promise<void> {
    try {
      const config = this.o.config.now();
      // Changed settings (worktrees off, an executor's command set) may start what waited: its claims find out again.
      if (config !== this.heldUnder) this.o.holds.clear();
      this.heldUnder = config;
      this.o.timers.setSafetyInterval(config.settings.coordinator.poll_interval);
      // Asked for first, so they travel with the parked tasks' read (one round trip fewer on PostgreSQL): the runs, the
      // ready tasks, and the ready ones nothing starts by itself (manual, upstream's system tasks), which say how to
      // start them. The tick's own claims never start those; a run it settles itself makes it look again (lookAgain).
      // The ready tasks are read whole with them, for the claims the tick makes in the same write turn (a team's planned
      // turn reads its state in a snapshot before it, TeamTurn.plan, and claims on a read of its own).
      const read = inFlight(this.o.reads.tickState(true));
      let toTell = inFlight(this.o.waiting.readyToTell(this.o.store, config, this.o.store.core.clock()));
      // Parked tasks whose condition holds are open again before the ready ones are read (upstream's step 2.7):
      // when some were, or lost runs were taken over, what was read first is read again.
      const reopened = (await this.o.parked.look(this.o.store.core)).length > 0;
      const tookOver = (await this.o.team?.takeOverLost(this.o.paused())) ?? false;
      if (reopened || tookOver) toTell = inFlight(this.o.waiting.readyToTell(this.o.store, config, this.o.store.core.clock()));
      let { state, readyRows, readyLimit, whole: readWhole } = reopened || tookOver ? await this.o.reads.tickState(true) : await read;
      runHop('d-read');
      let decision = decide(state, { type: 'tick' });
      runHop('d-decide');
      // Tasks that turned out manual or unlaunchable hid launchable ones: look further, each look wider than the last
      // (a look that cannot read more would look again for good, inside the write turn), until the ready ones run out.
      for (let widen = 4; readyRows === readyLimit && readyLimit > 0 && launchesShort(decision.actions, state); widen *= 4) {
        const before = readyLimit;
        const wider = readyLimit * 4;
        ({ state, readyRows, readyLimit, whole: readWhole } = await this.o.reads.stateNow(() => wider, widen));
        decision = decide(state, { type: 'tick' });
        if (readyLimit <= before) break;
      }
      // Settled runs can make other tasks ready (or this one again).
      this.lookAgain = decision.actions.some(isSettling);
      // Before the launches, which arm their own (earlier) deadlines on top.
      this.o.timers.setDeadline(decision.wake_at_ms);
      const claimedBefore = this.o.transactions.now()?.claimed.length ?? 0;
      // Agents being judged asynchronously (a signal death's grace, triage) are left alone meanwhile.
      // Claims that come first stand on the ready tasks as read (no write between): their tasks are not read again.
      const known = decision.actions.every((a) => a.type === 'launch') ? readWhole : null;
      await this.o.actions.performAll(
        decision.actions.filter((a) => !('agent_id' in a) || a.agent_id === null || !this.o.judge.busy.has(a.agent_id)),
        undefined,
        known,
      );
      await this.o.waiting.tell(this.o.store, await toTell);
      for (const task of state.ready) {
        const waits = task.held ? this.o.holds.toTell(task.id, task.held) : null;
        if (waits) await noteWaiting(this.o.store, task.id, waits);
      }
      // When the next scheduled task is due, read after the tick's own writes and wanted only once the turn commits:
      // the read travels with the commit (no round trip of its own on PostgreSQL).
      const nextScheduled = inFlight(nextScheduledAt(this.o.store.core, this.o.store.core.clock()));
      this.o.transactions.onCommit(() => {
        nextScheduled.then(
          (at) => this.o.timers.setScheduledAt(at),
          (error: unknown) => this.o.log.error(`tick failed: ${errorText(error)}`),
        );
      });
      // A team's graph: a turn that leaves no task another coordinator could start says so, and they take no look
      // for it. Read under the project's write lock, so nothing came between the read and the commit.
      const launched = (this.o.transactions.now()?.claimed.length ?? 0) - claimedBefore;
      if (this.o.team && !leavesWork(state, decision.actions, readyRows < readyLimit, launched)) this.o.store.core.announceQuiet();
    } catch (error) {
      if (isDamageError(error) || error instanceof WriteEndedError) throw error;
      this.o.log.error(`tick failed: ${errorText(error)}`);
    }
  }

  /**
   * A team's turn decided outside the write turn, claiming on top of its snapshot (the tasks as it read them whole are
   * as they are). Its commit, claims and pids only, gives the other coordinators nothing to act on, and is announced so.
   */
  private async claimPlanned(plan: ClaimPlan): Promise<void> {
    const claimed = this.o.transactions.now()?.claimed;
    if (!claimed) throw new Error('a planned claim outside a turn');
    const before = claimed.length;
    await this.o.actions.launchAll(
      plan.launches.map((task) => task.id),
      plan.known ?? null,
    );
    if (claimed.length - before === plan.launches.length) this.o.store.core.announceQuiet();
  }
}
