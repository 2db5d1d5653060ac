import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { WgError } from '../../shared/errors';

/** How long a merge waits for another one (a merge takes well under a second; a checkout update a little more). */
const WAIT = { retries: 120, minTimeout: 50, maxTimeout: 500, factor: 1.5 };
/** A lock not refreshed for this long belongs to a process that died mid-merge. */
const STALE_MS = 30_000;

/**
 * Runs `work` holding the repository's merge lock: one squash merge onto a base branch at a time,
 * across every `wg` process, daemon and app of every worktree (the lock lives in git's common folder).
 * proper-lockfile: an atomic mkdir, refreshed while held, taken over when stale (a crashed holder).
 */
export async function withMergeLock<T>(commonDir: string, work: () => Promise<T>): Promise<T> {
  const target = join(commonDir, 'wg-merge');
  mkdirSync(commonDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, { realpath: false, retries: WAIT, stale: STALE_MS });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') throw new WgError('unavailable', 'another merge onto the base branch is taking too long; try again');
    throw error;
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
