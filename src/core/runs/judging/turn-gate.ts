/**
 * The end of a coordinator's turn, which the judging of runs' ends it starts apart (a merge, a look for evidence, a
 * signal death's grace, a triage) waits for (AgentJudge.inTurn): that judging stands on the turn's reads, which only
 * its commit vouches for. A team's turn may stand on reads taken before it began (ExitReadsAhead), which the database
 * checks with the commit: a merge started on a read gone stale would bring onto the base branch the work of a run
 * whose task a person failed meanwhile. An undone turn drops that judging and leaves its runs to the next turn.
 */
export class TurnGate {
  private end: (committed: boolean) => void = () => {};
  /** True once the turn committed, false if it was undone. */
  readonly ended = new Promise<boolean>((resolve) => {
    this.end = resolve;
  });
  private readonly gated = new Set<Promise<void>>();
  private closed = false;

  /** A judging started apart in the turn, until the turn is over. */
  hold(judging: Promise<void>): void {
    if (!this.closed) this.gated.add(judging);
  }

  /** The turn is over; when it was undone, resolves once the judging it started apart has let its runs go. */
  async close(committed: boolean): Promise<void> {
    this.closed = true;
    this.end(committed);
    const gated = [...this.gated];
    this.gated.clear();
    if (!committed) await Promise.allSettled(gated);
  }
}
