import type { GateCheck } from '../agency/evaluation/gate-entry';
import type { WorktreeScope } from '../worktrees/inspect';
import { sweepWorktrees } from '../worktrees/sweep';
import { errorText } from '../../shared/errors';

/** Whether any agent worktree is not yet removed: the sweep's own first question (sweep.ts). */
const AGENT_WORKTREE = "SELECT 1 FROM worktrees WHERE owner = 'agent' AND state != 'removed' LIMIT 1";

/**
 * Work of a task marked done while its agent worked, its run over, that a sweep could not merge yet: the base branch's
 * checkout was in the middle of a person's own merge or rebase (done-elsewhere.ts), and the tasks after it wait.
 */
const WAITING_MERGE = `SELECT 1 FROM worktrees w WHERE w.merge_at_end = 1 AND w.state = 'active'
  AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.id = w.agent_id AND a.state = 'working') LIMIT 1`;

/** How soon a sweep looks again at such work: nothing tells this process when the person's merge is over. */
const WAITING_MERGE_AGAIN_MS = 30_000;

/**
 * Runs the worktree sweep (worktrees/sweep.ts) when runs end and on start, outside any transaction
 * (it runs git), one at a time: asked again while it runs, it runs once more after.
 */
export class WorktreeSweeper {
  /** A sweep asked for, begun once the current turn's transaction (which may have asked) has committed. */
  private pending: NodeJS.Immediate | null = null;
  /** The next look at work waiting for the base branch's checkout (WAITING_MERGE), if one is due. */
  private lookAgain: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly scope: WorktreeScope,
    private readonly log: { info(message: string): void; error(message: string): void },
    /** The evaluation gate as configured now: work committed after a merge is merged by the same rule. */
    private readonly gate: () => GateCheck = () => async () => false,
    private readonly lookAgainMs = WAITING_MERGE_AGAIN_MS,
  ) {}

  request(): void {
    this.begin(async () => {
      try {
        return (await this.scope.store.core.sql(AGENT_WORKTREE).get()) !== undefined;
      } catch (error) {
        // The database away (a server restart): the next run's end asks again.
        this.log.error(`worktree sweep: ${errorText(error)}`);
        return false;
      }
    });
  }

  /**
   * `request` from inside a coordinator's turn, whose transaction holds what the sweep's first question reads: the
   * question is asked now (StoreCore.soon) and travels with the commit; the result, called once the turn has
   * committed, asks for the sweep.
   */
  async requestSoon(): Promise<() => void> {
    if (this.stopped) return () => undefined;
    const found = await this.scope.store.core.soon(AGENT_WORKTREE);
    return () => this.begin(async () => (await found()).length > 0);
  }

  /** The sweep, after a turn of the event loop, if `anyLeft` says there is an agent's worktree to look at. */
  private begin(anyLeft: () => Promise<boolean>): void {
    if (this.stopped) return;
    if (this.pending || this.running) {
      this.again = true;
      return;
    }
    this.pending = setImmediate(() => {
      this.pending = null;
      // Most runs have no worktree (shell tasks, agents in the project folder): with none of an
      // agent's left, the sweep would return at once, after its promises; one row says so first.
      this.running = (async () => {
        if (await anyLeft()) await this.run();
      })().finally(() => {
        this.running = null;
      });
    });
  }

  /** No more sweeps; waits for the one under way (it writes to the store), none that has not begun. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pending) clearImmediate(this.pending);
    if (this.lookAgain) clearTimeout(this.lookAgain);
    this.pending = null;
    await this.running;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        const removed = await sweepWorktrees(this.scope, (line) => this.log.info(line), this.gate());
        for (const item of removed)
          this.log.info(`worktree ${item.path} removed${item.recover_branch ? ` (its commits on ${item.recover_branch})` : ''}`);
        if (!this.stopped && !this.lookAgain && (await this.scope.store.core.sql(WAITING_MERGE).get()) !== undefined) {
          this.lookAgain = setTimeout(() => {
            this.lookAgain = null;
            this.request();
          }, this.lookAgainMs);
          this.lookAgain.unref();
        }
      } catch (error) {
        this.log.error(`worktree sweep: ${errorText(error)}`);
      }
    } while (this.again && !this.stopped);
  }
}
