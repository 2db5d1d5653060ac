import type { WorktreeScope } from '../../worktrees/inspect';
import { sweepWorktrees } from '../../worktrees/sweep';

/**
 * Runs the worktree sweep (worktrees/sweep.ts) when runs end and on start, outside any transaction
 * (it runs git), one at a time: asked again while it runs, it runs once more after.
 */
export class WorktreeSweeper {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly scope: WorktreeScope, private readonly log: { info(message: string): void; error(message: string): void }) {}

  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // Begun once the current turn's transaction (which may have asked) has committed.
    const turnOver = new Promise<void>((resolve) => setImmediate(resolve));
    this.running = turnOver.then(() => this.run()).finally(() => {
      this.running = null;
    });
  }

  /** No more sweeps; waits for the one under way (it writes to the store). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        const removed = await sweepWorktrees(this.scope);
        for (const item of removed) this.log.info(`worktree ${item.path} removed${item.recover_branch ? ` (its commits on ${item.recover_branch})` : ''}`);
      } catch (error) {
        this.log.error(`worktree sweep: ${error instanceof Error ? error.message : String(error)}`);
      }
    } while (this.again && !this.stopped);
  }
}
