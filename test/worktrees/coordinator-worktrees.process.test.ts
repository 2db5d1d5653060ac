import { everyAsync, findAsync, someAsync } from '../../src/shared/async-arrays';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorktreeGcResult, WorktreeInfo } from '../../src/shared/worktree';
import { runHandle } from '../../src/core/run-folder/run-handle';
import { killRuns } from '../../src/core/processes/kill-runs';
import { readServiceState } from '../../src/core/service-state/state-file';
import { waitFor } from '../service/helpers/daemon-project';
import { GitProject } from './git-project';

/**
 * The real daemon running shell tasks, each in its own worktree of a real repository, that write
 * and commit files: what the coordinator does with their work (merge on done, on an exit 0, on a
 * conflict, on a kill), and that the person's own uncommitted edits never move.
 */
const p = new GitProject('wg-wt-run-');
const R = p.root;
/** Waits (up to 15 s) for a marker file another task's script touches. */
const waitMark = (name: string) => `i=0; while [ ! -e ${R}/${name} ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i+1)); done`;
const PERSON_README = '# project\n\nmy own edit, not committed\n';
const PERSON_NOTES = 'untracked notes of the person\n';

const task = async (id: string) => (await p.store()).get(id);
const agentOf = async (id: string) => (await (await p.store()).agents.forTask(id)).at(-1)?.id ?? '';
const worktrees = () => p.json<WorktreeInfo[]>(['worktree', 'list']);

beforeAll(async () => {
  await p.init({ 'README.md': '# project\n', 'shared.txt': 'shared\n' });
  await p.ok(['config', '--poll-interval', '3600']);
  // Shell commands run in the project folder unless their profile asks for a worktree: these tasks ask.
  await p.ok(['executor', 'add', 'shell', '--type', 'shell', '--worktree', 'true']);
  // The person's own work in the project folder: a tracked file changed, an untracked one.
  p.write('README.md', PERSON_README);
  p.write('notes.txt', PERSON_NOTES);
  await p.ok(['service', 'start', '--max-agents', '3', '--json']);
});

afterAll(() => p.killAllAndRemove());

/** Writes NAME.txt, waits until OTHER has written its own, notes whether it can see it, commits. */
function isolated(name: string, other: string, then: string): string {
  return [
    `echo ${name} > ${name}.txt`,
    `touch ${R}/wrote-${name}`,
    waitMark(`wrote-${other}`),
    `if [ -e ${other}.txt ]; then touch ${R}/${name}-saw-${other}; fi`,
    `echo "$(pwd)|$WG_WORKTREE_PATH|$WG_BRANCH|$WG_PROJECT_ROOT" > ${R}/${name}-env`,
    `git add ${name}.txt && git commit -qm "${name} work"`,
    then,
  ].join('; ');
}

describe('agents in their own worktrees, run by the coordinator', () => {
  it("two agents work side by side without seeing each other's files; both merge, one squash commit each; a dependent sees both", async () => {
    const before = p.tip();
    await p.ok(['add', 'Task a', '--id', 'a', '--exec', isolated('a', 'b', 'wg done $WG_TASK_ID')]);
    // b ends with exit 0 and no `wg done`: the coordinator merges it as a done.
    await p.ok(['add', 'Task b', '--id', 'b', '--exec', isolated('b', 'a', 'exit 0')]);
    await p.ok([
      'add',
      'Task c',
      '--id',
      'c',
      '--after',
      'a,b',
      '--exec',
      'test -f a.txt && test -f b.txt && echo c > c.txt && git add c.txt && git commit -qm "c work" && wg done $WG_TASK_ID',
    ]);
    await waitFor('a, b and c done', () => everyAsync(['a', 'b', 'c'], async (id) => (await task(id)).status === 'done'), 60_000);

    // They ran at once (each saw the other's marker) in worktrees of their own, told where.
    for (const [name, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      expect(existsSync(join(R, `wrote-${other}`))).toBe(true);
      expect(existsSync(join(R, `${name}-saw-${other}`)), `${name} saw ${other}'s uncommitted file`).toBe(false);
      const agent = await agentOf(name);
      const folder = join(p.dir, '.wg-worktrees', agent);
      expect(readFileSync(join(R, `${name}-env`), 'utf8').trim()).toBe(`${folder}|${folder}|wg/${agent}/${name}|${p.dir}`);
    }
    // One squash commit each on main, recorded on its task; c's on top, made from a base with both.
    const subjects = p
      .git(['log', '--format=%s', `${before}..main`])
      .trim()
      .split('\n');
    expect(subjects).toHaveLength(3);
    expect(subjects[0]).toBe(`feat: c (${await agentOf('c')})`);
    expect(subjects.slice(1).sort()).toEqual([`feat: a (${await agentOf('a')})`, `feat: b (${await agentOf('b')})`].sort());
    for (const id of ['a', 'b', 'c']) {
      const merged = (await task(id)).worktree;
      // Merged, and maybe swept already (the merge commit stays on the record).
      expect(['merged', 'removed']).toContain(merged?.state);
      expect(p.git(['log', '-1', '--format=%s', merged?.merge_commit ?? 'none'])).toBe(`feat: ${id} (${await agentOf(id)})\n`);
      expect(p.show('main', `${id}.txt`)).toBe(`${id}\n`);
      // The run's own reports carried its run id: the done is the agent's, not a person's.
      if (id !== 'b') expect((await task(id)).log.find((l) => l.message === 'Task marked done')?.actor).toBe(await agentOf(id));
      else
        expect(
          (
            await findAsync(
              (
                await task(id)
              ).log,
              async (l) => l.message === `Task done: agent ${await agentOf(id)} exited 0 without wg done; its work was merged`,
            )
          )?.actor,
        ).toBe('coordinator');
    }
    expect((await task('b')).log.some((l) => l.message.startsWith('Merged wg/'))).toBe(true);
    // The person's edits are byte for byte as they were; their checkout got the new files.
    expect(p.read('README.md')).toBe(PERSON_README);
    expect(p.read('notes.txt')).toBe(PERSON_NOTES);
    expect(p.read('c.txt')).toBe('c\n');
    // Merged worktrees of done tasks are swept by the coordinator itself.
    await waitFor('the merged worktrees removed', () =>
      everyAsync(['a', 'b', 'c'], async (id) => !existsSync(join(p.dir, '.wg-worktrees', await agentOf(id)))),
    );
  });

  it('new files a run leaves uncommitted are committed on its branch and merged (they stayed behind in its worktree, the task done)', async () => {
    await p.ok(['add', 'Task n', '--id', 'n', '--exec', 'echo built > built.txt && mkdir -p out && echo y > out/y.txt && exit 0']);
    await waitFor('n done', async () => (await task('n')).status === 'done', 60_000);
    expect(p.show('main', 'built.txt')).toBe('built\n');
    expect(p.show('main', 'out/y.txt')).toBe('y\n');
    expect(
      await someAsync(
        (await task('n')).log,
        async (l) =>
          l.message === `Committed new files ${await agentOf('n')} left uncommitted on wg/${await agentOf('n')}/n: built.txt, out/y.txt`,
      ),
    ).toBe(true);
    expect((await task('n')).worktree?.merge_commit).toBeTruthy();
  });

  it("files a run writes into a folder the worktree's setup script made are its work: committed and merged, the setup's own file not", async () => {
    const script = join(p.paths.dir, 'worktree-setup.sh');
    writeFileSync(script, 'mkdir -p "$1/made" && echo stamp > "$1/made/.stamp"\n');
    chmodSync(script, 0o755);
    try {
      await p.ok(['add', 'Task m', '--id', 'm', '--exec', 'echo result > made/result.txt && exit 0']);
      await waitFor('m done', async () => (await task('m')).status === 'done', 60_000);
      expect(p.show('main', 'made/result.txt')).toBe('result\n');
      expect(p.git(['ls-tree', '-r', '--name-only', 'main', 'made'])).toBe('made/result.txt\n');
      expect(
        await someAsync(
          (await task('m')).log,
          async (l) =>
            l.message === `Committed new files ${await agentOf('m')} left uncommitted on wg/${await agentOf('m')}/m: made/result.txt`,
        ),
      ).toBe(true);
    } finally {
      rmSync(script);
    }
  });

  it("a run's own wg done commits the new files it left on its branch and merges them, as an exit 0 does (they stayed behind, the task done)", async () => {
    await p.ok(['add', 'Task s', '--id', 's', '--exec', 'echo mine > self.txt && wg done $WG_TASK_ID']);
    await waitFor('s done', async () => (await task('s')).status === 'done', 60_000);
    expect(p.show('main', 'self.txt')).toBe('mine\n');
    expect(
      await someAsync(
        (await task('s')).log,
        async (l) => l.message === `Committed new files ${await agentOf('s')} left uncommitted on wg/${await agentOf('s')}/s: self.txt`,
      ),
    ).toBe(true);
    expect((await task('s')).log.some((l) => l.message.startsWith('Not merged:'))).toBe(false);
    expect((await task('s')).worktree?.merge_commit).toBeTruthy();
    await waitFor('its worktree removed', async () => !existsSync(join(p.dir, '.wg-worktrees', await agentOf('s'))));
  });

  it("what a finished run's background process commits as it is stopped is merged, and its worktree and branch go once it is stopped", async () => {
    // The background loop outlives the run; stopped a moment after the run's end (SIGTERM), it commits once more:
    // after the sweep at the run's end, which also kept the worktree because a process of the run was alive.
    const late = `trap 'echo late > late.txt; git add late.txt; git commit -qm late; exit 0' TERM; while :; do sleep 0.1; done`;
    await p.ok([
      'add',
      'Task bg',
      '--id',
      'bg',
      '--exec',
      `echo w > w.txt; git add w.txt; git commit -qm w; wg done $WG_TASK_ID; (${late}) > /dev/null 2>&1 & exit 0`,
    ]);
    await waitFor('bg done', async () => (await task('bg')).status === 'done', 60_000);
    const agent = await agentOf('bg');
    const lateLine = new RegExp(
      `^What ${agent} committed on wg/${agent}/bg after its work was merged was merged onto main as \\w+ \\(late\\.txt\\)$`,
    );
    const log = await waitFor(
      'the late commit merged, and the log saying so',
      async () => {
        const messages = (await task('bg')).log.map((l) => l.message);
        return messages.some((m) => lateLine.test(m)) && messages;
      },
      // A hang guard: at load 14 a whole suite's run took more than 30 s over the stop, the late commit and its merge.
      90_000,
    );
    expect(p.show('main', 'late.txt')).toBe('late\n');
    // The log's last word on the merge comes after the stop.
    const stopped = log.findIndex((m) => m.startsWith(`Stopped what ${agent} left running`));
    expect(stopped, log.join('\n')).toBeGreaterThan(-1);
    expect(log.findIndex((m) => lateLine.test(m))).toBeGreaterThan(stopped);
    await waitFor(
      'its worktree and branch removed',
      () => !existsSync(join(p.dir, '.wg-worktrees', agent)) && p.branches(`wg/${agent}/*`).length === 0,
    );
  });

  it('commits an agent made on a branch of its own or a detached HEAD in its worktree are what its wg done merges; when they and its wg/ branch went apart, the done is refused naming both', async () => {
    const work = (file: string) => `echo ${file} > ${file}.txt && git add ${file}.txt && git commit -qm ${file}`;
    await p.ok(['add', 'Task own', '--id', 'own', '--exec', `git checkout -q -b my-feature && ${work('feat')} && wg done $WG_TASK_ID`]);
    await p.ok(['add', 'Task det', '--id', 'det', '--exec', `git checkout -q --detach && ${work('det')} && wg done $WG_TASK_ID`]);
    await p.ok([
      'add',
      'Task apart',
      '--id',
      'apart',
      '--exec',
      [
        work('on-wg'),
        `git checkout -q -b elsewhere HEAD~1 && ${work('elsewhere')}`,
        `if wg done $WG_TASK_ID 2> ${R}/apart-refused; then touch ${R}/apart-not-refused; fi`,
        // As the refusal says: put them together on the wg/ branch, then done again.
        'git checkout -q "$WG_BRANCH" && git merge -q --no-edit elsewhere && wg done $WG_TASK_ID',
      ].join('; '),
    ]);
    await waitFor(
      'own, det and apart done',
      () => everyAsync(['own', 'det', 'apart'], async (id) => (await task(id)).status === 'done'),
      60_000,
    );
    expect(p.show('main', 'feat.txt')).toBe('feat\n');
    expect(p.show('main', 'det.txt')).toBe('det\n');
    expect(p.show('main', 'elsewhere.txt')).toBe('elsewhere\n');
    expect(p.show('main', 'on-wg.txt')).toBe('on-wg\n');
    const own = await agentOf('own');
    expect((await task('own')).log.map((l) => l.message)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^The worktree was on branch my-feature, not wg/${own}/own, with commits of its own there: wg/${own}/own was moved up to them`,
        ),
      ),
    );
    expect((await task('det')).log.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^The worktree was on a detached HEAD, not wg\//),
    );
    expect(existsSync(join(R, 'apart-not-refused'))).toBe(false);
    expect((await task('apart')).log.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^Done refused: the worktree .* is on branch elsewhere/),
    );
    expect(readFileSync(join(R, 'apart-refused'), 'utf8')).toMatch(
      new RegExp(
        `is on branch elsewhere, not wg/${await agentOf('apart')}/apart, and each holds commits the other lacks: nothing was merged; put them together on wg/${await agentOf('apart')}/apart \\(git checkout wg/${await agentOf('apart')}/apart && git merge elsewhere\\) and run wg done again`,
      ),
    );
  });

  it('a conflict refuses the done and changes nothing on main; after exit 0 it fails the task and keeps the worktree', async () => {
    const commit = (name: string) =>
      `printf '${name}\\n' > shared.txt && git commit -qam "${name} edits shared" && touch ${R}/${name}-committed`;
    await p.ok([
      'add',
      'Task x',
      '--id',
      'x',
      '--exec',
      [commit('x'), waitMark('y-committed'), waitMark('z-committed'), `wg done $WG_TASK_ID && touch ${R}/x-done`].join('; '),
    ]);
    await p.ok([
      'add',
      'Task y',
      '--id',
      'y',
      '--exec',
      [
        commit('y'),
        waitMark('x-done'),
        `git rev-parse main > ${R}/y-main-before`,
        `if wg done $WG_TASK_ID 2> ${R}/y-refused; then touch ${R}/y-not-refused; fi`,
        `git rev-parse main > ${R}/y-main-after`,
        // As the refusal says: merge main into the branch, resolve, commit, done again.
        'git merge -q main > /dev/null 2>&1',
        "printf 'x and y\\n' > shared.txt",
        'git add shared.txt',
        'git commit -qm "merge main"',
        'wg done $WG_TASK_ID',
      ].join('; '),
    ]);
    await p.ok(['add', 'Task z', '--id', 'z', '--exec', [commit('z'), waitMark('x-done'), 'exit 0'].join('; ')]);
    await waitFor(
      'x and y done, z failed',
      async () => (await task('x')).status === 'done' && (await task('y')).status === 'done' && (await task('z')).status === 'failed',
      60_000,
    );

    expect(existsSync(join(R, 'y-not-refused'))).toBe(false);
    expect(readFileSync(join(R, 'y-refused'), 'utf8')).toContain('conflicts in shared.txt');
    expect(readFileSync(join(R, 'y-main-after'), 'utf8')).toBe(readFileSync(join(R, 'y-main-before'), 'utf8'));
    expect(p.show('main', 'shared.txt')).toBe('x and y\n');

    const z = await task('z');
    expect(z.failure_reason).toMatch(/^exited without wg done and its work conflicts with main in shared\.txt/);
    expect(z.worktree).toMatchObject({ state: 'conflict', conflict_files: ['shared.txt'] });
    expect(existsSync(z.worktree?.path ?? '')).toBe(true);
    expect(p.read('README.md')).toBe(PERSON_README);
  });

  it('an agent whose own wg done was refused for a conflict and that exits 0 fails saying its done was refused', async () => {
    const commit = (name: string) =>
      `printf '${name}\\n' > shared.txt && git commit -qam "${name} edits shared" && touch ${R}/${name}-committed`;
    await p.ok([
      'add',
      'Task a2',
      '--id',
      'a2',
      '--exec',
      [commit('a2'), waitMark('b2-committed'), `wg done $WG_TASK_ID && touch ${R}/a2-done`].join('; '),
    ]);
    await p.ok([
      'add',
      'Task b2',
      '--id',
      'b2',
      '--exec',
      [commit('b2'), waitMark('a2-done'), 'wg done $WG_TASK_ID 2> /dev/null', 'exit 0'].join('; '),
    ]);
    await waitFor('a2 done, b2 failed', async () => (await task('a2')).status === 'done' && (await task('b2')).status === 'failed', 60_000);
    expect((await task('b2')).failure_reason).toMatch(
      /^exited after its wg done was refused and its work conflicts with main in shared\.txt/,
    );
  });

  it('an agent whose own wg done was refused for uncommitted tracked files, or for main in the middle of a merge, fails saying its done was refused and why', async () => {
    await p.ok(['add', 'Task d2', '--id', 'd2', '--exec', 'echo more >> shared.txt; wg done $WG_TASK_ID 2> /dev/null; exit 0']);
    await waitFor('d2 failed', async () => (await task('d2')).status === 'failed', 60_000);
    expect((await task('d2')).failure_reason).toMatch(
      /^exited after its wg done was refused, leaving tracked files modified but not committed \(shared\.txt\)/,
    );
    expect((await task('d2')).log.map((l) => l.message)).toContain(
      `Done refused: 1 tracked file in ${(await task('d2')).worktree?.path} modified but not committed (shared.txt)`,
    );
    // A run the coordinator fails counts an attempt (docs/runs.md): `wg retry` says 1 of 3, not 0.
    expect((await task('d2')).retry_count).toBe(1);

    // The person's own merge on main stops on a conflict: main is mid-merge while the agent reports.
    p.write('mm.txt', 'base\n');
    p.git(['add', 'mm.txt']);
    p.git(['commit', '-qm', 'mm base']);
    p.git(['checkout', '-q', '-b', 'mm-side']);
    p.write('mm.txt', 'side\n');
    p.git(['commit', '-qam', 'mm side']);
    p.git(['checkout', '-q', 'main']);
    p.write('mm.txt', 'main\n');
    p.git(['commit', '-qm', 'mm main', '--', 'mm.txt']);
    expect(p.gitFails(['merge', '-q', 'mm-side'])).toBe(1);
    try {
      await p.ok([
        'add',
        'Task m2',
        '--id',
        'm2',
        '--exec',
        'echo m2 > m2.txt; git add m2.txt; git commit -qm m2; wg done $WG_TASK_ID 2> /dev/null; exit 0',
      ]);
      await waitFor('m2 failed', async () => (await task('m2')).status === 'failed', 60_000);
    } finally {
      p.git(['merge', '--abort']);
    }
    expect((await task('m2')).failure_reason).toMatch(
      /^exited after its wg done was refused and its work was not merged: main is checked out at .*, and a merge or rebase is in progress there \(mm\.txt\)/,
    );
    expect((await task('m2')).log.map((l) => l.message)).toContainEqual(
      expect.stringMatching(/^Done refused: main is checked out at .*, and a merge or rebase is in progress there \(mm\.txt\)$/),
    );
  });

  it("a killed agent's commits end up on a recover/ branch; its dirty worktree survives wg worktree gc --apply", async () => {
    await p.ok([
      'add',
      'Task k',
      '--id',
      'k',
      '--exec',
      `echo k > k.txt && git add k.txt && git commit -qm "k work" && echo wip > wip.txt && touch ${R}/k-ready && sleep 60`,
    ]);
    await waitFor('k at work', () => existsSync(join(R, 'k-ready')));
    const agent = await agentOf('k');
    const head = p.tip(`wg/${agent}/k`);
    await p.ok(['pause', 'k']);
    await p.ok(['kill', agent]);
    await waitFor('the recover branch', () => p.branches('recover/*').includes(`recover/${agent}/k`));
    expect(p.tip(`recover/${agent}/k`)).toBe(head);

    const gc = await p.json<WorktreeGcResult>(['worktree', 'gc', '--apply']);
    expect(gc.removed.map((r) => r.id)).not.toContain(agent);
    expect(p.read('wip.txt', join(p.dir, '.wg-worktrees', agent))).toBe('wip\n');
    expect((await worktrees()).find((w) => w.id === agent)?.status).toBe('dirty');
  });

  it("a killed run's commits kept on a recover/ branch: once its retry, built on them, is merged, the branch goes", async () => {
    await p.ok([
      'add',
      'Task q',
      '--id',
      'q',
      '--exec',
      [
        `if [ -e ${R}/q-second ]; then test -f q1.txt && echo q2 > q2.txt && git add q2.txt && git commit -qm q2 && wg done $WG_TASK_ID; exit $?; fi`,
        `touch ${R}/q-second`,
        'echo q1 > q1.txt && git add q1.txt && git commit -qm q1',
        `touch ${R}/q-ready`,
        'sleep 60',
      ].join('; '),
    ]);
    await waitFor('q at work', () => existsSync(join(R, 'q-ready')));
    const first = await agentOf('q');
    await p.ok(['pause', 'q']);
    await p.ok(['kill', first]);
    await waitFor('the recover branch', () => p.branches(`recover/${first}/*`).includes(`recover/${first}/q`));
    await p.ok(['resume', 'q']);
    await waitFor('q done by its retry', async () => (await task('q')).status === 'done', 60_000);
    expect(await agentOf('q')).not.toBe(first);
    expect(p.show('main', 'q1.txt')).toBe('q1\n');
    // The branch is deleted before the line saying so is written (one transaction records the removal): wait for both.
    const said = `Branch recover/${first}/q deleted: everything on it is on main now`;
    await waitFor('the recover/ branch deleted, and said', async () => (await task('q')).log.some((l) => l.message === said));
    expect(p.branches(`recover/${first}/*`)).toEqual([]);
  });

  it("a crash of the coordinator and its agent loses nothing: the retry resumes in the worktree, with the first run's commit", async () => {
    await p.ok([
      'add',
      'Task r',
      '--id',
      'r',
      '--exec',
      [
        `if [ -e ${R}/r-second ]; then test -f r1.txt && echo r2 > r2.txt && git add r2.txt && git commit -qm r2 && wg done $WG_TASK_ID; exit $?; fi`,
        `touch ${R}/r-second`,
        'echo r1 > r1.txt',
        'git add r1.txt',
        'git commit -qm r1',
        `touch ${R}/r-ready`,
        'sleep 60',
      ].join('; '),
    ]);
    await waitFor('r at work', () => existsSync(join(R, 'r-ready')));
    const first = await agentOf('r');
    process.kill(readServiceState(p.paths)?.pid ?? 0, 'SIGKILL');
    const store = await p.store();
    await killRuns([await runHandle(store, p.paths, await store.agents.get(first))], { force: true });
    await p.ok(['service', 'start', '--max-agents', '3', '--json']);
    await waitFor('r done by its retry', async () => (await task('r')).status === 'done', 60_000);

    const second = await agentOf('r');
    expect(second).not.toBe(first);
    expect(p.show('main', 'r1.txt')).toBe('r1\n');
    expect(p.show('main', 'r2.txt')).toBe('r2\n');
    expect(p.git(['log', '-1', '--format=%s', 'main'])).toBe(`feat: r (${second})\n`);
  });

  it('wg retry --fresh of a task in progress, the coordinator running: the next run starts from the base in a new worktree', async () => {
    await p.ok([
      'add',
      'Task f',
      '--id',
      'f',
      '--exec',
      [
        // The next run must not see the first one's work: it starts from the base branch.
        `if [ -e ${R}/f-second ]; then test ! -e f1.txt && wg done $WG_TASK_ID; exit $?; fi`,
        `touch ${R}/f-second`,
        'echo f1 > f1.txt',
        'git add f1.txt',
        'git commit -qm f1',
        `touch ${R}/f-ready`,
        'sleep 60',
      ].join('; '),
    ]);
    await waitFor('f at work', () => existsSync(join(R, 'f-ready')));
    const first = await agentOf('f');
    const firstPath = (await task('f')).worktree?.path;
    // The retry's commit wakes the coordinator, which claims the task at once: it must not start in the old worktree.
    await p.ok(['retry', 'f', '--fresh']);
    await waitFor('f done by its fresh run', async () => (await task('f')).status === 'done', 60_000);
    const second = await agentOf('f');
    expect(second).not.toBe(first);
    expect((await (await p.store()).worktrees.forAgent(second))?.path).not.toBe(firstPath);
    // The first run's commit is not lost: on a recover/ branch, or in its worktree set aside.
    await waitFor('the first run stopped', async () => (await (await p.store()).agents.get(first)).state !== 'working');
    const kept = p.branches(`recover/${first}/*`).length > 0 || p.git(['branch', '--list', `wg/${first}/f`]).trim() !== '';
    expect(kept).toBe(true);
  });
});
