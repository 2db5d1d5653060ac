import { sql } from 'kysely';
import type { GateCheck } from '../store/agency/gate-entry';
import type { WorktreeScope } from '../worktrees/inspect';
import { sweepWorktrees } from '../worktrees/sweep';
import { errorText } from '../../shared/errors';
import type { StoreCore } from '../store/store-core';

/** Whether any agent worktree is not yet removed: the sweep's own first question (sweep.ts). */
const agentWorktree = (core: StoreCore) =>
  core.build.selectFrom('worktrees').select(sql<number>`1`.as('one')).where('owner', '=', 'agent').where('state', '!=', 'removed').limit(1);

/**
 * Work of a task marked done while its agent worked, its run over, that a sweep could not merge yet: the base branch's
 * checkout was in the middle of a person's own merge or rebase (done-elsewhere.ts), and the tasks after it wait.
 */
const waitingMerge = (core: StoreCore) =>
  core.build
    .selectFrom('worktrees as w')
    .select(sql<number>`1`.as('one'))
    .where('w.merge_at_end', '=', 1)
    .where('w.state', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('agents as a').select(sql<number>`1`.as('one')).whereRef('a.id', '=', 'w.agent_id').where('a.state', '=', 'working'),
        ),
      ),
    )
    .limit(1);

/** How soon a sweep looks again at such work: nothing tells this process when the person's merge is over. */
const WAITING_MERGE_AGAIN_MS = 30_000;

/**
 * Runs the worktree sweep (worktrees/sweep.ts) when runs end and on start, outside any transaction
 * (it runs git), one at a time: asked again while it runs, it runs once more after.
 */
export class WorktreeSweeper {
  /** A sweep asked for, begun once the current turn's transaction (which may have asked) has committed. */
  private pending: NodeJS.Immediate | null = null;
  /** The next look at work waiting for the base branch's checkout (waitingMerge), if one is due. */
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
    this.requestAfter(this.anyLeft());
  }

  /**
   * Whether an agent's worktree is left to sweep: one statement, sent before the first await. Inside a coordinator's
   * turn, whose transaction holds what it reads, it travels with the commit (requestAfter then takes its answer).
   */
  async anyLeft(): Promise<boolean> {
    try {
      return (await this.scope.store.core.get(agentWorktree(this.scope.store.core))) !== undefined;
    } catch (error) {
      // The database away (a server restart): the next run's end asks again.
      this.log.error(`worktree sweep: ${errorText(error)}`);
      return false;
    }
  }

  /** The sweep, if `anyLeft` (asked already) says there is an agent's worktree to look at. */
  requestAfter(anyLeft: Promise<boolean>): void {
    this.begin(() => anyLeft);
  }

  /** The sweep, after a turn of the event loop, if `anyLeft` says there is an agent's worktree to look at. */
  private begin(anyLeft: () => Promise<boolean>): void {
    if (this.stopped) return;
    if (this.pending || this.running) {
      this.again = true;
      return;
    }
    // Outside the transaction that asked for it (a turn's): its writes are its own, never that turn's savepoints.
    this.pending = setImmediate(() => this.scope.store.core.detached(() => this.sweepNow(anyLeft)));
  }

  private sweepNow(anyLeft: () => Promise<boolean>): void {
    this.pending = null;
    // Most runs have no worktree (shell tasks, agents in the project folder): with none of an
    // agent's left, the sweep would return at once, after its promises; one row says so first.
    this.running = (async () => {
      if (await anyLeft()) await this.run();
    })().finally(() => {
      this.running = null;
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
        if (!this.stopped && !this.lookAgain && (await this.scope.store.core.get(waitingMerge(this.scope.store.core))) !== undefined) {
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
