import type { AgencyRuns } from '../agency/agency-runs';
import type { ConfigView } from '../config/config-view';
import type { LocalRuns } from '../runs/local-runs';
import type { LaunchRecords } from '../runs/run-views';
import { inFlight } from '../store/in-flight';
import type { Store } from '../store/store';
import { readSchedulerState, type TickState } from './engine-state';
import type { StartHolds } from './start-holds';

/** Ready rows read beyond the free slots (a tick reads more when these were not enough). */
const READY_MARGIN = 2;

export interface TurnReadParts {
  store: Store;
  config: ConfigView;
  records: LaunchRecords;
  runs: LocalRuns;
  agency: AgencyRuns;
  holds: StartHolds;
  /** A team's graph: this coordinator's id (EngineOptions.coordinatorId). */
  me: string | null;
  paused: () => boolean;
  /** Whether its lease is sure to hold for a while yet (EngineOptions.mayClaim). */
  mayClaim: () => boolean;
  teamCapacities: () => (number | null)[];
}

/** What a turn reads before it decides: the scheduler's state, with the ready tasks its free slots may claim. */
export class TurnReads {
  /** A turn claimed nothing because its lease was not sure to hold: the renewal takes another. */
  heldForLease = false;

  constructor(private readonly o: TurnReadParts) {}

  /**
   * What a tick reads: the free slots' worth of ready tasks and a little more (a run that expires this tick frees
   * one; a row may be unlaunchable). Its lease could lapse before a claim commits: it claims nothing until renewed
   * (its runs are judged still).
   */
  async tickState(whole = false): Promise<TickState> {
    const paused = this.o.paused();
    const heldForLease = !paused && !this.o.mayClaim();
    if (heldForLease) this.heldForLease = true;
    const holdClaims = paused || heldForLease;
    const maxAgents = Math.max(0, this.o.config.now().settings.coordinator.max_agents);
    const now = await this.stateNow((busy) => (holdClaims ? 0 : Math.max(0, maxAgents - busy) + READY_MARGIN), undefined, whole);
    return { ...now, state: { ...now.state, paused: holdClaims } };
  }

  /** The scheduler's state, its reads sent before the first await (readSchedulerState). */
  stateNow(readyLimit: (busy: number) => number, widen?: number, whole = false): Promise<TickState> {
    return readSchedulerState({
      widen,
      whole,
      me: this.o.me,
      store: this.o.store,
      config: this.o.config.now(),
      records: this.o.records,
      now: this.o.store.core.clock(),
      paused: this.o.paused(),
      watched: this.o.runs.watched(),
      readyLimit,
      needsIdentity: inFlight(this.o.agency.identityNeeds()),
      held: (executor, taskId, routable) => this.o.holds.waitsFor(executor, taskId, routable)?.message ?? null,
      teamCapacities: this.o.teamCapacities(),
    });
  }
}
