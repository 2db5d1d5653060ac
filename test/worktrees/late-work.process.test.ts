import { sqlText } from '../helpers/sql-text';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import type { WorktreeGcResult } from '../../src/shared/worktree';
import { settleRunStrays } from '../../src/core/worktrees/stray-worktrees';
import type { StrayRun } from '../../src/core/worktrees/run-strays';
import { mergedHead, squashMerge } from '../../src/core/worktrees/merge';
import { mergeMessage } from '../../src/core/worktrees/naming';
import { sweepWorktrees } from '../../src/core/worktrees/sweep';
import { listGitWorktrees } from '../../src/core/worktrees/worktree-list';
import { GIT_ENV, GitProject } from './git-project';

/**
 * Nothing an agent commits is dropped at the end of its run: not what it commits after its own
 * `wg done` merged its work (a late message handed to it by its Stop hook), not what it commits in a
 * worktree of Claude Code's own. Real git, the real `wg` for what agents run; the coordinator's sweep
 * called as it calls it when a run ends.
 */
Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-late-work-');
const scope = async () => ({ store: await p.store(), paths: p.paths });

beforeAll(async () => {
  await p.init({ 'a.txt': 'a\n', 'shared.txt': 'shared\n' });
});
afterAll(() => p.remove());

const task = (id: string) => p.json<Task>(['show', id]);
const messages = async (id: string) => (await task(id)).log.map((l) => l.message);

/** An agent that committed, ran `wg done` (merged onto main), and then committed `file` again. */
async function workAfterDone(taskId: string, agentId: string, file: string, text: string) {
  const agent = await p.startAgent(taskId, agentId);
  p.commit(agent.path, `${taskId}.txt`, 'first\n', 'first');
  await p.ok(['done', taskId], { cwd: agent.path, env: agent.env });
  const merged = p.tip();
  const late = p.commit(agent.path, file, text, 'after the late message');
  return { agent, merged, late };
}

describe('commits an agent makes after its wg done', () => {
  it('are merged onto main by the rule of the first merge once its run ends, and only then is its worktree removed', async () => {
    const { agent, merged } = await workAfterDone('late', 'agent-1', 'late.txt', 'after done\n');
    // While its run goes on, nothing of its worktree is touched.
    await sweepWorktrees(await scope());
    expect(existsSync(agent.path)).toBe(true);
    expect(p.tip()).toBe(merged);

    await p.endAgent('agent-1');
    const notes: string[] = [];
    await sweepWorktrees(await scope(), (line) => notes.push(line));
    expect(p.git(['log', '-1', '--format=%s', 'main']).trim()).toBe('feat: late (agent-1, after done)');
    expect(p.git(['rev-parse', 'main^']).trim()).toBe(merged);
    expect(p.show('main', 'late.txt')).toBe('after done\n');
    const line = `What agent-1 committed on ${agent.branch} after its work was merged was merged onto main as ${p.tip().slice(0, 10)} (late.txt)`;
    expect(notes).toContain(line);
    expect(await messages('late')).toContain(line);
    // The worktree records the newer merge, and goes now that nothing on its branch is missing from main.
    expect((await task('late')).worktree).toMatchObject({ merge_commit: p.tip(), state: 'removed' });
    expect((await (await p.store()).worktrees.get('agent-1')).recover_branch).toBeNull();
    expect(existsSync(agent.path)).toBe(false);
    expect(p.branches('wg/agent-1/*')).toEqual([]);
  });

  it('with new files left uncommitted after the done: they are its work too, committed and merged, and the log says so', async () => {
    const agent = await p.startAgent('late-files', 'agent-20');
    p.commit(agent.path, 'late-files.txt', 'first\n', 'first');
    await p.ok(['done', 'late-files'], { cwd: agent.path, env: agent.env });
    const merged = p.tip();
    p.write('left-after.txt', 'written after done\n', agent.path);
    await p.endAgent('agent-20');
    await sweepWorktrees(await scope());
    expect(p.git(['rev-parse', 'main^']).trim()).toBe(merged);
    expect(p.show('main', 'left-after.txt')).toBe('written after done\n');
    expect(await messages('late-files')).toContain(
      `Committed new files agent-20 left uncommitted after its done on ${agent.branch}: left-after.txt`,
    );
    expect(existsSync(agent.path)).toBe(false);
  });

  it('that conflict with main are kept on a recover/ branch, named in the log; main is unchanged', async () => {
    const { agent, late } = await workAfterDone('clash', 'agent-2', 'shared.txt', 'the agent, late\n');
    p.write('shared.txt', 'a person, meanwhile\n');
    p.git(['commit', '-qam', 'a person edits shared.txt']);
    const tip = p.tip();
    await p.endAgent('agent-2');
    await sweepWorktrees(await scope());
    expect(p.tip()).toBe(tip);
    expect(p.tip('recover/agent-2/clash')).toBe(late);
    expect(await messages('clash')).toContain(
      `What agent-2 committed on ${agent.branch} after its work was merged was not merged (it conflicts with main in shared.txt; nothing changed on main): its commits are kept on recover/agent-2/clash`,
    );
    expect((await task('clash')).worktree?.state).toBe('removed');
    expect((await (await p.store()).worktrees.get('agent-2')).recover_branch).toBe('recover/agent-2/clash');
  });

  it('merged by a coordinator that stopped before recording it are recorded by the next one, not merged again', async () => {
    const { agent } = await workAfterDone('landed', 'agent-42', 'landed-late.txt', 'after done\n');
    await p.endAgent('agent-42');
    // The late merge a coordinator made just before it was killed: on main, in nobody's record.
    const made = await squashMerge({
      cwd: p.dir,
      commonDir: join(p.dir, '.git'),
      worktree: agent.path,
      branch: agent.branch,
      baseBranch: 'main',
      message: mergeMessage('landed', 'agent-42', 'Task landed', agent.branch, 'after done'),
      since: await mergedHead(p.dir, (await (await p.store()).worktrees.get('agent-42')).merge_commit),
    });
    expect(made.kind).toBe('merged');
    const landed = p.tip();
    await sweepWorktrees(await scope());
    expect(p.tip()).toBe(landed);
    expect(await messages('landed')).toContain(
      `What agent-42 committed on ${agent.branch} after its work was merged was merged onto main as ${landed.slice(0, 10)} (landed-late.txt; recorded after a restart)`,
    );
    expect((await task('landed')).worktree).toMatchObject({ merge_commit: landed, state: 'removed' });
  });

  it('on a branch rewritten after the merge (reset, then a new commit) are kept on a recover/ branch; main keeps the merged work', async () => {
    const agent = await p.startAgent('rewritten', 'agent-30');
    p.commit(agent.path, 'important.txt', 'important\n', 'important');
    await p.ok(['done', 'rewritten'], { cwd: agent.path, env: agent.env });
    const merged = p.tip();
    p.git(['reset', '-q', '--hard', 'HEAD~1'], agent.path);
    const late = p.commit(agent.path, 'note.txt', 'note\n', 'follow-up');
    await p.endAgent('agent-30');
    await sweepWorktrees(await scope());
    // Merged as a difference from the merged commit, it deleted important.txt from main.
    expect(p.tip()).toBe(merged);
    expect(p.show('main', 'important.txt')).toBe('important\n');
    expect(p.tip('recover/agent-30/rewritten')).toBe(late);
    const line = (await messages('rewritten')).find((m) => m.startsWith('What agent-30 left on'));
    expect(line).toMatch(
      new RegExp(
        `^What agent-30 left on ${agent.branch} after its work was merged was not merged \\(${agent.branch} was rewritten after the merge and no longer holds [0-9a-f]{10}, the commit merged: merged, it would undo that work \\(important\\.txt\\); nothing changed on main\\): its commits are kept on recover/agent-30/rewritten$`,
      ),
    );
  });

  it('on a branch amended after the merge, keeping what was merged, are merged as any late work', async () => {
    const agent = await p.startAgent('amended', 'agent-43');
    p.commit(agent.path, 'kept.txt', 'kept\n', 'kept');
    await p.ok(['done', 'amended'], { cwd: agent.path, env: agent.env });
    const merged = p.tip();
    p.write('more.txt', 'more\n', agent.path);
    p.git(['add', 'more.txt'], agent.path);
    p.git(['commit', '-q', '--amend', '--no-edit'], agent.path);
    await p.endAgent('agent-43');
    await sweepWorktrees(await scope());
    expect(p.git(['rev-parse', 'main^']).trim()).toBe(merged);
    expect(p.show('main', 'kept.txt')).toBe('kept\n');
    expect(p.show('main', 'more.txt')).toBe('more\n');
    expect(p.branches('recover/agent-43/*')).toEqual([]);
  });

  it('on a branch of its own it checked out after the done are left there, and the log says so', async () => {
    const agent = await p.startAgent('own-branch', 'agent-41');
    p.commit(agent.path, 'own-branch.txt', 'first\n', 'first');
    await p.ok(['done', 'own-branch'], { cwd: agent.path, env: agent.env });
    const merged = p.tip();
    p.git(['checkout', '-q', '-b', 'fixup'], agent.path);
    const late = p.commit(agent.path, 'fixup.txt', 'later\n', 'a fix on a branch of its own');
    await p.endAgent('agent-41');
    await sweepWorktrees(await scope());
    expect(p.tip()).toBe(merged);
    expect(p.tip('fixup')).toBe(late);
    expect(existsSync(agent.path)).toBe(false);
    expect(await messages('own-branch')).toContain(
      `Worktree ${agent.path} removed; it had branch fixup checked out, whose commits were not merged and stay on fixup`,
    );
  });

  it('under the evaluation gate are never merged unevaluated: kept on a recover/ branch', async () => {
    const { agent, merged, late } = await workAfterDone('gated', 'agent-3', 'gated.txt', 'late\n');
    await p.endAgent('agent-3');
    await sweepWorktrees(
      await scope(),
      () => undefined,
      async () => true,
    );
    expect(p.tip()).toBe(merged);
    expect(p.tip('recover/agent-3/gated')).toBe(late);
    expect(await messages('gated')).toContain(
      `What agent-3 committed on ${agent.branch} after its work was merged was not merged (it was never evaluated (the gate merges only work that passed)): its commits are kept on recover/agent-3/gated`,
    );
  });

  it('none at all: the worktree goes as before, even when main has since changed the same file', async () => {
    const agent = await p.startAgent('plain', 'agent-8');
    p.commit(agent.path, 'plain.txt', 'work\n', 'work');
    await p.ok(['done', 'plain'], { cwd: agent.path, env: agent.env });
    p.write('plain.txt', 'changed on main since\n');
    p.git(['commit', '-qam', 'a person changes plain.txt']);
    const tip = p.tip();
    await p.endAgent('agent-8');
    await sweepWorktrees(await scope());
    expect(p.tip()).toBe(tip);
    expect(existsSync(agent.path)).toBe(false);
    expect(p.branches('recover/agent-8/*')).toEqual([]);
    expect((await messages('plain')).some((m) => m.startsWith('What agent-8'))).toBe(false);
  });

  it('none, but a tracked file changed and not committed: the log says so once, and the worktree stays', async () => {
    const agent = await p.startAgent('edited', 'agent-32');
    p.commit(agent.path, 'edited.txt', 'work\n', 'work');
    await p.ok(['done', 'edited'], { cwd: agent.path, env: agent.env });
    p.write('shared.txt', 'a late fix\n', agent.path);
    await p.endAgent('agent-32');
    await sweepWorktrees(await scope());
    await sweepWorktrees(await scope());
    const said = (await messages('edited')).filter((m) => m.startsWith('After its work was merged'));
    expect(said).toEqual([
      `After its work was merged, agent-32 left tracked files modified but not committed in ${agent.path} (shared.txt): not merged; the worktree is kept for you to commit or drop them`,
    ]);
    expect(existsSync(join(agent.path, 'shared.txt'))).toBe(true);
  });

  it('keep the worktree out of wg worktree gc until they are settled', async () => {
    const { agent } = await workAfterDone('kept', 'agent-4', 'kept.txt', 'late\n');
    await p.endAgent('agent-4');
    const gc = await p.json<WorktreeGcResult>(['worktree', 'gc', '--apply']);
    expect(gc.kept.find((k) => k.path === agent.path)?.reason).toBe(
      'its branch has commits made after its merge that are not on the base branch',
    );
    expect(existsSync(agent.path)).toBe(true);
    // The coordinator's sweep settles it: merged, then removed.
    await sweepWorktrees(await scope());
    expect(p.show('main', 'kept.txt')).toBe('late\n');
    expect(existsSync(agent.path)).toBe(false);
  });

  it('a merge a person took off main since is left as it is, not merged again', async () => {
    const before = p.tip();
    const { agent, merged } = await workAfterDone('undone', 'agent-5', 'undone.txt', 'late\n');
    expect(p.tip()).toBe(merged);
    p.git(['reset', '-q', '--hard', before]);
    await p.endAgent('agent-5');
    await sweepWorktrees(await scope());
    expect(p.tip()).toBe(before);
    expect(existsSync(agent.path)).toBe(true);
    expect((await messages('undone')).some((m) => m.startsWith('What agent-5'))).toBe(false);
  });

  it('a message the agent reads after its wg done says so in the log, with the read', async () => {
    const agent = await p.startAgent('told', 'agent-6');
    p.commit(agent.path, 'told.txt', 'work\n', 'work');
    await p.ok(['msg', 'send', 'told', 'one more thing']);
    await p.ok(['msg', 'read', 'told'], { cwd: agent.path, env: agent.env });
    await p.ok(['done', 'told'], { cwd: agent.path, env: agent.env });
    expect((await messages('told')).some((m) => m.includes('after its wg done'))).toBe(false);
    await p.ok(['msg', 'send', 'told', 'and another, late']);
    await p.ok(['msg', 'read', 'told'], { cwd: agent.path, env: agent.env });
    expect(await messages('told')).toContain(
      'Message #2 from user handed to agent-6 after its wg done (the task is done): what it does now is settled when its run ends',
    );
  });
});

/** The run as its start noted it: the repository's worktrees and branches then, no tool calls. */
async function runAsStarted(agentId: string, taskId: string, folder: string): Promise<StrayRun> {
  const worktrees = (await listGitWorktrees(p.dir)).map((w) => w.path);
  const branches = p.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/']).split('\n').filter(Boolean);
  return { agentId, taskId, baseline: { folder, fingerprint: '', head: null, worktrees, branches }, commands: [] };
}

describe("a worktree of Claude Code's own made while a run went", () => {
  /** What Claude Code's EnterWorktree does: a locked worktree under .claude/worktrees/ of the person's checkout. */
  function claudeWorktree(name: string): string {
    const side = join(realpathSync(p.dir), '.claude', 'worktrees', name);
    p.git(['worktree', 'add', '-q', '-b', `worktree-${name}`, side]);
    p.git(['worktree', 'lock', side]);
    return side;
  }

  it('holding commits that only add to its branch: its branch is moved up to them, and they are merged as work after its done', async () => {
    const agent = await p.startAgent('side', 'agent-7');
    const run = await runAsStarted('agent-7', 'side', agent.path);
    const side = claudeWorktree('side');
    const sideCommit = p.commit(side, 'side.txt', 'made outside\n', 'work in the wrong place');
    await p.ok(['done', 'side'], { cwd: agent.path, env: agent.env });
    expect(await messages('side')).toContain(`Nothing to merge: ${agent.branch} adds nothing to main`);

    const lines = await settleRunStrays(await scope(), run);
    const line =
      `The worktree ${side} (branch worktree-side, locked) that agent-7 made held commits that only add to ${agent.branch}: ` +
      `${agent.branch} was moved up to them (${sideCommit.slice(0, 10)}), so they are merged with its work; it is left in place for you (git worktree remove -f -f ${side})`;
    expect(lines).toEqual([line]);
    expect(await messages('side')).toContain(line);
    expect(p.tip(agent.branch)).toBe(sideCommit);
    await p.endAgent('agent-7');
    await sweepWorktrees(await scope());
    expect(p.show('main', 'side.txt')).toBe('made outside\n');
    expect(existsSync(side)).toBe(true);
    // Said once: at the next look it holds nothing new, and its path is in the log already.
    expect(await settleRunStrays(await scope(), run)).toEqual([]);
  });

  it('holding commits its branch lacks and merged with them would conflict: its own merged, the others kept on recover/, named', async () => {
    const agent = await p.startAgent('apart', 'agent-70');
    const run = await runAsStarted('agent-70', 'apart', agent.path);
    const side = claudeWorktree('apart');
    const sideCommit = p.commit(side, 'apart.txt', 'made outside\n', 'work in the wrong place');
    // Its own branch changed the same file another way meanwhile: the two cannot be merged without a conflict.
    p.commit(agent.path, 'apart.txt', 'made here\n', 'own work');
    await p.ok(['done', 'apart'], { cwd: agent.path, env: agent.env });

    const lines = await settleRunStrays(await scope(), run);
    const line =
      `The worktree ${side} (branch worktree-apart, locked) that agent-70 made holds commits that are not on ${agent.branch}: nothing of it ` +
      `is merged with the task's work, and they are kept on recover/agent-70/apart; it is left in place for you (git worktree remove -f -f ${side})`;
    expect(lines).toEqual([line]);
    expect(await messages('apart')).toContain(line);
    expect(p.tip('recover/agent-70/apart')).toBe(sideCommit);
    expect(existsSync(side)).toBe(true);
    expect(p.show('main', 'apart.txt')).toBe('made here\n');
    // Only a new one is reported: a run that started after it finds nothing new.
    expect(await settleRunStrays(await scope(), await runAsStarted('agent-70', 'apart', agent.path))).toEqual([]);
  });

  it('holding commits its branch lacks that merge cleanly with its own: merged into its branch, then onto main with its work', async () => {
    const agent = await p.startAgent('both', 'agent-71');
    const run = await runAsStarted('agent-71', 'both', agent.path);
    const side = claudeWorktree('both');
    p.commit(side, 'both-side.txt', 'made outside\n', 'work in a worktree of its own');
    p.commit(agent.path, 'both-own.txt', 'made here\n', 'own work');
    const [line] = await settleRunStrays(await scope(), run);
    expect(line).toMatch(
      new RegExp(
        `^The worktree ${side} \\(branch worktree-both, locked\\) that agent-71 made held commits ${agent.branch} lacked: they were merged into it \\([0-9a-f]{10}\\), so they are merged with its work; it is left in place for you \\(git worktree remove -f -f ${side}\\)$`,
      ),
    );
    await p.ok(['done', 'both'], { cwd: agent.path, env: agent.env });
    expect(p.show('main', 'both-side.txt')).toBe('made outside\n');
    expect(p.show('main', 'both-own.txt')).toBe('made here\n');
  });
});

describe('a branch made while a run went', () => {
  it('is its own when its commands name it: taken onto its branch and merged; one a person made meanwhile is left alone', async () => {
    const agent = await p.startAgent('branchy', 'agent-72');
    const run = { ...(await runAsStarted('agent-72', 'branchy', agent.path)), commands: ['{"command":"git checkout -b feature"}'] };
    // It checks out a branch of its own, commits there, and goes back to its own: the merge follows HEAD, not that.
    p.git(['checkout', '-q', '-b', 'feature'], agent.path);
    const featureCommit = p.commit(agent.path, 'feature.txt', 'on a branch of its own\n', 'feature');
    p.git(['checkout', '-q', agent.branch], agent.path);
    // A person's branch meanwhile, with a commit of theirs: no command of the run names it.
    const tree = p.git(['rev-parse', 'main^{tree}']).trim();
    const theirs = p.git(['commit-tree', tree, '-p', 'main', '-m', 'theirs']).trim();
    p.git(['branch', 'mine', theirs]);

    expect(await settleRunStrays(await scope(), run)).toEqual([
      `The branch feature that agent-72 made held commits that only add to ${agent.branch}: ${agent.branch} was moved up to them ` +
        `(${featureCommit.slice(0, 10)}), so they are merged with its work`,
    ]);
    await p.ok(['done', 'branchy'], { cwd: agent.path, env: agent.env });
    expect(p.show('main', 'feature.txt')).toBe('on a branch of its own\n');
    expect((await messages('branchy')).some((m) => m.includes('mine'))).toBe(false);
    expect(p.git(['branch', '--list', 'recover/agent-72/*']).trim()).toBe('');
    expect(p.tip('mine')).toBe(theirs);
  });
});

describe('a task marked done in graph.jsonl while its agent worked (upstream wg done, a hand edit)', () => {
  it('has its work merged once the run ends, as a done would have, not only kept on a recover/ branch', async () => {
    const agent = await p.startAgent('elsewhere', 'agent-31');
    p.commit(agent.path, 'feature.txt', 'feature\n', 'feature');
    // What the sync takes in from such a line: the status, no merge, and the work held to merge when the run ends.
    const store = await p.store();
    await store.core.write(async (rev) => {
      await sqlText(store.core, "UPDATE tasks SET status = 'done' WHERE id = 'elsewhere'").run();
      await store.worktrees.update('agent-31', { merge_at_end: 1 }, rev);
    });
    await p.endAgent('agent-31');
    await sweepWorktrees(await scope());
    expect(p.show('main', 'feature.txt')).toBe('feature\n');
    expect(await messages('elsewhere')).toEqual(
      expect.arrayContaining([
        `elsewhere was marked done while agent-31 worked in ${agent.path}: its work is merged, as the done's would have been`,
        expect.stringMatching(/^Merged wg\/agent-31\/elsewhere onto main as [0-9a-f]{10}$/),
      ]),
    );
    expect(p.git(['branch', '--list', 'recover/*'])).not.toContain('agent-31');
  });

  it('leaves alone a done a person made past the unmerged work: its .merge-X is theirs to do', async () => {
    const agent = await p.startAgent('past', 'agent-33');
    p.commit(agent.path, 'past.txt', 'work\n', 'work');
    p.write('shared.txt', 'not committed\n', agent.path);
    await p.ok(['done', 'past', '--ignore-unmerged-worktree']);
    await p.endAgent('agent-33');
    const tip = p.tip();
    await sweepWorktrees(await scope());
    expect(p.tip()).toBe(tip);
    expect((await messages('past')).some((m) => m.includes('was marked done while'))).toBe(false);
    expect((await task('.merge-past')).status).toBe('open');
  });
});
