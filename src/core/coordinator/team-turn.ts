import type { Config } from '../config/config-view';
import { decide, launchesShort } from '../deciding/scheduler';
import type { Action, FoundRun, SchedulerState } from '../deciding/scheduler-types';
import type { EngineLog } from '../engine-log';
import { ownedElsewhere, takeOverLostRuns } from '../leases/lost-runs';
import { agentViewById, type LaunchRecords } from '../runs/run-views';
import type { Store } from '../store/store';
import type { WakeTimers } from './wake-timers';

/** How often a turn looks for runs of lost coordinators to take over, besides when a sweep found some. */
const LOST_LOOK_EVERY_MS = 5_000;

/** What the scheduler reads for a tick: the state, and how many ready rows it read of how many it asked for. */
export interface TickState {
  state: SchedulerState;
  readyRows: number;
  readyLimit: number;
}

export interface TeamTurnParts {
  /** This coordinator's id: the runs naming it are its own. */
  me: string;
  store: Store;
  log: EngineLog;
  config: () => Config;
  records: LaunchRecords;
  timers: WakeTimers;
  /** The state a tick reads (its claims held while paused or the lease unsure). */
  tickState: () => TickState;
  /** The state with no ready tasks read: for judging runs found. */
  runsState: () => SchedulerState;
  performAll: (actions: Action[]) => void;
  /** Runs `then` once the turn commits (at once outside a turn); a turn rolled back drops it. */
  onCommit: (then: () => void) => void;
  /** Runs of lost coordinators this one took over (agent daemons' jobs among them are now its to watch). */
  onTakenOver?: (agentIds: string[]) => void;
}

/**
 * What a coordinator's turn does only on a team's graph, where several coordinators dispatch one project: the
 * read-only look that lets a coordinator with nothing to do leave the write turn to the others, the runs that
 * are its own among those found, and taking over the runs of coordinators declared lost.
 */
export class TeamTurn {
  /** When a turn last looked for lost coordinators' runs; 0: look at the next one. */
  private lostLookedAt = 0;

  constructor(private readonly o: TeamTurnParts) {}

  /**
   * Every commit wakes every coordinator: the turn's look, in a read-only snapshot outside the project's write
   * lock. True when it would change nothing (no run of its own to judge, nothing it may launch): the turn is
   * skipped, its deadlines armed. Any doubt (a waiting task, lost runs to look for, a failure) takes the whole turn.
   */
  nothingToDo(): boolean {
    if (Date.now() - this.lostLookedAt >= LOST_LOOK_EVERY_MS) return false;
    const core = this.o.store.core;
    try {
      return core.read(() => {
        if (core.sql("SELECT 1 FROM tasks WHERE status = 'waiting' LIMIT 1").get() !== undefined) return false;
        const { state, readyRows, readyLimit } = this.o.tickState();
        const decision = decide(state, { type: 'tick' });
        if (decision.actions.length > 0) return false;
        if (readyRows === readyLimit && readyLimit > 0 && launchesShort(decision.actions, state)) return false;
        this.o.timers.setSafetyInterval(this.o.config().settings.coordinator.poll_interval);
        this.o.timers.setDeadline(decision.wake_at_ms);
        this.o.timers.setScheduled(this.o.store, core.clock());
        return true;
      });
    } catch {
      return false;
    }
  }

  /** At the start: only the runs found that name this coordinator are its own to adopt or judge. */
  mineOnly(found: FoundRun[]): FoundRun[] {
    const { me } = this.o;
    const core = this.o.store.core;
    // Runs from before runs named their coordinator, and a lost one's, become this one's first. A lost one's
    // agent-daemon jobs keep their own leases (their daemons' time to come back), not a fresh stall timeout.
    const { fromOthers } = core.write(() => takeOverLostRuns(core, me));
    if (fromOthers.length > 0) this.o.onTakenOver?.(fromOthers);
    this.lostLookedAt = Date.now();
    const elsewhere = ownedElsewhere(
      core,
      me,
      found.map((f) => f.agent.id),
    );
    return found.filter((f) => !elsewhere.has(f.agent.id));
  }

  /**
   * Inside a turn: the runs of coordinators declared lost become this one's, judged by the usual rules (as runs
   * found at a start: adopted if their process is on this machine, else dead and retried).
   */
  takeOverLost(paused: boolean): void {
    if (paused || Date.now() - this.lostLookedAt < LOST_LOOK_EVERY_MS) return;
    this.lostLookedAt = Date.now();
    const taken = takeOverLostRuns(this.o.store.core, this.o.me).ids;
    if (taken.length === 0) return;
    this.o.onCommit(() => this.o.log.warn(`took over ${taken.length} run(s) of a lost coordinator: ${taken.join(', ')}`));
    const { settings } = this.o.config();
    const found: FoundRun[] = [];
    for (const id of taken) {
      this.o.records.forget(id);
      const agent = agentViewById(this.o.store, id, this.o.records, settings);
      if (agent) found.push({ agent });
    }
    this.o.performAll(decide(this.o.runsState(), { type: 'started', found }).actions);
    // Theirs only once the turn has committed: a turn rolled back took nothing over.
    this.o.onCommit(() => this.o.onTakenOver?.(taken));
  }

  /** A sweep declared coordinators lost: the next turn looks for their runs. */
  lookForLost(): void {
    this.lostLookedAt = 0;
  }

  /** Of the runs this coordinator watches, those another coordinator owns now (it took them over). */
  ownedElsewhere(ids: readonly string[]): Set<string> {
    return ownedElsewhere(this.o.store.core, this.o.me, ids);
  }
}
