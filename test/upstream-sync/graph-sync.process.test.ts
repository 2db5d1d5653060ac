import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../src/core/opening/open-store';
import { projectPaths, type ProjectPaths } from '../../src/core/project';
import type { Store } from '../../src/core/store/store';
import { GraphSync } from '../../src/core/upstream-sync/graph-sync';
import { lockGraphSync } from '../../src/core/upstream-sync/graph-lock';
import { tasksOfTable } from '../../src/shared/task-table';

const FIXTURE = join(import.meta.dirname, '../fixtures/upstream/graph.jsonl');
const WRITER = join(import.meta.dirname, 'upstream-writer.py');

type Line = Record<string, unknown>;

let root: string;
let paths: ProjectPaths;
let store: Store;
let sync: GraphSync;

/** A change made the way upstream's wg makes it: its lock, a temp file, a rename (upstream-writer.py). */
function upstreamEdit(spec: object): void {
  execFileSync('python3', [WRITER, 'edit', paths.dir, JSON.stringify(spec)]);
}

function fileText(): string {
  return readFileSync(join(paths.dir, 'graph.jsonl'), 'utf8');
}

function fileLines(): Map<string, Line> {
  return new Map(
    fileText()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line)
      .map((l) => [l.id as string, l]),
  );
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'wg-sync-'));
  mkdirSync(join(root, '.wg'));
  copyFileSync(FIXTURE, join(root, '.wg', 'graph.jsonl'));
  paths = projectPaths(join(root, '.wg'));
  store = (await openProjectStore(paths)).store;
  sync = await GraphSync.open(store, paths.dir);
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('graph.jsonl and graph.db as one graph (store level)', () => {
  it('leaves graph.jsonl byte for byte after the first sync of a fresh import, and then has nothing to do', async () => {
    expect(await sync.syncNow(5000)).toEqual({ fromFile: 0, wroteFile: false });
    expect(fileText()).toBe(readFileSync(FIXTURE, 'utf8'));
    // Only reading graph.jsonl: upstream's lock was not needed (not even its file made).
    expect(existsSync(join(paths.dir, 'graph.lock'))).toBe(false);
    expect(await sync.pending()).toBe(false);
    expect(await sync.syncNow(5000)).toEqual({ fromFile: 0, wroteFile: false });
  });

  it("writes a change made here in upstream's shape: every field it does not use kept, every other line as it was", async () => {
    await sync.syncNow(5000);
    const before = fileText().split('\n');
    await store.tasks.log('research-spawn-semantics', 'checked again', 'user');
    await store.tasks.edit('write-report', { description: 'Now with numbers' });
    expect(await sync.syncNow(5000)).toEqual({ fromFile: 0, wroteFile: true });
    const after = fileText().split('\n');
    const original = new Map(before.filter(Boolean).map((l) => [(JSON.parse(l) as Line).id as string, JSON.parse(l) as Line]));
    const now = fileLines();
    for (const line of after.filter(Boolean)) {
      const id = (JSON.parse(line) as Line).id as string;
      if (id === 'research-spawn-semantics' || id === 'write-report') continue;
      // Untouched tasks and the resource node: the very bytes upstream wrote.
      expect(before).toContain(line);
    }
    const research = now.get('research-spawn-semantics') as Line;
    const was = original.get('research-spawn-semantics') as Line;
    for (const key of Object.keys(was)) if (key !== 'log' && key !== 'last_interaction_at') expect(research[key], key).toEqual(was[key]);
    expect(research.skills).toEqual(['rust', 'docs']);
    expect((research.log as Line[]).map((e) => e.message)).toEqual([...(was.log as Line[]).map((e) => e.message), 'checked again']);
    // Each change stamps its task as upstream's modify_graph does (tests/integration_last_interaction_at.rs).
    expect(Date.parse(research.last_interaction_at as string)).toBeGreaterThan(Date.parse(was.last_interaction_at as string));
    const { last_interaction_at: _stamp, ...report } = original.get('write-report') as Line;
    expect(now.get('write-report')).toMatchObject({ ...report, description: 'Now with numbers' });
    expect(Date.parse(now.get('write-report')?.last_interaction_at as string)).toBeGreaterThanOrEqual(
      Date.parse(research.last_interaction_at as string),
    );
    expect(now.size).toBe(original.size);
  });

  it('takes in what upstream wrote: a changed field, a new task with its dependency, a log entry, a finished task removed', async () => {
    await sync.syncNow(5000);
    const revBefore = await store.core.currentRev();
    upstreamEdit({
      set: { 'write-report': { title: 'Write the final report', tags: ['docs'] } },
      add: [{ kind: 'task', id: 'from-upstream', title: 'Added upstream', status: 'open', after: ['write-report'], skills: ['go'] }],
      log: { 'critical-fix': 'noted upstream' },
      // A finished task (gc and archive remove only those: an unfinished one's removal is refused, partial-reads.test.ts).
      remove: ['.assign-research-spawn-semantics'],
    });
    // A version lacking finished tasks is taken in once it has stood still (a file written anew in parts lacks its
    // last ones half way): upstream's rename a few seconds ago.
    const file = join(paths.dir, 'graph.jsonl');
    expect(await sync.syncNow(5000)).toMatchObject({ fromFile: 0, wroteFile: false });
    const then = new Date(Date.now() - 10_000);
    utimesSync(file, then, then);
    expect(await sync.syncNow(5000)).toMatchObject({ fromFile: 4, wroteFile: false });
    expect(await store.get('write-report')).toMatchObject({ title: 'Write the final report', tags: ['docs'] });
    expect(await store.get('from-upstream')).toMatchObject({ after: ['write-report'], extra: { skills: ['go'] } });
    expect((await store.get('critical-fix')).log.at(-1)).toMatchObject({ actor: 'upstream', message: 'noted upstream' });
    await expect(() => store.get('.assign-research-spawn-semantics')).rejects.toThrow(/task '.assign-research-spawn-semantics' not found/);
    // A window that asks what changed since before gets every task, marked full, so it drops the removed one.
    const snapshot = await store.snapshot(revBefore);
    expect(snapshot.full).toBe(true);
    expect(tasksOfTable(snapshot.tasks).map((t) => t.id)).not.toContain('.assign-research-spawn-semantics');
    expect(snapshot.tasks.rows.length).toBe((await store.list()).length);
    expect((await store.snapshot(await store.core.currentRev())).full).toBeUndefined();
    expect((await store.ready()).map((t) => t.id)).not.toContain('from-upstream');
    expect(await sync.pending()).toBe(false);
  });

  it('keeps both sides when both changed one task: different fields both land, a field both changed goes to the later writer', async () => {
    await sync.syncNow(5000);
    await store.tasks.edit('write-report', { description: 'described here', title: 'Title here' });
    await store.tasks.addDependency('write-report', 'critical-fix');
    // Upstream writes after this app did: its title wins; the description and the dependency made here stay.
    upstreamEdit({ set: { 'write-report': { title: 'Title upstream', tags: ['late'] } } });
    await sync.syncNow(5000);
    const merged = fileLines().get('write-report') as Line;
    expect(merged).toMatchObject({ title: 'Title upstream', description: 'described here', tags: ['late'] });
    expect(merged.after).toContain('critical-fix');
    expect(await store.get('write-report')).toMatchObject({ title: 'Title upstream', description: 'described here', tags: ['late'] });
    // Now upstream first, then this app, both before a sync: this app's title wins.
    upstreamEdit({ set: { 'write-report': { title: 'Upstream again' } } });
    await store.tasks.edit('write-report', { title: 'Here, later' });
    await sync.syncNow(5000);
    expect((await store.get('write-report')).title).toBe('Here, later');
    expect(fileLines().get('write-report')).toMatchObject({ title: 'Here, later', tags: ['late'] });
  });

  it("waits for upstream's lock: nothing is read or written while upstream holds graph.lock", async () => {
    await sync.syncNow(5000);
    await store.tasks.log('write-report', 'while locked', 'user');
    const held = lockGraphSync(paths.dir, 1000);
    try {
      await expect(() => sync.syncNow(300)).rejects.toThrow(/stayed locked by another program/);
      expect(fileText()).not.toContain('while locked');
    } finally {
      held.release();
    }
    expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    expect(fileText()).toContain('while locked');
  });

  it('refuses a graph.jsonl it cannot read, changing nothing on either side', async () => {
    await sync.syncNow(5000);
    const text = fileText();
    const file = join(paths.dir, 'graph.jsonl');
    // A broken line inside the file (it ends whole): said, once it has stood still.
    writeFileSync(file, text.replace('\n', '\n{"kind":"task","id":\n'));
    await store.tasks.log('write-report', 'kept here', 'user');
    await expect(() => sync.syncNow(5000)).rejects.toThrow(/line 2 of graph.jsonl is not valid JSON/);
    expect(fileText()).not.toContain('kept here');
    // A last line cut (a save under way, or left so): not taken in, not written over, said in one line.
    writeFileSync(file, `${text}{"kind":"task","id":`);
    const outcome = await sync.syncNow(5000);
    expect(outcome).toMatchObject({ fromFile: 0, wroteFile: false });
    expect(outcome.notice).toMatch(/graph.jsonl is not taken in: its last line \(line 27\) is cut/);
    expect(fileText()).toBe(`${text}{"kind":"task","id":`);
    expect((await store.list()).length).toBe(25);
    expect(readdirSync(paths.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('graph.jsonl left mid-merge by git (two people each added tasks)', () => {
  it('is refused naming the marker, not written over, and both sides are taken once the merge is finished', async () => {
    await sync.syncNow(5000);
    const text = fileText();
    const file = join(paths.dir, 'graph.jsonl');
    const ours = '{"kind":"task","id":"ours-task","title":"Ours","status":"open"}';
    const theirs = '{"kind":"task","id":"theirs-task","title":"Theirs","status":"open"}';
    const conflicted = `${text}<<<<<<< HEAD\n${ours}\n=======\n${theirs}\n>>>>>>> feature\n`;
    writeFileSync(file, conflicted);
    await store.tasks.add({ title: 'Made here', id: 'made-here' }, 'user');
    await expect(() => sync.syncNow(5000)).rejects.toThrow(
      /^line 27 of graph\.jsonl is a merge conflict marker \(<<<<<<<\): finish the merge \(keep the lines of each task you want, remove the marker lines\)$/,
    );
    expect(fileText()).toBe(conflicted);
    // The person keeps both sides; saved by an editor a while ago (it has stood still).
    writeFileSync(file, `${text}${ours}\n${theirs}\n`);
    const then = new Date(Date.now() - 60_000);
    utimesSync(file, then, then);
    await sync.syncNow(5000);
    expect((await store.list()).map((t) => t.id)).toEqual(expect.arrayContaining(['ours-task', 'theirs-task', 'made-here']));
    expect([...fileLines().keys()]).toEqual(expect.arrayContaining(['ours-task', 'theirs-task', 'made-here']));
  });
});

describe("what upstream's wg writes on a line besides the change", () => {
  // upstream: src/commands/add.rs after_updates_blocker_blocks_field;
  // src/commands/edit.rs test_add_after_updates_blocker_blocks, test_remove_after_updates_blocker_blocks
  it('writes the other end of each dependency: the task depended on lists its dependents in `before`', async () => {
    await sync.syncNow(5000);
    await store.tasks.add({ title: 'Depends on two', id: 'dep-task', after: ['write-report', 'critical-fix'] }, 'user');
    await sync.syncNow(5000);
    expect(fileLines().get('write-report')?.before).toEqual(['dep-task']);
    expect(fileLines().get('critical-fix')?.before).toEqual(['dep-task']);
    await store.tasks.removeDependency('dep-task', 'critical-fix');
    await sync.syncNow(5000);
    expect(fileLines().get('critical-fix')).not.toHaveProperty('before');
    expect(fileLines().get('write-report')?.before).toEqual(['dep-task']);
    // `before` as upstream wrote it is kept: research-spawn-semantics lists its .flip task.
    expect(fileLines().get('research-spawn-semantics')?.before).toEqual(['.flip-research-spawn-semantics']);
    expect(await sync.pending()).toBe(false);
  });

  // upstream: src/commands/edit.rs, `--cron ""` clears cron_schedule, cron_enabled, next_cron_fire and last_cron_fire
  it("clears an imported cron task's cron fields when its schedule is cleared here", async () => {
    await sync.syncNow(5000);
    expect(fileLines().get('nightly')).toMatchObject({ cron_enabled: true, cron_schedule: '0 0 2 * * *' });
    await store.tasks.edit('nightly', { schedule: null });
    expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    const nightly = fileLines().get('nightly') as Line;
    for (const field of ['cron_enabled', 'cron_schedule', 'next_cron_fire', 'last_cron_fire']) expect(nightly).not.toHaveProperty(field);
    expect(nightly).toMatchObject({ exec: 'make nightly', status: 'open' });
    // Read back as no schedule (upstream reads the line the same way).
    expect((await store.get('nightly')).schedule).toBeNull();
    expect(await sync.syncNow(5000)).toEqual({ fromFile: 0, wroteFile: false });
  });
});

describe("this app's run ids beside upstream's (both name runs agent-N)", () => {
  // Each call takes the id (as a run's start does); the ids upstream gave out are never among them.
  const upcoming = () => store.core.write(() => store.agents.nextId());

  it("start above every agent-N that graph.jsonl's assigned names, and above upstream's registry", async () => {
    // The fixture's tasks were assigned agent-1087 and agent-1090 by upstream.
    expect(await upcoming()).toBe('agent-1091');
    upstreamEdit({ add: [{ kind: 'task', id: 'ran-upstream', title: 'Ran upstream', status: 'done', assigned: 'agent-2041' }] });
    await sync.syncNow(5000);
    expect(await upcoming()).toBe('agent-2042');
    // Upstream's own service gave out ids up to agent-2999 (its next_agent_id is 3000).
    mkdirSync(join(paths.dir, 'service'), { recursive: true });
    writeFileSync(join(paths.dir, 'service', 'registry.json'), JSON.stringify({ agents: { 'agent-2990': {} }, next_agent_id: 3000 }));
    await GraphSync.open(store, paths.dir);
    expect(await upcoming()).toBe('agent-3000');
  });
});
