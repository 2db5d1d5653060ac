import { createRunCgroup, removeRunCgroup, warmCgroupJoins } from '../../processes/run-cgroup';

/** A claim still not started this long after its cgroup was made was undone (its turn rolled back). */
const UNDONE_MS = 60_000;

/**
 * Run cgroups made as their runs are claimed, before the claim commits: the run starts once the commit is back, and
 * the kernel's wait before a cgroup's first join after an idle spell (warmCgroupJoins) passes meanwhile, on a team's
 * graph during the commit's round trip. Made here, before the move that readies the join: a mkdir in the cgroup file
 * system waits while any move is under way, and the start's own (createRunCgroup, on the coordinator's thread) then
 * finds the folder there. The kernel's lock is held for one grace period a turn either way: by the move now, where it
 * was by the first wrapper's join. A claim whose turn was undone never starts: its empty cgroup goes at a later claim
 * (or, if none comes, at the coordinator's next start: sweepRunCgroups).
 */
export class CgroupsAhead {
  private readonly made = new Map<string, { dir: string; at: number }>();
  private warmSoon = false;

  /** A run claimed in a write not yet committed. */
  claimed(runId: string, now = Date.now()): void {
    for (const [id, { dir, at }] of this.made) {
      if (now - at < UNDONE_MS) continue;
      removeRunCgroup(dir);
      this.made.delete(id);
    }
    const dir = createRunCgroup(runId);
    if (!dir) return;
    this.made.set(runId, { dir, at: now });
    // After the turn's other claims have made theirs: a mkdir made on this thread during the move would wait for it.
    if (this.warmSoon) return;
    this.warmSoon = true;
    setImmediate(() => {
      this.warmSoon = false;
      void warmCgroupJoins();
    });
  }

  /** Its start began: the cgroup is the start's (removed by it if the run does not start). */
  starting(runId: string): void {
    this.made.delete(runId);
  }
}
