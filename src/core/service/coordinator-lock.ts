import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conflict } from '../../shared/errors';
import type { ProjectPaths } from '../project';

/**
 * One coordinator per project. The lock is an exclusive SQLite transaction on a small lock file,
 * held for the coordinator's life: SQLite takes it with fcntl, so the kernel releases it when the
 * process dies however it dies (kill -9 included), and there is no stale state to detect. Two
 * starters racing both ask the kernel; exactly one wins. Whoever holds it owns the pid file, the
 * socket and state.json, and may clean up what a crashed predecessor left.
 */
export class CoordinatorLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly paths: ProjectPaths,
  ) {}

  static lockFile(paths: ProjectPaths): string {
    return join(paths.serviceDir, 'coordinator.lock');
  }

  static acquire(paths: ProjectPaths): CoordinatorLock {
    mkdirSync(paths.serviceDir, { recursive: true, mode: 0o700 });
    const db = new Database(CoordinatorLock.lockFile(paths), { timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY' || (error as { code?: string }).code === 'SQLITE_LOCKED') {
        const pid = readPidFile(paths);
        throw conflict(`a coordinator is already running for this project${pid ? ` (pid ${pid})` : ''}`);
      }
      throw error;
    }
    writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
    return new CoordinatorLock(db, paths);
  }

  release(): void {
    if (!this.db.open) return;
    if (readPidFile(this.paths) === process.pid) rmSync(this.paths.pidFile, { force: true });
    this.db.exec('ROLLBACK');
    this.db.close();
  }
}

export function readPidFile(paths: Pick<ProjectPaths, 'pidFile'>): number | null {
  if (!existsSync(paths.pidFile)) return null;
  const pid = Number.parseInt(readFileSync(paths.pidFile, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Whether some process holds the lock right now (a probe: taken and released at once). */
export function lockHeld(paths: ProjectPaths): boolean {
  if (!existsSync(CoordinatorLock.lockFile(paths))) return false;
  try {
    CoordinatorLock.acquire(paths).release();
    return false;
  } catch {
    return true;
  }
}
