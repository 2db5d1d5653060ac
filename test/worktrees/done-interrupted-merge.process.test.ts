import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { WG_BIN } from '../helpers/wg-cli';
import { waitFor } from '../service/helpers/daemon-project';
import { GitProject } from './git-project';
import { expectMergedWhole, holdMergeAfterMainMoves } from './held-merge';

/**
 * @waits: a git hook holds the merge for 3 s once main has moved.
 *
 * Ctrl-C on a person's `wg done` while it merges the agent's work, after main moved (a reference-transaction hook
 * holds it there), before the checkout was brought along: SIGINT to the whole foreground group, as a terminal sends it,
 * git included. `wg done` exited there, leaving main moved and the checkout showing the merge undone, staged (a
 * `git commit` would have undone it), until some later merge. The merge's step now finishes first.
 */
const p = new GitProject('wg-wt-done-int-');

beforeAll(async () => {
  await p.init({ 'README.md': '# project\n' });
  await p.ok(['config', '--poll-interval', '3600']);
  await p.ok(['executor', 'add', 'shell', '--type', 'shell', '--worktree', 'true']);
});
afterAll(() => p.killAllAndRemove());

describe('Ctrl-C on wg done in the middle of the merge', () => {
  it('leaves no merge half done: the checkout has the merged work', async () => {
    await p.ok(['add', 'Task d1', '--id', 'd1', '--exec', 'echo d1 > d1.txt && git add d1.txt && git commit -qm "d1 work" && sleep 300']);
    await p.ok(['service', 'start', '--json']);
    await waitFor(
      'the run to commit',
      async () =>
        (await (await p.store()).agents.forTask('d1')).some((a) => a.state === 'working') &&
        p.branches('wg/*').length > 0 &&
        p.git(['log', '--oneline', p.branches('wg/*')[0] as string]).includes('d1 work'),
      60_000,
    );
    await p.ok(['service', 'stop']);
    const reached = holdMergeAfterMainMoves(p);

    // Its own process group, as a terminal's foreground job: the Ctrl-C reaches git and the hook too.
    const done = spawn(process.execPath, [WG_BIN, 'done', 'd1'], {
      cwd: p.dir,
      env: { ...process.env, ...p.env },
      detached: true,
      stdio: 'ignore',
    });
    const ended = new Promise((resolve) => done.once('exit', resolve));
    await waitFor('main moved', () => existsSync(reached), 60_000);
    process.kill(-(done.pid as number), 'SIGINT');
    await ended;

    expectMergedWhole(p, 'd1');
  }, 120_000);
});
