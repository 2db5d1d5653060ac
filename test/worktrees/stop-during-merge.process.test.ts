import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../service/helpers/daemon-project';
import { GitProject } from './git-project';
import { expectMergedWhole, holdMergeAfterMainMoves } from './held-merge';

/**
 * @waits: a git hook holds the merge for 3 s once main has moved.
 *
 * `wg service stop` while the coordinator merges a run's work (held by a reference-transaction hook after main moved,
 * before the checkout is brought along): the coordinator exited at once, leaving main moved and the person's checkout as it was
 * before, so `git status` showed the merge undone, staged, and a plain `git commit` would have undone it, until another
 * coordinator started. The stop now waits for the merge to finish.
 */
const p = new GitProject('wg-wt-stop-merge-');
let reached = '';

beforeAll(async () => {
  await p.init({ 'README.md': '# project\n' });
  await p.ok(['config', '--poll-interval', '3600']);
  await p.ok(['executor', 'add', 'shell', '--type', 'shell', '--worktree', 'true']);
  reached = holdMergeAfterMainMoves(p);
});
afterAll(() => p.killAllAndRemove());

describe('wg service stop in the middle of a merge', () => {
  it('waits for the merge: the checkout has the merged work, and no merge is left half done', async () => {
    await p.ok(['add', 'Task s1', '--id', 's1', '--exec', 'echo s1 > s1.txt && git add s1.txt && git commit -qm "s1 work"']);
    await p.ok(['service', 'start', '--json']);
    await waitFor('the merge held after main moved', () => existsSync(reached), 60_000);

    const stopped = await p.wg(['service', 'stop']);
    expect(stopped.exitCode, stopped.stderr).toBe(0);

    expectMergedWhole(p, 's1');
  }, 120_000);
});
