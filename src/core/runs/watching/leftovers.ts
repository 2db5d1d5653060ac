import { aliveRuns, killRuns, type RunHandle } from '../../processes/kill-runs';
import { removeRunCgroup } from '../../processes/run-cgroup';

/** Looked at a moment after the run ends: a wrapper that just reported is still on its way out. */
const LOOK_AFTER_MS = 1000;

/**
 * What finished runs left running (a server started in the background, a Bash tool command in a
 * session of its own) is stopped: nothing a run started outlives it. Runs that end close together
 * are looked at together, with one scan of the system's processes.
 */
export class Leftovers {
  private pending: RunHandle[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Kills under way: a flush waits for them too, or the process could exit with them half done. */
  private readonly killing = new Set<Promise<void>>();

  constructor(
    private readonly onError: (message: string) => void,
    /** The runs whose leftovers were stopped, once they are: their tasks' logs say so (else the work they were doing just vanished). */
    private readonly onStopped: (runs: readonly RunHandle[]) => void = () => undefined,
    /** The runs of which nothing is left now (found so, or once stopped): a task a kill held for them may go (kill-holds.ts). */
    private readonly onGone: (runs: readonly RunHandle[]) => void = () => undefined,
  ) {}

  add(handle: RunHandle): void {
    this.pending.push(handle);
    if (this.timer) return;
    this.timer = setTimeout(() => this.sweep(), LOOK_AFTER_MS);
    this.timer.unref();
  }

  /**
   * Looks at the pending runs now, without waiting for the timer, and resolves once every kill of
   * leftovers (these, and any already under way) is over. For a coordinator that stops: its process
   * exits right after, and the timer (unref'd, so it never keeps a process alive) would never fire,
   * leaving a finished run's children running for good. A wrapper that just reported may still be on
   * its way out and gets signalled too: it has nothing left to do.
   */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.sweep();
    await Promise.all([...this.killing]);
  }

  private sweep(): void {
    const handles = this.pending;
    this.pending = [];
    this.timer = null;
    if (handles.length === 0) return;
    // A run whose cgroup can be removed left nothing running (its cgroup held all of it): the
    // removal answers the question, so only the others are looked at (a populated cgroup, no cgroup).
    const alive = aliveRuns(handles.filter((handle) => !(handle.cgroup && removeRunCgroup(handle.cgroup))));
    const gone = handles.filter((handle) => !alive.includes(handle));
    if (gone.length > 0) this.onGone(gone);
    if (alive.length === 0) return;
    // The kill path's own grace (5 s after SIGTERM), not a shorter one: a run `wg kill` stops ends as its wrapper goes,
    // and a process of it that cleans up on SIGTERM was killed here after 1 s, while runs.md (and wg kill) give it 5.
    const killing = killRuns(alive).then(
      (stopped) => {
        if (stopped) this.onGone(alive);
        this.onStopped(alive);
      },
      (error: unknown) => this.onError(`stopping what finished runs left running: ${String(error)}`),
    );
    this.killing.add(killing);
    void killing.finally(() => this.killing.delete(killing));
  }
}
