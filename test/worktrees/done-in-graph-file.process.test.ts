import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { Task } from '../../src/shared/task';
import { WorktreeSweeper } from '../../src/core/coordinator/worktree-sweeper';
import { wrongBlockerCounts } from '../../src/core/store/dependency-writes';
import { GraphSync } from '../../src/core/upstream-sync/graph-sync';
import { sweepWorktrees } from '../../src/core/worktrees/sweep';
import { GIT_ENV, GitProject } from './git-project';

/*
 * A task marked done in graph.jsonl (upstream's `wg done`, a hand edit) while this app's agent works on it: nothing
 * merges the agent's work then, so the coordinator's sweep merges it once the run ends (done-elsewhere.ts). The
 * tasks after it must not start before that, from a base branch without the work they build on.
 * Real git, the real `wg` command line on a folder upstream shares (it has a graph.jsonl), the sweep called as the
 * coordinator calls it when a run ends.
 */
Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-done-in-file-');
const graphFile = () => join(p.paths.dir, 'graph.jsonl');

beforeAll(async () => {
  // A folder upstream uses: graph.jsonl is there before this app's files.
  mkdirSync(p.paths.dir, { recursive: true });
  writeFileSync(graphFile(), '');
  await p.init({ 'a.txt': 'a\n', 'shared.txt': 'shared\n' });
});
afterAll(() => p.remove());

const task = (id: string) => p.json<Task>(['show', id]);
const messages = async (id: string) => (await task(id)).log.map((l) => l.message);
const sweep = async () => sweepWorktrees({ store: await p.store(), paths: p.paths });
const ready = async () => (await p.json<Array<{ id: string }>>(['ready'])).map((t) => t.id);

/** Upstream's `wg done ID`: graph.jsonl written whole with the task done, a new file renamed over it. */
async function upstreamDone(id: string): Promise<void> {
  // graph.jsonl as upstream reads it: what graph.db holds written out first, as the running coordinator's sync does.
  await (await GraphSync.open(await p.store(), p.paths.dir)).syncNow(5000);
  const text = readFileSync(graphFile(), 'utf8')
    .split('\n')
    .map((raw) => {
      if (!raw.trim()) return raw;
      const line = JSON.parse(raw) as Record<string, unknown>;
      if (line.id !== id) return raw;
      // Stamped as upstream stamps each change it makes (its last_interaction_at).
      const now = new Date().toISOString();
      return JSON.stringify({ ...line, status: 'done', completed_at: now, last_interaction_at: now });
    })
    .join('\n');
  writeFileSync(`${graphFile()}.new`, text);
  renameSync(`${graphFile()}.new`, graphFile());
  // Taken in as the running coordinator's sync takes it, within a second of the rename.
  await (await GraphSync.open(await p.store(), p.paths.dir)).syncNow(5000);
}

/** An agent at work on a new task `id` with a task after it (`after-<id>`), having committed `file` in its worktree. */
async function workingOn(id: string, agentId: string, file: string, text = 'work\n') {
  const agent = await p.startAgent(id, agentId);
  await p.ok(['add', `After ${id}`, '--id', `after-${id}`, '--after', id]);
  return { agent, work: p.commit(agent.path, file, text, `${agentId} edits ${file}`) };
}

describe('a task marked done in graph.jsonl while its agent works', () => {
  it('holds the tasks after it until its work is merged, and says why; they start from a base that has it', async () => {
    const { agent } = await workingOn('upstream-done', 'agent-35', 'upstream-done.txt', 'the work\n');
    await upstreamDone('upstream-done');
    expect(await ready()).not.toContain('after-upstream-done');
    expect((await task('upstream-done')).status).toBe('done');
    expect(await messages('upstream-done')).toContain(
      `graph.jsonl marks this task done while agent-35 works in ${agent.path}: its work is merged when the run ends, and the tasks after it wait for that`,
    );
    expect(await p.ok(['show', 'after-upstream-done'])).toContain('waiting for the work of Task upstream-done to be merged');
    expect(await p.ok(['show', 'upstream-done'])).toMatch(/To merge +when its run ends; the tasks after it wait for that/);
    expect(await p.ok(['blocked', 'after-upstream-done'])).toContain(
      "upstream-done - Task upstream-done [Done, its agent's work not merged yet]",
    );
    expect(await p.ok(['why-blocked', 'after-upstream-done'])).toContain(
      "blocked by: upstream-done (status: Done, its agent's work not merged yet) <-- ROOT CAUSE",
    );
    const claim = await p.wg(['claim', 'after-upstream-done', '--agent', 'agent-99']);
    expect(claim.exitCode).not.toBe(0);
    expect(claim.stderr).toContain("upstream-done (done; its agent's work is merged when its run ends)");
    // The agent goes on working: what it commits before its run ends is part of the done.
    p.commit(agent.path, 'upstream-done-2.txt', 'more\n', 'more');
    await p.endAgent('agent-35');
    expect(await ready()).not.toContain('after-upstream-done');
    await sweep();
    expect(p.show('main', 'upstream-done.txt')).toBe('the work\n');
    expect(p.show('main', 'upstream-done-2.txt')).toBe('more\n');
    expect(await ready()).toContain('after-upstream-done');
    expect(await wrongBlockerCounts((await p.store()).core)).toEqual([]);
  });

  it('lets the tasks after it go when its work cannot be merged, the log saying so', async () => {
    await workingOn('upstream-clash', 'agent-36', 'shared.txt', "the agent's\n");
    p.write('shared.txt', "a person's\n");
    p.git(['commit', '-qam', 'a person edits shared.txt too']);
    await upstreamDone('upstream-clash');
    expect(await ready()).not.toContain('after-upstream-clash');
    await p.endAgent('agent-36');
    await sweep();
    expect((await messages('upstream-clash')).some((m) => m.includes('its work could not be merged'))).toBe(true);
    expect(await ready()).toContain('after-upstream-clash');
    expect(await wrongBlockerCounts((await p.store()).core)).toEqual([]);
  });

  it('holds nothing when its run had ended already, and merges nothing of it later: its commits stay on recover/', async () => {
    const { work } = await workingOn('ended-first', 'agent-37', 'ended.txt', 'half\n');
    await p.endAgent('agent-37');
    await sweep();
    await upstreamDone('ended-first');
    expect(await ready()).toContain('after-ended-first');
    expect((await messages('ended-first')).some((m) => m.includes('graph.jsonl marks this task done'))).toBe(false);
    await sweep();
    expect(p.gitFails(['cat-file', '-e', 'main:ended.txt'])).not.toBe(0);
    expect(p.tip('recover/agent-37/ended-first')).toBe(work);
  });

  it('has its work merged first by wg worktree remove, as the sweep would', async () => {
    await workingOn('removed-by-hand', 'agent-38', 'removed.txt');
    await upstreamDone('removed-by-hand');
    await p.endAgent('agent-38');
    await p.ok(['worktree', 'remove', 'agent-38']);
    expect(p.show('main', 'removed.txt')).toBe('work\n');
    expect(await ready()).toContain('after-removed-by-hand');
  });

  it('merged from its branch when its folder was deleted by hand', async () => {
    const { agent } = await workingOn('folder-gone', 'agent-39', 'gone.txt');
    await upstreamDone('folder-gone');
    p.git(['worktree', 'remove', '--force', agent.path]);
    await p.endAgent('agent-39');
    await sweep();
    expect(p.show('main', 'gone.txt')).toBe('work\n');
    expect(await ready()).toContain('after-folder-gone');
  });

  it('keeps holding the tasks after it while the checkout of main is mid-merge, and merges once it is not', async () => {
    const { agent } = await workingOn('busy-main', 'agent-40', 'busy.txt');
    await upstreamDone('busy-main');
    await p.endAgent('agent-40');
    // The person's own merge, stopped on a conflict in their checkout of main.
    p.git(['checkout', '-q', '-b', 'side']);
    p.write('a.txt', 'side\n');
    p.git(['commit', '-qam', 'side edits a.txt']);
    p.git(['checkout', '-q', 'main']);
    p.write('a.txt', 'main\n');
    p.git(['commit', '-qam', 'main edits a.txt']);
    expect(p.gitFails(['merge', 'side'])).not.toBe(0);
    // The coordinator's sweeper, as a run's end asks it; it looks again by itself later (nothing tells it when the
    // person's merge is over).
    const notes: string[] = [];
    const log = { info: (line: string) => notes.push(line), error: (line: string) => notes.push(line) };
    const sweeper = new WorktreeSweeper({ store: await p.store(), paths: p.paths }, log, undefined, 200);
    onTestFinished(() => sweeper.stop());
    sweeper.request();
    await vi.waitFor(() => expect(notes.some((n) => n.includes('its work is not merged yet'))).toBe(true), { timeout: 60_000 });
    expect(await ready()).not.toContain('after-busy-main');
    expect((await messages('busy-main')).some((m) => m.includes('its work is not merged yet'))).toBe(true);
    expect(existsSync(agent.path)).toBe(true);
    p.git(['merge', '--abort']);
    await vi.waitFor(async () => expect(await ready()).toContain('after-busy-main'), { timeout: 60_000, interval: 200 });
    expect(p.show('main', 'busy.txt')).toBe('work\n');
    expect(await wrongBlockerCounts((await p.store()).core)).toEqual([]);
  });
});
