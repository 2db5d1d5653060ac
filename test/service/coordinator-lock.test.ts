import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { CoordinatorLock } from '../../src/core/service/coordinator-lock';

const root = mkdtempSync(join(tmpdir(), 'wg-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const paths = projectPaths(join(root, '.workgraph'));
ensureProjectDirs(paths);

describe('the coordinator lock', () => {
  it('is not refused because another starter holds a passing shared lock at that instant', async () => {
    (await CoordinatorLock.acquire(paths)).release();
    // What a second starter holds for a moment while it tries (and fails) to take the lock itself.
    const other = new Database(CoordinatorLock.lockFile(paths));
    other.exec('BEGIN');
    other.prepare('SELECT count(*) FROM sqlite_master').get();
    setTimeout(() => other.exec('COMMIT'), 100);
    const lock = await CoordinatorLock.acquire(paths);
    expect(lock).toBeInstanceOf(CoordinatorLock);
    lock.release();
    other.close();
  });

  it('is refused, with the holder named, while a coordinator holds it', async () => {
    const held = await CoordinatorLock.acquire(paths);
    await expect(CoordinatorLock.acquire(paths, 100)).rejects.toThrow(
      `a coordinator is already running for this project (pid ${process.pid})`,
    );
    held.release();
    (await CoordinatorLock.acquire(paths, 0)).release();
  });
});
