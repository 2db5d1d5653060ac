import type { StartWait } from '../../shared/service-types';
import type { ClaimWaits } from '../runs/claiming/claim-waits';

/** How often what a hold waits for is looked at again: a few file checks, no turn of the coordinator. */
export const HOLD_LOOK_MS = 5000;

/** Tasks waiting for one thing (ClaimWaits.key): the executors whose tasks wait, the tasks refused or told, and why. */
interface Hold {
  waits: ClaimWaits;
  executors: Set<string>;
  /**
   * Tasks whose claim was refused for it, with the executor their row named then: held while it names that one, whatever
   * their run would be routed to (an identity's executor, a model's).
   */
  refused: Map<string, string | null>;
  /** Tasks whose log says they wait for it. */
  told: Set<string>;
}

/** What a newly held task asks to be said. */
export interface HoldNews {
  /** The first task to wait for this: the daemon's log says so once. */
  newHold: boolean;
  /** The task's log does not say yet that it waits. */
  tellTask: boolean;
}

/**
 * What this machine lacks for a start (the agent CLI not installed, a first commit), and the tasks that wait for it. A
 * claim refused so (ClaimWaits) holds its executor: its other ready tasks are passed over, not tried and refused one by
 * one, while the coordinator starts the rest of the graph. Each hold is looked at again every few seconds (file checks
 * only); once it no longer holds, its tasks are ready to start again and the coordinator is woken. The coordinator
 * drops every hold when its settings change (worktrees turned off, an executor's command set): its next claims find
 * out again. Held in memory: a restarted coordinator finds out with its first claim, on its own machine.
 */
export class StartHolds {
  private readonly holds = new Map<string, Hold>();
  private timer: NodeJS.Timeout | null = null;

  /** `cleared`: called with what no longer holds (the coordinator's wake). */
  constructor(private readonly cleared: (holds: Array<{ cleared: string; executors: string[] }>) => void) {}

  /** A claim of `taskId` was refused for `waits`. */
  hold(waits: ClaimWaits, taskId: string): HoldNews {
    const existing = this.holds.get(waits.key);
    const hold = existing ?? { waits, executors: new Set<string>(), refused: new Map<string, string | null>(), told: new Set<string>() };
    this.holds.set(waits.key, hold);
    hold.executors.add(waits.executor);
    hold.refused.set(taskId, waits.readyExecutor);
    this.arm();
    return { newHold: !existing, tellTask: this.tell(hold, taskId) };
  }

  /**
   * What this ready task, whose row names `executor`, waits for (its executor's hold, or its own refused claim's), or
   * null. `routable`: its run may go to another executor than the row's (no executor named, and a model or identity of
   * its own, which may be served by another CLI: an OpenRouter model runs through codex): only its own refused claim
   * holds it, not the tasks of the executor its row names.
   */
  waitsFor(executor: string, taskId: string, routable = false): ClaimWaits | null {
    for (const hold of this.holds.values()) {
      if ((!routable && hold.executors.has(executor)) || hold.refused.get(taskId) === executor) return hold.waits;
    }
    return null;
  }

  /**
   * What a task found waiting (`reason`: its hold's message, as the scheduler's view of it carries it) waits for, if
   * its log is still to say so: once per hold.
   */
  toTell(taskId: string, reason: string): ClaimWaits | null {
    const hold = [...this.holds.values()].find((h) => h.waits.message === reason);
    return hold && this.tell(hold, taskId) ? hold.waits : null;
  }

  /** What is waited for now, and the executors whose tasks wait (`wg service status`, the window's banner). */
  list(): StartWait[] {
    return [...this.holds.values()].map((hold) => ({ reason: hold.waits.message, executors: [...hold.executors].sort() }));
  }

  /** Looks at every hold again: those that no longer hold are dropped (and said to the constructor's callback). */
  look(): void {
    const gone = [...this.holds.values()].filter((hold) => !hold.waits.stillHolds());
    for (const hold of gone) this.holds.delete(hold.waits.key);
    if (this.holds.size === 0) this.clear();
    if (gone.length > 0) this.cleared(gone.map((hold) => ({ cleared: hold.waits.cleared, executors: [...hold.executors] })));
  }

  /** Nothing held any more (the coordinator stops, or its settings changed). */
  clear(): void {
    this.holds.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tell(hold: Hold, taskId: string): boolean {
    if (hold.told.has(taskId)) return false;
    hold.told.add(taskId);
    return true;
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.look(), HOLD_LOOK_MS);
    // A coordinator with nothing else to do may exit while it waits.
    this.timer.unref();
  }
}
