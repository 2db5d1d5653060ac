import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorktree } from '../../src/core/worktrees/create';
import { repoFacts } from '../../src/core/worktrees/repo';
import { diskFolder } from '../helpers/disk-folder';
import { GIT_ENV, GitProject } from './git-project';

/*
 * Runs started at once each make their worktree in one repository. git reads every worktree's entry as it adds one, and
 * fails on an entry another add has begun ("failed to read .git/worktrees/agent-3/commondir: Success"): four adds at
 * once, 40 times by hand, failed 4 of 160, each leaving its new branch behind; a run's start was lost to it in a suite
 * (claude-own-worktrees.process.test.ts). This process's adds go one at a time (worktree-adds.ts).
 */
Object.assign(process.env, GIT_ENV);
// On the disk: in memory the adds were never seen to fail, with or without the lock.
const p = new GitProject('wg-wt-adds-', diskFolder());

beforeAll(async () => {
  await p.init();
});
afterAll(() => p.remove());

describe('worktrees made at once in one repository', () => {
  it('are each made, with their branch, round after round of four', async () => {
    const facts = await repoFacts(p.dir);
    if (!facts) throw new Error('not a repository');
    const base = { branch: 'main', tip: p.tip() };
    const failures: string[] = [];
    for (let round = 0; round < 40; round++) {
      await Promise.all(
        [1, 2, 3, 4].map(async (k) => {
          const agentId = `agent-${round}-${k}`;
          await createWorktree({ facts, projectRoot: p.dir, wgDir: p.paths.dir, agentId, taskId: 'race', base }).catch((error: unknown) =>
            failures.push(`${agentId}: ${String(error)}`),
          );
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(p.git(['branch', '--list', 'wg/*']).trim().split('\n')).toHaveLength(160);
  }, 120_000);
});
