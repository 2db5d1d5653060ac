import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeProjectEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, startFakeAnthropic, taskOf, text, type FakeAnthropic, type ScriptTurn } from '../fixtures/fake-anthropic';
import { DaemonProject } from '../service/helpers/daemon-project';
import { GIT_ENV, gitIn, initClaudeRepo } from './git-project';

/**
 * The REAL Claude Code CLI (scripted model) in its run's worktree, making worktrees and repositories of its own with
 * git, as agents do. Before, `git worktree add ../x -b x` + a commit there + `wg done` said "Nothing to merge" and the
 * work stayed on `x` with nothing said; a worktree or repository inside the run's folder reached main as a gitlink
 * (`160000 commit …`, no .gitmodules). Now every worktree and branch a run made is merged with its work, or kept on a
 * recover/ branch, and said in the task's log; nothing nested reaches main as a gitlink.
 */
let fake: FakeAnthropic;
let p: DaemonProject;

const git = (args: string[]) => gitIn(p.root, args);
const commit = (file: string, content: string) => `echo ${content} > ${file} && git add ${file} && git commit -qm ${file}`;

const SCRIPTS: Record<string, string> = {
  // A worktree beside its own, its commit there, then its done.
  beside: `git worktree add -q ../x -b x && cd ../x && ${commit('x.txt', 'beside')} && wg done $WG_TASK_ID`,
  // The same, with commits on its own branch too that conflict with it: its own work is merged, the other kept.
  apart: `git worktree add -q ../y -b y && (cd ../y && ${commit('same.txt', 'there')}) && ${commit('same.txt', 'here')} && wg done $WG_TASK_ID`,
  // A worktree and a repository of its own inside its folder, and a file it forgot to add: only its work reaches main.
  nested:
    `git worktree add -q inner -b inner && (cd inner && ${commit('in.txt', 'inner')}) && ` +
    `git init -q repo && (cd repo && ${commit('r.txt', 'own-history')}) && echo top > top.txt && wg done $WG_TASK_ID`,
  // A repository of its own inside its folder, taken in by its own `git add -A`: a gitlink on its branch, not on main.
  added: `git init -q sub && (cd sub && ${commit('s.txt', 'sub')}) && echo kept > kept.txt && git add -A && git commit -qm all && wg done $WG_TASK_ID`,
};

function turn(task: string | null, n: number): ScriptTurn {
  const script = task ? SCRIPTS[task] : undefined;
  if (!script) return [text('No such task.')];
  return n === 0 ? [bash(script, 'Work and report')] : [text('Done.')];
}

beforeAll(async () => {
  fake = await startFakeAnthropic([], { respond: (body, n) => turn(taskOf(body), n) });
  const env: Record<string, string> = { ...GIT_ENV };
  p = new DaemonProject('wg-claude-own-wt-', env, isolatedHostEnv());
  Object.assign(env, claudeProjectEnv(fake.url, join(p.root, '.home', 'claude')));
  initClaudeRepo(p.root);
  await p.init();
  for (const id of Object.keys(SCRIPTS)) await p.ok(['add', `Task ${id}`, '--id', id]);
  await p.start(['--model', 'haiku', '--max-agents', '4']);
  // Every task settled, not only its first run: a start that failed is tried again by a run of its own.
  await p.waitFor(
    'every task settled',
    async () => {
      for (const id of Object.keys(SCRIPTS)) {
        const { status } = await p.task(id);
        if (status !== 'done' && status !== 'failed') return false;
        if ((await p.agentsOf(id)).some((agent) => agent.state === 'working')) return false;
      }
      return true;
    },
    180_000,
  );
}, 240_000);
afterAll(async () => {
  await p?.remove();
  await fake?.close();
});

const messages = async (id: string) => (await p.task(id)).log.map((l) => l.message);
const agentOf = async (id: string) => (await p.agentsOf(id))[0]?.id ?? '';
const worktrees = () => join(realpathSync(p.root), '.wg-worktrees');

describe('the real Claude Code CLI making worktrees and branches of its own', () => {
  it('git worktree add ../x -b x, a commit there, wg done: its commit is merged onto main, and the log says where it came from', async () => {
    const id = await agentOf('beside');
    const task = await p.task('beside');
    expect(task.status, task.failure_reason ?? task.log.map((l) => l.message).join('\n')).toBe('done');
    expect(git(['show', 'main:x.txt'])).toBe('beside\n');
    const x = join(worktrees(), 'x');
    const log = await messages('beside');
    expect(log).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^The worktree ${x} \\(branch x\\) that ${id} made held commits that only add to wg/${id}/beside: wg/${id}/beside was moved up ` +
            `to them \\([0-9a-f]{10}\\), so they are merged with its work; it is left in place for you \\(git worktree remove ${x}\\)$`,
        ),
      ),
    );
    expect(log).toContainEqual(expect.stringMatching(new RegExp(`^Merged wg/${id}/beside onto main as [0-9a-f]{10}$`)));
    expect(log.some((m) => m.startsWith('Nothing to merge'))).toBe(false);
    expect(existsSync(x)).toBe(true);
  });

  it('a worktree whose commits conflict with its own: its own work is merged, the other kept on recover/, said in its log and wg show', async () => {
    const id = await agentOf('apart');
    const task = await p.task('apart');
    expect(task.status, task.failure_reason ?? task.log.map((l) => l.message).join('\n')).toBe('done');
    expect(git(['show', 'main:same.txt'])).toBe('here\n');
    const y = join(worktrees(), 'y');
    const line =
      `The worktree ${y} (branch y) that ${id} made holds commits that are not on wg/${id}/apart: nothing of it is merged with the ` +
      `task's work, and they are kept on recover/${id}/apart; it is left in place for you (git worktree remove ${y})`;
    await p.waitFor('the kept work said', async () => (await messages('apart')).includes(line), 30_000);
    expect(git(['rev-parse', `recover/${id}/apart`])).toBe(git(['rev-parse', 'y']));
    expect(git(['show', `recover/${id}/apart:same.txt`])).toBe('there\n');
    expect(await p.ok(['show', 'apart'])).toContain(line);
  });

  it('a worktree and a repository inside its folder: the worktree’s commit is merged, nothing reaches main as a gitlink', async () => {
    const id = await agentOf('nested');
    const task = await p.task('nested');
    expect(task.status, task.failure_reason ?? task.log.map((l) => l.message).join('\n')).toBe('done');
    expect(git(['show', 'main:in.txt'])).toBe('inner\n');
    expect(git(['show', 'main:top.txt'])).toBe('top\n');
    expect(git(['ls-tree', '-r', 'main'])).not.toMatch(/^160000 /m);
    const folder = join(worktrees(), id);
    const log = await messages('nested');
    expect(log).toContainEqual(
      expect.stringMatching(new RegExp(`^The worktree ${join(folder, 'inner')} \\(branch inner\\) that ${id} made held commits`)),
    );
    expect(log).toContain(`Committed new files ${id} left uncommitted on wg/${id}/nested: top.txt`);
    await p.waitFor(
      'the repository of its own said',
      async () =>
        (await messages('nested')).includes(
          `A git repository of its own at ${join(folder, 'repo')}, inside the worktree of ${id}, is not part of the task's work: nothing of it ` +
            'is committed (as a gitlink, it would name commits this repository lacks) or merged; the worktree is kept while it is there',
        ),
      30_000,
    );
  });

  it('a repository inside its folder taken in by its own git add -A: its other files merged, the gitlink left out and said', async () => {
    const task = await p.task('added');
    expect(task.status, task.failure_reason ?? task.log.map((l) => l.message).join('\n')).toBe('done');
    expect(git(['show', 'main:kept.txt'])).toBe('kept\n');
    expect(git(['ls-tree', '-r', 'main'])).not.toMatch(/^160000 /m);
    expect(await messages('added')).toContain(
      'Not merged: sub, committed as a gitlink (a git repository inside the worktree, which no .gitmodules names): the base branch ' +
        'gets no pointer to commits it lacks, and keeps what it had there',
    );
  });
});
