import type { RunExit } from '../runs/watching/run-monitor';

/**
 * How soon a started run's pid reaches the store when no other change carries it there first. Long enough that a short
 * run's pid goes with the turn that settles it: a turn of its own cost a dispatch two or three round trips more on
 * PostgreSQL (its look, its opening, its write), and a whole tick on SQLite. Nothing waits for it: this coordinator
 * finds a run's pid in its run folder (runPid), as after a crash before the store had it; the store's is for people.
 */
export const PID_FLUSH_MS = 1000;
/** How soon a turn that could not commit is tried again. */
const RETRY_TURN_MS = 1000;

export interface TurnWork {
  /** Runs just started: agent id and pid, for the store (the run folder has the pid already). */
  pids: [agentId: string, pid: number][];
  exits: RunExit[];
}

/**
 * What waits for the coordinator's next turn: runs that ended and pids of runs that started. A
 * turn takes it all; a turn that did not commit gives it back, to be taken again a moment later.
 */
export class TurnInbox {
  private exits: RunExit[] = [];
  private readonly pids = new Map<string, number>();
  private pidTimer: NodeJS.Timeout | null = null;

  constructor(private readonly wake: () => void) {}

  exited(exit: RunExit): void {
    this.exits.push(exit);
    this.wake();
  }

  /** Not urgent: recorded with whatever turn comes next, at the latest a moment from now. */
  started(agentId: string, pid: number): void {
    this.pids.set(agentId, pid);
    this.pidTimer ??= setTimeout(() => this.wake(), PID_FLUSH_MS);
  }

  /** Whether runs ended since the last take (one found over as it was adopted, in the turn itself). */
  hasExits(): boolean {
    return this.exits.length > 0;
  }

  take(): TurnWork {
    this.clearTimer();
    const work: TurnWork = { pids: [...this.pids], exits: this.exits };
    this.pids.clear();
    this.exits = [];
    return work;
  }

  /**
   * A turn that did not commit gives its work back, taken again a moment later (`atOnce`: a pipelined turn a failure
   * undid, taken again savepoint by savepoint to meet that failure alone). Ends of runs in
   * `apart` are not given back: their judging went on by itself in the undone turn and settles them
   * in its own transaction.
   */
  giveBack(work: TurnWork, options: { apart?: readonly string[]; atOnce?: boolean } = {}): void {
    for (const [agentId, pid] of work.pids) if (!this.pids.has(agentId)) this.pids.set(agentId, pid);
    const apart = options.apart ?? [];
    this.exits = work.exits.filter((exit) => !apart.includes(exit.agentId)).concat(this.exits);
    setTimeout(this.wake, options.atOnce ? 0 : RETRY_TURN_MS).unref();
  }

  clearTimer(): void {
    if (this.pidTimer) clearTimeout(this.pidTimer);
    this.pidTimer = null;
  }
}
