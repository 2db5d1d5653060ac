import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { WgError } from '../../shared/errors';

/** How long a writer waits for another process's lock before giving up, and when a lock is surely abandoned. */
const WAIT_MS = 10_000;
const STALE_MS = 30_000;

const pause = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` (the lock is held for a read-modify-write of a small file: milliseconds). */
const sleep = (ms: number) => Atomics.wait(pause, 0, 0, ms);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock left by a process that died holding it (its pid is gone), or far older than any write takes. */
function stale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) return true;
    return Date.now() - statSync(lock).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Runs `work` holding `<path>.lock`, an exclusive lock file (created with O_EXCL, holding the pid),
 * so read-modify-writes of one file by several processes at once all land. Waits for another holder
 * up to 10 s; a lock whose process is gone is taken over.
 */
export function withFileLock<T>(path: string, work: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + WAIT_MS;
  let fd: number | null = null;
  for (let delay = 2; fd === null; delay = Math.min(delay * 2, 50)) {
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (stale(lock)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new WgError('unavailable', `${path} is being changed by another process (lock ${lock}); try again`);
      sleep(delay + Math.random() * delay);
    }
  }
  try {
    writeSync(fd, String(process.pid));
    return work();
  } finally {
    closeSync(fd);
    rmSync(lock, { force: true });
  }
}
