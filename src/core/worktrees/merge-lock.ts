import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { WgError } from '../../shared/errors';
import { replaceFile } from '../files/no-follow';

/** How long a merge waits for another one (a merge takes well under a second; a checkout update a little more). */
const WAIT = { retries: 120, minTimeout: 50, maxTimeout: 500, factor: 1.5 };
/** A lock not refreshed for this long belongs to a process that died mid-merge. */
const STALE_MS = 30_000;
/** A live holder refreshes its lock this often, so a lock older than DEAD_STALE_MS whose holder is gone is taken at once. */
const UPDATE_MS = 1000;
/** proper-lockfile's smallest stale threshold. */
const DEAD_STALE_MS = 2000;

interface Owner {
  pid: number;
  host: string;
}

/** Whether the lock's last holder was a process of this machine that no longer exists (killed mid-merge). */
function holderDead(ownerFile: string): boolean {
  let owner: Owner;
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as Owner;
  } catch {
    return false;
  }
  if (owner.host !== hostname() || !Number.isInteger(owner.pid) || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function lockAge(lockDir: string): number {
  try {
    return Date.now() - statSync(lockDir).mtimeMs;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The lock, taken over at once when its holder is a dead process of this machine (a daemon killed in
 * the middle of a merge) instead of after the 30 s a stale lock of unknown owner waits. The owner file
 * is read before each try: a live holder's lock is at most UPDATE_MS old, so a takeover can only hit
 * a lock whose holder has gone (and update-ref's compare-and-swap still guards the branch).
 */
async function acquire(target: string, ownerFile: string, tries: number): Promise<() => Promise<void>> {
  const options = { realpath: false, update: UPDATE_MS, onCompromised: () => undefined };
  for (let attempt = 0; attempt < tries; attempt++) {
    const dead = holderDead(ownerFile) && lockAge(`${target}.lock`) > DEAD_STALE_MS;
    try {
      return await lockfile.lock(target, { ...options, stale: dead ? DEAD_STALE_MS : STALE_MS, retries: 0 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    }
    if (attempt + 1 < tries) await sleep(Math.min(WAIT.maxTimeout, WAIT.minTimeout * WAIT.factor ** attempt));
  }
  throw new WgError('unavailable', 'another merge onto the base branch is taking too long; try again');
}

/**
 * Runs `work` holding the repository's merge lock: one squash merge onto a base branch at a time,
 * across every `wg` process, daemon and app of every worktree (the lock lives in git's common folder).
 * proper-lockfile: an atomic mkdir, refreshed while held, taken over when stale (a crashed holder).
 * `tries`: how many times to try for it (about a minute's worth by default).
 */
export async function withMergeLock<T>(commonDir: string, work: () => Promise<T>, tries = WAIT.retries): Promise<T> {
  const target = join(commonDir, 'wg-merge');
  const ownerFile = join(commonDir, 'wg-merge.owner');
  mkdirSync(commonDir, { recursive: true });
  const release = await acquire(target, ownerFile, tries);
  try {
    replaceFile(ownerFile, JSON.stringify({ pid: process.pid, host: hostname() } satisfies Owner));
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
