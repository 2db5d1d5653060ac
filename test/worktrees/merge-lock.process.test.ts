import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withMergeLock } from '../../src/core/worktrees/merge-lock';

/**
 * The merge lock a process killed in the middle of a merge leaves behind (its folder, and the owner
 * file naming it) is taken over at once, not after the 30 s a stale lock of unknown owner waits; a
 * live holder's lock never is. One try each: no waiting, no timing.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-merge-lock-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** A lock as a holder with `pid` left it, last refreshed 5 s ago. */
function leftLock(name: string, pid: number): string {
  const common = join(root, name);
  mkdirSync(join(common, 'wg-merge.lock'), { recursive: true });
  writeFileSync(join(common, 'wg-merge.owner'), JSON.stringify({ pid, host: hostname() }));
  const fiveSecondsAgo = (Date.now() - 5000) / 1000;
  utimesSync(join(common, 'wg-merge.lock'), fiveSecondsAgo, fiveSecondsAgo);
  return common;
}

describe('the merge lock', () => {
  it('is taken over at once from a holder that died mid-merge, and released after', async () => {
    const dead = spawnSync('true').pid;
    const common = leftLock('dead', dead);
    expect(await withMergeLock(common, async () => 'merged', 1)).toBe('merged');
    expect(existsSync(join(common, 'wg-merge.lock'))).toBe(false);
  });

  it('is not taken from a holder that is alive', async () => {
    const child = spawn('sleep', ['60']);
    children.push(child);
    const common = leftLock('alive', child.pid as number);
    await expect(withMergeLock(common, async () => 'merged', 1)).rejects.toThrow(
      'another merge onto the base branch is taking too long; try again',
    );
    expect(existsSync(join(common, 'wg-merge.lock'))).toBe(true);
  });
});
