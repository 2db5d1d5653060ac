import type { Config } from '../config/config-view';
import { decide, launchesShort } from '../deciding/scheduler';
import type { Action, FoundRun, SchedulerState } from '../deciding/scheduler-types';
import type { EngineLog } from '../engine-log';
import { ownedElsewhere, takeOverLostRuns } from '../leases/lost-runs';
import { agentViewById, type LaunchRecords } from '../runs/run-views';
import type { ClaimPlan } from './claim-plan';
import { MIGRATIONS } from '../store/migrations';
import type { Store } from '../store/store';
import { inFlight } from '../store/in-flight';
import { nextScheduledAt } from '../store/task-reads';
import { runHop } from '../timing/run-hops';
import type { TickState } from './engine-state';
import type { ReadyToTell } from './waiting-notice';
import type { WakeTimers } from './wake-timers';

/** How often a turn looks for runs of lost coordinators to take over, besides when a sweep found some. */
const LOST_LOOK_EVERY_MS = 5_000;

export interface TeamTurnParts {
  /** This coordinator's id: the runs naming it are its own. */
  me: string;
  store: Store;
  log: EngineLog;
  config: () => Config;
  records: LaunchRecords;
  timers: WakeTimers;
  /** The state a tick reads (its claims held while paused or the lease unsure). */
  tickState: () => Promise<TickState>;
  /** Ready tasks nothing starts by themselves (one statement, sent before the first await). */
  readyToTell: () => Promise<ReadyToTell[]>;
  /** Of those, the ones a person is still to be told of. */
  untold: (rows: readonly ReadyToTell[]) => Promise<string[]>;
  /** The state with no ready tasks read: for judging runs found. */
  runsState: () => Promise<SchedulerState>;
  performAll: (actions: Action[]) => Promise<void>;
  /** Runs `then` once the turn commits (at once outside a turn); a turn rolled back drops it. */
  onCommit: (then: () => void) => void;
  /** Runs of lost coordinators this one took over (agent daemons' jobs among them are now its to watch). */
  onTakenOver?: (agentIds: string[]) => void;
}

/**
 * What a coordinator's turn does only on a team's graph, where several coordinators dispatch one project: the
 * read-only look and decision made before the write turn (a coordinator with nothing to do leaves the write turn to
 * the others; one with tasks to claim holds it only to claim them, on top of what it read), the runs that
 * are its own among those found, and taking over the runs of coordinators declared lost.
 */
export class TeamTurn {
  /** When a turn last looked for lost coordinators' runs; 0: look at the next one. */
  private lostLookedAt = 0;

  constructor(private readonly o: TeamTurnParts) {}

  /**
   * The turn's look and decision, in a read-only snapshot outside the project's write lock: what it would claim
   * (none: nothing to do, and the turn is skipped, its deadlines armed) when launching is all the decision does. The
   * claims commit only on top of this snapshot, so the team's cap and the tasks' readiness hold as read.
   * Null when the turn must be taken whole under the lock: anything else to do (a run of its own to judge, a
   * waiting task, a ready task to tell a person of, lost runs to look for), or any failure.
   */
  async plan(): Promise<ClaimPlan | null> {
    if (Date.now() - this.lostLookedAt >= LOST_LOOK_EVERY_MS) return null;
    const core = this.o.store.core;
    try {
      return await core.read(async () => {
        // Sent together with the tick's reads: one round trip on PostgreSQL. When the next scheduled task is due is for
        // the wake a plan arms.
        const waiting = inFlight(core.get(core.build.selectFrom('tasks').select('id').where('status', '=', 'waiting').limit(1)));
        const toTell = inFlight(this.o.readyToTell());
        // What the plan stands on: its claims commit on top of this snapshot or not at all (takePlannedRevision).
        const basis = inFlight(core.planBasis());
        const nextScheduled = inFlight(nextScheduledAt(core, core.clock()));
        const { state, readyRows, readyLimit, rows, whole } = await this.o.tickState();
        runHop('d-read');
        if ((await waiting) !== undefined || (await this.o.untold(await toTell)).length > 0) return null;
        // A newer wg migrated the store: the whole turn says so (refuseNewerSchema).
        const planned = await basis;
        if (planned.version !== MIGRATIONS.length) return null;
        const decision = decide(state, { type: 'tick' });
        runHop('d-decide');
        if (decision.actions.some((action) => action.type !== 'launch')) return null;
        if (readyRows === readyLimit && readyLimit > 0 && launchesShort(decision.actions, state)) return null;
        this.o.timers.setSafetyInterval(this.o.config().settings.coordinator.poll_interval);
        this.o.timers.setDeadline(decision.wake_at_ms);
        this.o.timers.setScheduledAt(await nextScheduled);
        const byId = new Map(rows.map((row) => [row.id, row]));
        const launches = decision.actions.flatMap((action) => {
          const row = action.type === 'launch' ? byId.get(action.task_id) : undefined;
          return row ? [row] : [];
        });
        return { basis: planned, launches, known: whole };
      });
    } catch {
      return null;
    }
  }

  /** At the start: only the runs found that name this coordinator are its own to adopt or judge. */
  async mineOnly(found: FoundRun[]): Promise<FoundRun[]> {
    const { me } = this.o;
    const core = this.o.store.core;
    // Runs from before runs named their coordinator, and a lost one's, become this one's first. A lost one's
    // agent-daemon jobs keep their own leases (their daemons' time to come back), not a fresh stall timeout.
    const { fromOthers } = await core.write(() => takeOverLostRuns(core, me));
    if (fromOthers.length > 0) this.o.onTakenOver?.(fromOthers);
    this.lostLookedAt = Date.now();
    const elsewhere = await ownedElsewhere(
      core,
      me,
      found.map((f) => f.agent.id),
    );
    return found.filter((f) => !elsewhere.has(f.agent.id));
  }

  /**
   * Inside a turn: the runs of coordinators declared lost become this one's, judged by the usual rules (as runs
   * found at a start: adopted if their process is on this machine, else dead and retried). Whether it took any.
   */
  async takeOverLost(paused: boolean): Promise<boolean> {
    if (paused || Date.now() - this.lostLookedAt < LOST_LOOK_EVERY_MS) return false;
    this.lostLookedAt = Date.now();
    const taken = (await takeOverLostRuns(this.o.store.core, this.o.me)).ids;
    if (taken.length === 0) return false;
    this.o.onCommit(() => this.o.log.warn(`took over ${taken.length} run(s) of a lost coordinator: ${taken.join(', ')}`));
    const { settings } = this.o.config();
    const found: FoundRun[] = [];
    for (const id of taken) {
      this.o.records.forget(id);
      const agent = await agentViewById(this.o.store, id, this.o.records, settings);
      if (agent) found.push({ agent });
    }
    await this.o.performAll(decide(await this.o.runsState(), { type: 'started', found }).actions);
    // Theirs only once the turn has committed: a turn rolled back took nothing over.
    this.o.onCommit(() => this.o.onTakenOver?.(taken));
    return true;
  }

  /** A sweep declared coordinators lost: the next turn looks for their runs. */
  lookForLost(): void {
    this.lostLookedAt = 0;
  }

  /** Of the runs this coordinator watches, those another coordinator owns now (it took them over). */
  async ownedElsewhere(ids: readonly string[]): Promise<Set<string>> {
    return ownedElsewhere(this.o.store.core, this.o.me, ids);
  }
}
