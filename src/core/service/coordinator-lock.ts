import type Database from 'better-sqlite3';
import { openSqlite } from '../store/sqlite-connection';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { conflict } from '../../shared/errors';
import type { ProjectPaths } from '../project';
import { refuseSymlink, writeFileNoFollow } from '../files/no-follow';

/**
 * One coordinator per project. The lock is an exclusive SQLite transaction on a small lock file,
 * held for the coordinator's life: SQLite takes it with fcntl, so the kernel releases it when the
 * process dies however it dies (kill -9 included), and there is no stale state to detect. Two
 * starters racing both ask the kernel; at most one wins (see `acquire`). Whoever holds it owns the
 * pid file, the socket and state.json, and may clean up what a crashed predecessor left.
 */
const ACQUIRE_WAIT_MS = 500;

export class CoordinatorLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly paths: ProjectPaths,
  ) {}

  static lockFile(paths: ProjectPaths): string {
    return join(paths.serviceDir, 'coordinator.lock');
  }

  /**
   * Takes the lock, or refuses with the holder's pid. Two starters at the same instant can each hold
   * the shared lock the other needs and both be refused, leaving no coordinator: a refused starter
   * tries again for `waitMs` (a live coordinator holds the lock for good, so this only delays its answer).
   */
  static async acquire(paths: ProjectPaths, waitMs = ACQUIRE_WAIT_MS): Promise<CoordinatorLock> {
    mkdirSync(paths.serviceDir, { recursive: true, mode: 0o700 });
    const deadline = Date.now() + waitMs;
    for (;;) {
      refuseSymlink(CoordinatorLock.lockFile(paths));
      const db = openSqlite(CoordinatorLock.lockFile(paths), { timeout: 0 });
      try {
        db.exec('BEGIN EXCLUSIVE');
      } catch (error) {
        db.close();
        const code = (error as { code?: string }).code;
        if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') throw error;
        if (Date.now() < deadline) {
          // Apart, so that two starters do not meet again.
          await sleep(10 + Math.random() * 40);
          continue;
        }
        const pid = readPidFile(paths);
        throw conflict(`a coordinator is already running for this project${pid ? ` (pid ${pid})` : ''}`);
      }
      writeFileNoFollow(paths.pidFile, `${process.pid}\n`, 0o600);
      return new CoordinatorLock(db, paths);
    }
  }

  release(): void {
    if (!this.db.open) return;
    if (readPidFile(this.paths) === process.pid) rmSync(this.paths.pidFile, { force: true });
    this.db.exec('ROLLBACK');
    this.db.close();
  }
}

/**
 * Whether a coordinator holds this folder's lock now, asked of the kernel at once (no waiting, so a coordinator too busy
 * to answer its socket is still seen): true held, false free (or never made), null when it cannot be asked (a read-only
 * folder). Taking the write lock for an instant is how SQLite tells; a starter that meets it then tries again (`acquire`).
 */
export function lockHeld(paths: ProjectPaths): boolean | null {
  const file = CoordinatorLock.lockFile(paths);
  if (!existsSync(file)) return false;
  refuseSymlink(file);
  let db: Database.Database;
  try {
    db = openSqlite(file, { timeout: 0, fileMustExist: true });
  } catch {
    return null;
  }
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' ? true : null;
  } finally {
    db.close();
  }
}

export function readPidFile(paths: Pick<ProjectPaths, 'pidFile'>): number | null {
  if (!existsSync(paths.pidFile)) return null;
  const pid = Number.parseInt(readFileSync(paths.pidFile, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}
