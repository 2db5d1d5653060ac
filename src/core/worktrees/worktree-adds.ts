import { Mutex } from 'async-mutex';

/** One lock per repository (its common git folder), made when first asked for. */
const locks = new Map<string, Mutex>();

/**
 * Runs `add` (a `git worktree add`) once no other of this process's adds to the same repository is under way. git reads
 * every worktree's entry as it adds one, and an entry another add has begun and not finished makes it fail ("failed to
 * read .git/worktrees/agent-3/commondir"), after its `-b` branch is made: a coordinator starting four runs at once lost a
 * run's start to it, and its task an attempt.
 */
export function oneAddAtATime<T>(commonDir: string, add: () => Promise<T>): Promise<T> {
  let lock = locks.get(commonDir);
  if (!lock) {
    lock = new Mutex();
    locks.set(commonDir, lock);
  }
  return lock.runExclusive(add);
}
