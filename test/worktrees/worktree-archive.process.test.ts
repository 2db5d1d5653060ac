import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import type { WorktreeArchive } from '../../src/shared/worktree';
import { GIT_ENV, GitProject } from './git-project';

/*
 * `wg worktree archive AGENT [--remove]`, upstream's worktree archive (its worktree command's `archive`; no test of
 * its own upstream): the work an agent left uncommitted is committed on its branch ("archive: AGENT work snapshot"),
 * and with --remove the worktree then goes, its commits kept. Here also refused while the agent still works there.
 */

Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-wt-archive-');

beforeAll(async () => {
  await p.init({ 'a.txt': 'a\n' });
});
afterAll(() => p.remove());

describe('wg worktree archive', () => {
  it('commits what the agent left uncommitted (tracked and new files) on its branch, and keeps the worktree', async () => {
    const agent = await p.startAgent('feature', 'agent-1');
    p.write('a.txt', 'a, changed\n', agent.path);
    p.write('new.txt', 'new\n', agent.path);

    const working = await p.wg(['worktree', 'archive', 'agent-1']);
    expect(working.exitCode).not.toBe(0);
    expect(working.stderr).toBe(`wg: agent-1 is working in ${agent.path}; kill it first (wg kill agent-1)`);
    expect(p.git(['status', '--porcelain'], agent.path)).not.toBe('');

    await p.endAgent('agent-1');
    const archived = await p.wg(['worktree', 'archive', 'agent-1']);
    expect([archived.exitCode, archived.stderr]).toEqual([0, '']);
    expect(archived.stdout.trim().split('\n')).toEqual([
      `[worktree] Committed 2 file(s) left uncommitted in agent-1 on ${agent.branch}`,
      '[worktree] Archived (preserved on disk): agent-1',
      '  To remove: wg worktree archive agent-1 --remove',
    ]);
    expect(p.git(['status', '--porcelain'], agent.path)).toBe('');
    expect(p.git(['log', '-1', '--format=%B', agent.branch]).trim()).toBe(
      'archive: agent-1 work snapshot\n\nAuto-committed by `wg worktree archive` to preserve\nuncommitted agent work before archival.',
    );
    expect(p.show(agent.branch, 'new.txt')).toBe('new\n');
    expect(p.show(agent.branch, 'a.txt')).toBe('a, changed\n');
    expect(existsSync(agent.path)).toBe(true);
    expect((await p.json<Task>(['show', 'feature'])).log.at(-1)?.message).toBe(
      `Archived the work agent-1 left uncommitted on ${agent.branch}: a.txt, new.txt`,
    );

    // Nothing left to commit: said so, and nothing changes.
    const tip = p.git(['rev-parse', agent.branch]);
    const again = await p.json<WorktreeArchive>(['worktree', 'archive', 'agent-1']);
    expect(again).toMatchObject({ agent: 'agent-1', committed: [], removed: false });
    expect(p.git(['rev-parse', agent.branch])).toBe(tip);
    expect((await p.ok(['worktree', 'archive', 'agent-1'])).split('\n')[0]).toBe('[worktree] No uncommitted changes in agent-1');
  });

  it('--remove removes the worktree once its work is committed, the commits kept on a recover/ branch', async () => {
    const agent = await p.startAgent('other', 'agent-2');
    p.write('left.txt', 'left behind\n', agent.path);
    await p.endAgent('agent-2');
    const out = await p.ok(['worktree', 'archive', 'agent-2', '--remove']);
    expect(out.trim().split('\n')).toEqual([
      `[worktree] Committed 1 file(s) left uncommitted in agent-2 on ${agent.branch}`,
      '[worktree] Archived and removed: agent-2; its commits are kept on recover/agent-2/other',
    ]);
    expect(existsSync(agent.path)).toBe(false);
    expect(p.show('recover/agent-2/other', 'left.txt')).toBe('left behind\n');

    const gone = await p.wg(['worktree', 'archive', 'agent-2']);
    expect([gone.exitCode, gone.stderr]).toEqual([1, 'wg: worktree agent-2 was already removed']);
    expect((await p.wg(['worktree', 'archive', 'nobody'])).exitCode).toBe(3);
  });
});
