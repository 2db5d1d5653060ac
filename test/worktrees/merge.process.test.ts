import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { squashMerge, type MergeRequest } from '../../src/core/worktrees/merge';
import { writeJournal } from '../../src/core/worktrees/merge-journal';
import { sweepWorktrees } from '../../src/core/worktrees/sweep';
import { mergeMessage } from '../../src/core/worktrees/naming';
import { prepareRunWorktree } from '../../src/core/worktrees/run-worktree';
import { GIT_ENV, GitProject } from './git-project';

Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-merge-');
let seq = 0;

beforeAll(async () => {
  await p.init({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'shared.txt': 'line 1\nline 2\n', '.gitignore': 'ignored/\n' });
});
afterAll(() => p.remove());

/** A task with an agent worktree whose branch commits `files` (a null text deletes the file). */
async function agentWork(files: Record<string, string | null>, commit = true): Promise<MergeRequest & { taskId: string; agentId: string }> {
  seq++;
  const taskId = `task-${seq}`;
  const agentId = `agent-${seq}`;
  await p.ok(['add', `Task ${seq}`, '--id', taskId]);
  const wt = await prepareRunWorktree({
    store: await p.store(),
    paths: p.paths,
    settings: { coordinator: DEFAULT_SETTINGS.coordinator },
    taskId,
    agentId,
    executorType: 'shell',
    // A shell command runs in the project folder unless its profile asks for a worktree: these ask.
    worktree: true,
  });
  if (!wt) throw new Error('no worktree');
  for (const [path, text] of Object.entries(files)) {
    if (text === null) p.git(['rm', '-q', path], wt.path);
    else p.write(path, text, wt.path);
  }
  if (commit) {
    p.git(['add', '-A', '-f'], wt.path);
    p.git(['commit', '-q', '-m', `work of ${agentId}`], wt.path);
  }
  return {
    taskId,
    agentId,
    cwd: p.dir,
    commonDir: join(p.dir, '.git'),
    worktree: wt.path,
    branch: wt.branch,
    baseBranch: 'main',
    message: mergeMessage(taskId, agentId, `Task ${seq}`, wt.branch),
  };
}

const bytes = (path: string) => readFileSync(join(p.dir, path));

describe('the squash merge onto the base branch', () => {
  it('makes ONE commit "feat: <task> (<agent>)" on the base tip and brings the project folder along', async () => {
    const work = await agentWork({ 'a.txt': 'a by the agent\n', 'new/file.txt': 'new\n', 'b.txt': null });
    p.git(['commit', '-q', '--allow-empty', '-m', 'second agent commit'], work.worktree);
    const before = p.tip();
    const outcome = await squashMerge(work);
    expect(outcome.kind).toBe('merged');
    if (outcome.kind !== 'merged') return;
    expect(p.tip()).toBe(outcome.commit);
    expect(p.git(['rev-parse', `${outcome.commit}^`]).trim()).toBe(before);
    expect(p.git(['rev-list', '--count', `${before}..main`]).trim()).toBe('1');
    expect(p.git(['log', '-1', '--format=%B', 'main'])).toBe(
      `feat: ${work.taskId} (${work.agentId})\n\nTask ${seq}\n\nSquash-merged from worktree branch ${work.branch}\n\nWorktree-Head: ${p.tip(work.branch)}\n\n`,
    );
    expect(p.show('main', 'a.txt')).toBe('a by the agent\n');
    // The person's checkout (clean) follows: files changed, added and deleted on disk, status clean.
    expect(p.read('a.txt')).toBe('a by the agent\n');
    expect(p.read('new/file.txt')).toBe('new\n');
    expect(() => p.read('b.txt')).toThrow();
    expect(p.git(['status', '--porcelain', '--untracked-files=no'])).toBe('');
  });

  it("leaves the person's uncommitted edits byte for byte, whether the merge touches those files or not", async () => {
    // Edits of every kind, with bytes that would show any rewrite (no final newline, CRLF, binary).
    const writes: Array<[string, Buffer]> = [
      ['shared.txt', Buffer.from('person: not the same file\r\nno newline at end')], // tracked, staged, not in the merge
      ['a.txt', Buffer.from([0, 1, 2, 255, 10, 13, 10])], // tracked, modified, changed by the merge too
      ['notes.txt', Buffer.from('untracked notes\n')], // untracked, not in the merge
      ['gen.txt', Buffer.from('the person made this\n')], // untracked, added by the merge
      ['ignored/cache.bin', Buffer.from('ignored data')], // ignored, added (forced) by the merge
    ];
    for (const [path, data] of writes) p.write(path, data);
    p.git(['add', 'shared.txt']); // staged, too
    const statusBefore = p.git(['status', '--porcelain']);
    const work = await agentWork({
      'a.txt': 'agent version of a\n',
      'gen.txt': 'the agent made this\n',
      'ignored/cache.bin': 'agent data',
      'c.txt': 'c\n',
    });
    const outcome = await squashMerge(work);
    expect(outcome.kind).toBe('merged');
    for (const [path, data] of writes) expect(bytes(path).equals(data), path).toBe(true);
    if (outcome.kind !== 'merged') return;
    expect(p.show('main', 'a.txt')).toBe('agent version of a\n');
    expect(p.show('main', 'gen.txt')).toBe('the agent made this\n');
    // What the person did not touch is brought up to date; what they did is named in the note.
    expect(p.read('c.txt')).toBe('c\n');
    expect(outcome.checkouts[0]?.kept.sort()).toEqual(['a.txt', 'gen.txt', 'ignored/cache.bin']);
    expect(outcome.checkouts[0]?.notes).toEqual([
      expect.stringMatching(
        /^Project folder not fully updated: kept your uncommitted changes to a\.txt, gen\.txt, ignored\/cache\.bin in /,
      ),
    ]);
    // The person's staging survives, and a plain commit can no longer undo the merge.
    expect(p.git(['diff', '--cached', '--name-only'])).toBe('shared.txt\n');
    expect(statusBefore).toContain('M  shared.txt');
    // Clean up for the next tests: the person commits their staged edit and drops the rest.
    p.git(['commit', '-q', '-m', 'person commits shared.txt']);
    p.git(['checkout', '-q', '--', '.']);
    p.git(['clean', '-q', '-fdx', '--exclude=.workgraph', '--exclude=.wg-worktrees']);
  });

  it("merges the agent's change into the person's staged and unstaged edits of the same file, so neither a plain git commit nor git commit -a undoes it", async () => {
    p.write('staged.txt', 'line1\nline2\nline3\nline4\nline5\n');
    p.write('unstaged.txt', 'line1\nline2\nline3\nline4\nline5\n');
    p.git(['add', 'staged.txt', 'unstaged.txt']);
    p.git(['commit', '-q', '-m', 'two files']);
    // The person edits line 1 of both, and stages one; then edits the staged one again (staged and unstaged differ).
    p.write('staged.txt', 'line1-person\nline2\nline3\nline4\nline5\n');
    p.git(['add', 'staged.txt']);
    p.write('staged.txt', 'line1-person\nline2-later\nline3\nline4\nline5\n');
    p.write('unstaged.txt', 'line1-person\nline2\nline3\nline4\nline5\n');
    const work = await agentWork({
      'staged.txt': 'line1\nline2\nline3\nline4\nline5-agent\n',
      'unstaged.txt': 'line1\nline2\nline3\nline4\nline5-agent\n',
    });
    const outcome = await squashMerge(work);
    expect(outcome.kind).toBe('merged');
    if (outcome.kind !== 'merged') return;
    // As `git stash; update; git stash pop --index` would leave them: each side of the person's work gets the agent's line.
    expect(p.read('staged.txt')).toBe('line1-person\nline2-later\nline3\nline4\nline5-agent\n');
    expect(p.git(['show', ':staged.txt'])).toBe('line1-person\nline2\nline3\nline4\nline5-agent\n');
    expect(p.read('unstaged.txt')).toBe('line1-person\nline2\nline3\nline4\nline5-agent\n');
    expect(p.git(['show', ':unstaged.txt'])).toBe('line1\nline2\nline3\nline4\nline5-agent\n');
    expect(p.git(['status', '--porcelain', '--', 'staged.txt', 'unstaged.txt'])).toBe('MM staged.txt\n M unstaged.txt\n');
    expect(outcome.checkouts[0]?.kept).toEqual([]);
    expect(outcome.checkouts[0]?.notes).toEqual([
      expect.stringMatching(/^Project folder: merged the agent's changes into your uncommitted changes to staged\.txt, unstaged\.txt in /),
    ]);
    // A plain commit, then commit -a: the agent's line stays.
    p.git(['commit', '-q', '-m', 'person: staged']);
    expect(p.show('main', 'staged.txt')).toBe('line1-person\nline2\nline3\nline4\nline5-agent\n');
    p.git(['commit', '-q', '-am', 'person: the rest']);
    expect(p.show('main', 'staged.txt')).toBe('line1-person\nline2-later\nline3\nline4\nline5-agent\n');
    expect(p.show('main', 'unstaged.txt')).toBe('line1-person\nline2\nline3\nline4\nline5-agent\n');
  });

  it('keeps a staged or unstaged edit that overlaps the merge as it was, and says what committing it would undo and how to see it', async () => {
    p.write('staged.txt', 'line1-person\nline2\nline3\nline4\nline5-person\n');
    p.git(['add', 'staged.txt']);
    p.write('unstaged.txt', 'line1-person\nline2\nline3\nline4\nline5-person\n');
    const work = await agentWork({
      'staged.txt': 'line1-person\nline2\nline3\nline4\nline5-again\n',
      'unstaged.txt': 'line1-person\nline2\nline3\nline4\nline5-again\n',
    });
    const outcome = await squashMerge(work);
    expect(outcome.kind).toBe('merged');
    if (outcome.kind !== 'merged') return;
    expect(p.read('staged.txt')).toBe('line1-person\nline2\nline3\nline4\nline5-person\n');
    expect(p.git(['show', ':staged.txt'])).toBe('line1-person\nline2\nline3\nline4\nline5-person\n');
    expect(p.read('unstaged.txt')).toBe('line1-person\nline2\nline3\nline4\nline5-person\n');
    // The unstaged file's index entry is the merge's, so only `git commit -a` (or an add) takes the person's version.
    expect(p.git(['show', ':unstaged.txt'])).toBe('line1-person\nline2\nline3\nline4\nline5-again\n');
    expect(outcome.checkouts[0]?.kept).toEqual(['staged.txt', 'unstaged.txt']);
    expect(outcome.checkouts[0]?.notes).toEqual([
      expect.stringMatching(
        /^Project folder not fully updated: your staged staged\.txt in .* overlaps the agent's change and is kept as you staged it: a plain git commit now would undo the agent's change to it \(see git diff --cached -- staged\.txt\)$/,
      ),
      expect.stringMatching(
        /^Project folder not fully updated: kept your uncommitted changes to unstaged\.txt in .* as they were \(they overlap the agent's change\): committing them as they are \(git commit -a\) would undo the agent's change to them \(see git diff HEAD -- unstaged\.txt\)$/,
      ),
    ]);
    p.git(['reset', '-q', '--hard']);
  });

  it('does not move the base branch under a checkout in the middle of a merge (its commit would drop the merge), until it is committed', async () => {
    p.git(['checkout', '-q', '-b', 'side']);
    p.write('a.txt', 'side version\n');
    p.git(['commit', '-q', '-am', 'side']);
    p.git(['checkout', '-q', 'main']);
    p.write('a.txt', 'main version\n');
    p.git(['commit', '-q', '-am', 'main']);
    expect(p.gitFails(['merge', '-q', 'side'])).toBe(1);
    const conflicted = p.read('a.txt');
    const tip = p.git(['rev-parse', 'main']).trim();
    const work = await agentWork({ 'd.txt': 'd\n' });
    // Conflicted: nothing moves, nothing in the checkout changes.
    expect(await squashMerge(work)).toMatchObject({
      kind: 'busy',
      files: ['a.txt'],
      why: expect.stringMatching(/^main is checked out at .*, and a merge or rebase is in progress there \(a\.txt\)$/),
    });
    expect(p.git(['rev-parse', 'main']).trim()).toBe(tip);
    expect(p.read('a.txt')).toBe(conflicted);
    // Resolved and staged, its commit still to come (only MERGE_HEAD says so): still not moved under it.
    p.write('a.txt', 'resolved\n');
    p.git(['add', 'a.txt']);
    expect(await squashMerge(work)).toMatchObject({ kind: 'busy', files: [], why: expect.stringMatching(/a merge is in progress there$/) });
    expect(p.git(['rev-parse', 'main']).trim()).toBe(tip);
    // The person commits the merge; the agent's work is merged after it, and the person's next commit keeps it.
    p.git(['commit', '-q', '--no-edit']);
    const outcome = await squashMerge(work);
    expect(outcome.kind).toBe('merged');
    expect(p.show('main', 'd.txt')).toBe('d\n');
    expect(p.show('main', 'a.txt')).toBe('resolved\n');
    expect(p.read('d.txt')).toBe('d\n');
  });

  it('does not move the base branch while it is being rebased (HEAD detached there), until the rebase is finished', async () => {
    p.git(['checkout', '-q', '-b', 'upstream']);
    p.write('a.txt', 'upstream version\n');
    p.git(['commit', '-q', '-am', 'upstream']);
    p.git(['checkout', '-q', 'main']);
    p.write('a.txt', 'main version again\n');
    p.git(['commit', '-q', '-am', 'main again']);
    const work = await agentWork({ 'rebased.txt': 'r\n' });
    // `git pull --rebase` stopped on a conflict: HEAD is detached, and git's rebase-merge/head-name names main.
    expect(p.gitFails(['rebase', 'upstream'])).toBe(1);
    const tip = p.tip();
    expect(await squashMerge(work)).toMatchObject({
      kind: 'busy',
      files: ['a.txt'],
      why: expect.stringMatching(/^main is being rebased at .*: a rebase is in progress there \(a\.txt\)$/),
    });
    expect(p.tip()).toBe(tip);
    // Resolved (main's side kept, so the agent's branch, made before the rebase, still merges) and staged, the rebase not yet continued: still not moved under it.
    p.write('a.txt', 'main version again\n');
    p.git(['add', 'a.txt']);
    expect(await squashMerge(work)).toMatchObject({
      kind: 'busy',
      why: expect.stringMatching(/^main is being rebased at .*: a rebase is in progress there$/),
    });
    expect(p.tip()).toBe(tip);
    p.git(['-c', 'core.editor=true', 'rebase', '--continue']);
    expect((await squashMerge(work)).kind).toBe('merged');
    expect(p.git(['log', '-3', '--format=%s', 'main'])).toMatch(/^feat: .*\nmain again\nupstream\n$/);
    expect(p.read('rebased.txt')).toBe('r\n');
  });

  it('refuses uncommitted tracked changes, and merges nothing', async () => {
    const work = await agentWork({ 'a.txt': 'changed, never committed\n' }, false);
    const before = p.tip();
    expect(await squashMerge(work)).toEqual({ kind: 'dirty', files: ['a.txt'], recovered: [] });
    expect(p.tip()).toBe(before);
  });

  it('on a conflict changes nothing on the base branch and lists the conflicting files', async () => {
    const first = await agentWork({ 'shared.txt': 'line 1 by the first agent\nline 2\n', 'x.txt': 'x\n' });
    const second = await agentWork({ 'shared.txt': 'line 1 by the second agent\nline 2\n', 'x.txt': 'other x\n', 'y.txt': 'y\n' });
    expect((await squashMerge(first)).kind).toBe('merged');
    const tip = p.tip();
    const checkout = p.git(['status', '--porcelain']);
    expect(await squashMerge(second)).toEqual({ kind: 'conflict', files: ['shared.txt', 'x.txt'], recovered: [] });
    expect(p.tip()).toBe(tip);
    expect(p.git(['status', '--porcelain'])).toBe(checkout);
    // The agent merges the base into its branch, resolves, commits: then it merges.
    expect(p.gitFails(['merge', '-q', 'main'], second.worktree)).toBe(1);
    p.write('shared.txt', 'line 1 by both agents\nline 2\n', second.worktree);
    p.write('x.txt', 'x, resolved\n', second.worktree);
    p.git(['commit', '-q', '-am', 'merge main'], second.worktree);
    const resolved = await squashMerge(second);
    expect(resolved.kind).toBe('merged');
    expect(p.show('main', 'shared.txt')).toBe('line 1 by both agents\nline 2\n');
    expect(p.show('main', 'y.txt')).toBe('y\n');
  });

  it('says so when the branch adds nothing, and finds a merge that was made but never recorded', async () => {
    const empty = await agentWork({}, false);
    expect(await squashMerge(empty)).toEqual({ kind: 'nothing', untracked: [], gitlinks: [], recovered: [] });
    const work = await agentWork({ 'z.txt': 'z\n' });
    const merged = await squashMerge(work);
    expect(merged.kind).toBe('merged');
    expect(await squashMerge(work)).toMatchObject({ kind: 'already', commit: merged.kind === 'merged' ? merged.commit : '' });
  });

  it('never brings a git repository the agent committed inside its worktree onto the base as a gitlink; a declared submodule merges', async () => {
    const work = await agentWork({ 'kept.txt': 'kept\n' }, false);
    // A repository of its own in the worktree (a clone, a `git init`), then the agent's own `git add -A`: a gitlink.
    p.git(['init', '-q', 'sub'], work.worktree);
    p.commit(join(work.worktree, 'sub'), 'inside.txt', 'inside\n', 'its own history');
    p.git(['add', '-A'], work.worktree);
    p.git(['commit', '-q', '-m', `work of ${work.agentId}`], work.worktree);
    expect(p.git(['ls-tree', work.branch, 'sub'])).toMatch(/^160000 commit /);
    const merged = await squashMerge(work);
    expect(merged).toMatchObject({ kind: 'merged', gitlinks: ['sub'] });
    expect(p.show('main', 'kept.txt')).toBe('kept\n');
    expect(p.git(['ls-tree', '-r', 'main'])).not.toMatch(/^160000 /m);
    // Only a gitlink in the branch: nothing to merge at all.
    const only = await agentWork({}, false);
    p.git(['init', '-q', 'lone'], only.worktree);
    p.commit(join(only.worktree, 'lone'), 'x.txt', 'x\n', 'x');
    p.git(['add', '-A'], only.worktree);
    p.git(['commit', '-q', '-m', 'a gitlink only'], only.worktree);
    expect(await squashMerge(only)).toMatchObject({ kind: 'nothing', gitlinks: ['lone'] });

    // One .gitmodules names is a submodule's pointer, the agent's change to it merged as any change.
    const declared = await agentWork({ '.gitmodules': '[submodule "lib"]\n\tpath = lib\n\turl = ../lib.git\n' }, false);
    p.git(['clone', '-q', join(work.worktree, 'sub'), 'lib'], declared.worktree);
    const lib = p.git(['rev-parse', 'HEAD'], join(declared.worktree, 'lib')).trim();
    p.git(['add', '.gitmodules', 'lib'], declared.worktree);
    p.git(['commit', '-q', '-m', 'a submodule'], declared.worktree);
    expect(await squashMerge(declared)).toMatchObject({ kind: 'merged', gitlinks: [] });
    expect(p.git(['ls-tree', 'main', 'lib'])).toBe(`160000 commit ${lib}\tlib\n`);
  });

  it("finishes the checkout update of a merge a crash interrupted after the branch moved (the coordinator's sweep)", async () => {
    const work = await agentWork({ 's.txt': 's\n', 'a.txt': 'a before the crash\n' });
    p.write('b.txt', 'b by the person, not committed\n');
    // What a crash between update-ref and the checkout's update leaves: the journal, main moved, the files not.
    const tip = p.tip();
    const tree = p.git(['merge-tree', '--write-tree', tip, work.branch]).trim();
    const commit = p.git(['commit-tree', tree, '-p', tip, '-m', work.message]).trim();
    writeJournal(work.commonDir, { branch: 'main', previous: tip, commit });
    p.git(['update-ref', 'refs/heads/main', commit, tip]);
    expect(existsSync(join(p.dir, 's.txt'))).toBe(false);
    expect(p.git(['status', '--porcelain', '--', 's.txt', 'a.txt'])).not.toBe('');

    const notes: string[] = [];
    await sweepWorktrees({ store: await p.store(), paths: p.paths }, (line) => notes.push(line));
    expect(notes).toEqual([`Finished updating the checkout of main after an interrupted merge (${commit.slice(0, 10)})`]);
    expect(p.read('s.txt')).toBe('s\n');
    expect(p.read('a.txt')).toBe('a before the crash\n');
    expect(p.read('b.txt')).toBe('b by the person, not committed\n');
    expect(p.git(['status', '--porcelain', '--', 's.txt', 'a.txt', 'b.txt'])).toBe('?? b.txt\n');
    expect(existsSync(join(work.commonDir, 'wg-merge-pending.json'))).toBe(false);
  });
});
