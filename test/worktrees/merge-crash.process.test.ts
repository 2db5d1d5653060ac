import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServiceState } from '../../src/core/service-state/state-file';
import type { MergePausePoint } from '../../src/core/worktrees/merge-pause';
import { waitFor } from '../service/helpers/daemon-project';
import { GitProject } from './git-project';

/**
 * kill -9 of the daemon in the middle of merging an agent's work (a run that exited 0 without wg done),
 * stopped exactly there by the merge's test pause (WG_TEST_MERGE_PAUSE): after the base branch moved
 * but before the merge was recorded on the task, and before the branch moved. A new daemon must
 * finish the job: the squash commit on main once, recorded on the task, the merge lock free, the
 * person's checkout whole (their edit byte for byte, the merge's files there) and no work lost.
 */
const p = new GitProject('wg-wt-crash-');
const pauses = join(p.root, 'pauses');
const PAUSE_ENV = { WG_TEST_MERGE_PAUSE: pauses };
const PERSON_README = '# project\n\nmy own edit, not committed\n';
const PERSON_NOTES = 'untracked notes of the person\n';

const task = async (id: string) => (await p.store()).get(id);
const agentOf = async (id: string) => (await (await p.store()).agents.forTask(id)).at(-1)?.id ?? '';
const commonDir = () => join(p.dir, '.git');
const subjects = () => p.git(['log', '--format=%s', 'main']).trim().split('\n');
const daemonPid = () => readServiceState(p.paths)?.pid ?? 0;

const start = () => p.ok(['service', 'start', '--json'], { env: PAUSE_ENV });
/** Every pause passes (a restarted daemon must not stop again). */
const openAll = () => {
  for (const point of ['before-ref', 'after-ref'] as const) writeFileSync(join(pauses, `${point}.go`), '');
};
/** Only `point` stops a merge. */
function stopAt(point: MergePausePoint): void {
  rmSync(pauses, { recursive: true, force: true });
  mkdirSync(pauses);
  for (const other of ['before-ref', 'after-ref'] as const) if (other !== point) writeFileSync(join(pauses, `${other}.go`), '');
}

beforeAll(async () => {
  await p.init({ 'README.md': '# project\n' });
  await p.ok(['config', '--poll-interval', '3600']);
  // Shell commands run in the project folder unless their profile asks for a worktree: these tasks ask.
  await p.ok(['executor', 'add', 'shell', '--type', 'shell', '--worktree', 'true']);
  p.write('README.md', PERSON_README);
  p.write('notes.txt', PERSON_NOTES);
  mkdirSync(pauses);
});

afterAll(() => p.killAllAndRemove());

/** A task whose shell run commits NAME.txt and exits 0 without wg done: the daemon merges it. */
const commits = (name: string) => `echo ${name} > ${name}.txt && git add ${name}.txt && git commit -qm "${name} work" && exit 0`;

/** Kills the daemon once a merge has stopped at `point` (the pause file holds the pausing pid: the daemon's). */
async function killAt(point: MergePausePoint): Promise<void> {
  const reached = join(pauses, `${point}.reached`);
  await waitFor(`the merge stopped at ${point}`, () => existsSync(reached), 60_000);
  const pid = Number(readFileSync(reached, 'utf8').trim());
  expect(pid).toBe(daemonPid());
  process.kill(pid, 'SIGKILL');
  await waitFor('the daemon gone', () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
}

/** What must hold once the new daemon has finished: the merge once, recorded, the lock free, the person's folder whole. */
async function expectFinished(id: string, file: string): Promise<void> {
  const agent = await agentOf(id);
  const subject = `feat: ${id} (${agent})`;
  expect(subjects().filter((s) => s === subject)).toHaveLength(1);
  const recorded = (await task(id)).worktree?.merge_commit ?? '';
  expect(p.git(['log', '-1', '--format=%s', recorded])).toBe(`${subject}\n`);
  expect(p.git(['rev-list', '--count', `${recorded}..main`]).trim()).toBe('0');
  expect(p.show('main', `${file}`)).toBe(`${id}\n`);
  // The merge lock and its journal are gone.
  expect(existsSync(join(commonDir(), 'wg-merge.lock'))).toBe(false);
  expect(existsSync(join(commonDir(), 'wg-merge-pending.json'))).toBe(false);
  // The person's edit and untracked file byte for byte; the merge's file in their folder, and nothing
  // else in `git status` (a half-updated checkout would show the merge undone, staged).
  expect(p.read('README.md')).toBe(PERSON_README);
  expect(p.read('notes.txt')).toBe(PERSON_NOTES);
  expect(p.read(file)).toBe(`${id}\n`);
  expect(
    p
      .git(['status', '--porcelain=v1', '--untracked-files=all', '--', '.', ':!.wg-worktrees', ':!.workgraph'])
      .split('\n')
      .filter(Boolean)
      .sort(),
  ).toEqual([' M README.md', '?? notes.txt']);
  // A merge after exit 0 says so (it was logged as the agent's own "Task marked done").
  expect(
    (await task(id)).log.filter((l) => l.message === `Task done: agent ${agent} exited 0 without wg done; its work was merged`),
  ).toHaveLength(1);
  expect((await task(id)).log.filter((l) => l.message === 'Task marked done')).toHaveLength(0);
}

describe('a crash in the middle of a merge', () => {
  it('after the base branch moved, before the merge was recorded: the new daemon records it once and finishes the checkout', async () => {
    stopAt('after-ref');
    await p.ok(['add', 'Task m1', '--id', 'm1', '--exec', commits('m1')]);
    await start();
    await killAt('after-ref');
    // The half state the crash left: main moved, the task not done, the lock and the journal on disk.
    const agent = await agentOf('m1');
    expect(subjects()[0]).toBe(`feat: m1 (${agent})`);
    expect((await task('m1')).status).toBe('in-progress');
    expect(existsSync(join(commonDir(), 'wg-merge.lock'))).toBe(true);
    expect(existsSync(join(commonDir(), 'wg-merge-pending.json'))).toBe(true);

    openAll();
    await start();
    await waitFor('m1 done', async () => (await task('m1')).status === 'done', 60_000);
    await expectFinished('m1', 'm1.txt');
    expect((await task('m1')).log.some((l) => l.message.startsWith('Already merged onto main'))).toBe(true);
    // Finished by the re-merge (in the task's log) or by the start's sweep (in the daemon's), whichever came first.
    const finished = 'Finished updating the checkout of main after an interrupted merge';
    expect(
      (await task('m1')).log.some((l) => l.message.startsWith(finished)) || readFileSync(p.paths.daemonLog, 'utf8').includes(finished),
    ).toBe(true);
    await p.ok(['service', 'stop']);
  });

  it('before the base branch moved: nothing on main, the worktree and its commit kept; the new daemon merges it once', async () => {
    stopAt('before-ref');
    const before = p.tip();
    await p.ok(['add', 'Task m2', '--id', 'm2', '--exec', commits('m2')]);
    await start();
    await killAt('before-ref');
    const agent = await agentOf('m2');
    expect(p.tip()).toBe(before);
    expect((await task('m2')).status).toBe('in-progress');
    // The agent's work is where it was: its worktree, and its commit on its branch.
    expect(p.read('m2.txt', join(p.dir, '.wg-worktrees', agent))).toBe('m2\n');
    expect(p.show(`wg/${agent}/m2`, 'm2.txt')).toBe('m2\n');

    openAll();
    await start();
    await waitFor('m2 done', async () => (await task('m2')).status === 'done', 60_000);
    await expectFinished('m2', 'm2.txt');
    expect(p.git(['rev-list', '--count', `${before}..main`]).trim()).toBe('1');
    await p.ok(['service', 'stop']);
  });
});
