import { sqlText } from '../helpers/sql-text';
import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import { openProjectStore } from '../../src/core/opening/open-store';
import { projectPaths, type ProjectPaths } from '../../src/core/project';
import { newRun } from '../../src/core/store/agent-records';
import type { Store } from '../../src/core/store/store';
import { requireTaskRow } from '../../src/core/store/task-reads';
import { transition } from '../../src/core/store/task-writes';
import { GraphSync } from '../../src/core/upstream-sync/graph-sync';

/*
 * graph.jsonl written by tools other than upstream's wg, in place or from a stale copy, read at the
 * worst moment: nothing graph.db has is lost, and a version no upstream command writes is refused.
 */

const FIXTURE = join(import.meta.dirname, '../fixtures/upstream/graph.jsonl');
const WRITER = join(import.meta.dirname, 'upstream-writer.py');
const TASKS = 25;

type Line = Record<string, unknown>;

let root: string;
let paths: ProjectPaths;
let store: Store;
let sync: GraphSync;
let file: string;

const fileText = () => readFileSync(file, 'utf8');
const fileLines = () =>
  new Map(
    fileText()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Line)
      .map((l) => [l.id as string, l]),
  );
const ids = async () => (await store.list()).map((t) => t.id);

/** graph.jsonl replaced whole, as git and upstream's wg put a version in place: a new file renamed over it. */
function replaceFile(text: string): void {
  writeFileSync(`${file}.new`, text);
  renameSync(`${file}.new`, file);
}

/** Stamps the file as written `seconds` ago (a file that has stood still that long). */
function standStill(seconds: number): void {
  const then = new Date(Date.now() - seconds * 1000);
  utimesSync(file, then, then);
}

/** A task in progress on a run of this app that has ended (`state`). */
async function endedRun(task: string, state: Agent['state']): Promise<string> {
  return store.core.write(async (rev) => {
    const id = await store.agents.nextId();
    const at = store.core.nowIso();
    await store.agents.insert(
      newRun(id, { task_id: task, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null }, at, rev),
      null,
    );
    await transition(store.core, await requireTaskRow(store.core, task), { status: 'in-progress', assigned: id, started_at: at }, rev);
    await store.agents.end(id, { state, ended_at: at, exit_code: 0, reason: null }, rev);
    return id;
  });
}

/** This test's project instead: a graph.jsonl of these lines, opened afresh. */
async function projectOf(lines: Line[]): Promise<void> {
  await store.close();
  rmSync(root, { recursive: true, force: true });
  root = mkdtempSync(join(tmpdir(), 'wg-partial-'));
  mkdirSync(join(root, '.wg'));
  file = join(root, '.wg', 'graph.jsonl');
  writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  paths = projectPaths(join(root, '.wg'));
  store = (await openProjectStore(paths)).store;
  sync = await GraphSync.open(store, paths.dir);
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'wg-partial-'));
  mkdirSync(join(root, '.wg'));
  file = join(root, '.wg', 'graph.jsonl');
  copyFileSync(FIXTURE, file);
  paths = projectPaths(join(root, '.wg'));
  store = (await openProjectStore(paths)).store;
  sync = await GraphSync.open(store, paths.dir);
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a graph.jsonl read half-written is never acted on', () => {
  it('an empty file (a save that truncated it and paused) takes nothing from graph.db and is not written over', async () => {
    const whole = fileText();
    writeFileSync(file, '');
    await store.tasks.log('write-report', 'made during the save', 'user');
    const outcome = await sync.syncNow(5000);
    expect(outcome).toMatchObject({ fromFile: 0, wroteFile: false });
    expect(outcome.notice).toMatch(/graph.jsonl is not taken in: it is empty/);
    expect((await ids()).length).toBe(TASKS);
    expect(fileText()).toBe('');
    // The save ends: the file is whole again, and this app's change reaches it once the save has stood still (one in
    // place is not written over while it may go on).
    writeFileSync(file, whole);
    expect(await sync.syncNow(5000)).toMatchObject({ fromFile: 0, wroteFile: false });
    standStill(10);
    expect(await sync.syncNow(5000)).toMatchObject({ fromFile: 0, wroteFile: true });
    expect((await ids()).length).toBe(TASKS);
    expect(fileLines().size).toBe(TASKS + 1);
    expect(JSON.stringify(fileLines().get('write-report')?.log)).toContain('made during the save');
  });

  it('a file lacking its last tasks (a save read half-way) is refused once it stands still, and rewritten from graph.db', async () => {
    const whole = fileText().split('\n');
    // The first ten lines: fifteen tasks lacking, most of them unfinished.
    writeFileSync(file, `${whole.slice(0, 10).join('\n')}\n`);
    // While it may be a save that paused (it changed less than 5 s ago): not taken in, not written over.
    const early = await sync.syncNow(5000);
    expect(early).toMatchObject({ fromFile: 0, wroteFile: false });
    expect(early.notice).toMatch(
      /graph.jsonl is not taken in or written yet: it was saved in place a moment ago and lacks \d+ task\(s\) it had.*stood still 5 s/,
    );
    expect(early.againInMs).toBeGreaterThan(0);
    expect(fileText()).toBe(`${whole.slice(0, 10).join('\n')}\n`);
    standStill(10);
    const outcome = await sync.syncNow(5000);
    expect(outcome.notice).toMatch(/graph.jsonl was not taken in: it removes \d+ unfinished tasks \(.*\).*rewritten from graph.db/);
    expect(readFileSync(`${file}.refused`, 'utf8')).toBe(`${whole.slice(0, 10).join('\n')}\n`);
    expect(outcome.wroteFile).toBe(true);
    expect((await ids()).length).toBe(TASKS);
    expect([...fileLines().keys()].sort()).toEqual([...new Set(whole.filter(Boolean).map((l) => (JSON.parse(l) as Line).id))].sort());
    // Written as it was: every line the same JSON as before.
    for (const line of whole.filter(Boolean)) expect(fileLines().get((JSON.parse(line) as Line).id as string)).toEqual(JSON.parse(line));
  });

  it('reads again until the file stands still: an in-place save with a pause loses nothing', async () => {
    const whole = fileText();
    // A save in place: truncated, the first half written, then a pause.
    const half = whole.slice(0, whole.indexOf('\n', whole.length / 2) + 1);
    writeFileSync(file, half);
    await store.tasks.log('critical-fix', 'during the pause', 'user');
    // The sync reads the half before its first wait (sync() runs to its first pause at once), and the
    // save ends during that wait: the same order as a pause longer than the read, on any machine load.
    const during = sync.sync(5000);
    appendFileSync(file, whole.slice(half.length));
    await during;
    // This app's change is written over the save once it has stood still.
    standStill(10);
    await sync.sync(5000);
    expect((await ids()).length).toBe(TASKS);
    expect(fileLines().size).toBe(TASKS + 1);
    expect(JSON.stringify(fileLines().get('critical-fix')?.log)).toContain('during the pause');
  });

  it('a read lacking finished tasks (what gc removes) waits for the file to stand still: the save in place ends whole', async () => {
    // The finished tasks last, so that the start of the save lacks only tasks gc could remove.
    const finished = new Set((await store.list()).filter((t) => ['done', 'failed', 'abandoned'].includes(t.status)).map((t) => t.id));
    const lines = fileText().split('\n').filter(Boolean);
    const isFinished = (l: string) => finished.has((JSON.parse(l) as Line).id as string);
    const ordered = [...lines.filter((l) => !isFinished(l)), ...lines.filter(isFinished)];
    writeFileSync(file, `${ordered.join('\n')}\n`);
    await sync.sync(5000);
    await sqlText(
      store.core,
      'UPDATE tasks SET evaluation = \'{"score":0.9,"dimensions":{},"evaluator":null,"notes":null,"timestamp":"2026-01-01T00:00:00Z"}\' WHERE id = \'dropped\'',
    ).run();
    // The save in place begins: truncated, the unfinished tasks written, then a pause.
    writeFileSync(file, `${ordered.filter((l) => !isFinished(l)).join('\n')}\n`);
    // The sync reads that start before its first wait (sync() runs to its first pause at once); the
    // save ends during the wait, as a save's pause does on any machine load.
    const during = sync.sync(5000);
    appendFileSync(file, `${ordered.filter(isFinished).join('\n')}\n`);
    await during;
    await sync.sync(5000);
    expect((await ids()).length).toBe(TASKS);
    expect((await sqlText<{ n: number }>(store.core, 'SELECT count(*) AS n FROM upstream_sync_removed').get())?.n).toBe(0);
    expect((await store.get('dropped')).evaluation?.score).toBe(0.9);
  });

  it('a save in place that stopped part way through a line: left alone while it may go on, then written over from graph.db', async () => {
    const whole = fileText();
    await store.tasks.log('write-report', 'logged while the file was cut', 'user');
    // The start of the file, its last line cut in two, as a save that stopped (a crash, a full disk) leaves it.
    const cut = whole.slice(0, whole.indexOf('\n', whole.length / 3) + 40);
    writeFileSync(file, cut);
    const early = await sync.syncNow(5000);
    expect(early).toMatchObject({ fromFile: 0, wroteFile: false });
    expect(early.notice).toMatch(/its last line \(line \d+\) is cut/);
    // The daemon looks again once it has stood long enough: no change may come to wake it.
    expect(early.againInMs).toBeGreaterThan(0);
    expect(fileText()).toBe(cut);
    standStill(10);
    expect(await sync.syncNow(5000, 'read')).toMatchObject({ wroteFile: false });
    expect(fileText()).toBe(cut);
    const late = await sync.syncNow(5000);
    expect(late).toMatchObject({ wroteFile: true });
    expect(late.notice).toMatch(/its last line \(line \d+\) is cut.*rewritten from graph.db/);
    expect((await ids()).length).toBe(TASKS);
    expect(fileLines().size).toBe(TASKS + 1);
    expect(JSON.stringify(fileLines().get('write-report')?.log)).toContain('logged while the file was cut');
    // Whole again: nothing more to do, nothing said again.
    expect(await sync.syncNow(5000)).toEqual({ fromFile: 0, wroteFile: false });
  });

  it('an empty file that stays empty is written over from graph.db, unless every task it lacks was finished (gc)', async () => {
    writeFileSync(file, '');
    standStill(10);
    const outcome = await sync.syncNow(5000);
    expect(outcome).toMatchObject({ wroteFile: true });
    expect(outcome.notice).toMatch(/is empty, without \d+ unfinished task/);
    expect(fileLines().size).toBe(TASKS + 1);
    expect((await ids()).length).toBe(TASKS);
  });
});

describe('a version of graph.jsonl no upstream command writes is refused', () => {
  it("upstream's gc (finished tasks only, as many as it likes) is still a removal", async () => {
    const finished = (await store.list()).filter((t) => ['done', 'failed', 'abandoned'].includes(t.status)).map((t) => t.id);
    expect(finished.length).toBeGreaterThan(3);
    execFileSync('python3', [WRITER, 'edit', paths.dir, JSON.stringify({ remove: finished })]);
    // Once it has stood still: until then it may be a file written anew in parts (sync-seams.process.test.ts).
    expect((await sync.syncNow(5000)).notice).toMatch(/saved a moment ago and lacks \d+ task\(s\) it had/);
    expect(await ids()).toEqual(expect.arrayContaining(finished));
    standStill(10);
    const taken = await sync.syncNow(5000);
    expect(taken).toMatchObject({ fromFile: finished.length, wroteFile: false });
    expect((await ids()).filter((id) => finished.includes(id))).toEqual([]);
    // Said in one line, not a problem: a stale copy saved over graph.jsonl takes a finished task out of every listing,
    // and no content tells that from a gc.
    expect(taken.notice).toBeUndefined();
    expect(taken.removed).toMatch(/^graph\.jsonl no longer has [^:]+ \((done|failed|abandoned)\)/);
    expect(taken.removed).toContain("removed here too, as upstream's gc and archive remove tasks (kept whole for 30 days");
  });

  it('not even one unfinished task is removed: a stale save lacking it looks just like a line deleted by hand', async () => {
    execFileSync('python3', [WRITER, 'edit', paths.dir, JSON.stringify({ remove: ['later'] })]);
    standStill(10);
    const one = await sync.syncNow(5000);
    expect(one.notice).toMatch(/it removes an unfinished task \(later\).*to remove a task, abandon it, then gc/);
    expect(await ids()).toContain('later');
    expect([...fileLines().keys()]).toContain('later');
    execFileSync('python3', [
      WRITER,
      'edit',
      paths.dir,
      JSON.stringify({ remove: ['write-report', 'critical-fix', 'after-failed', 'after-dropped'] }),
    ]);
    standStill(10);
    const outcome = await sync.syncNow(5000);
    expect(outcome.notice).toMatch(/removes 4 unfinished tasks \((after-dropped|after-failed|critical-fix|write-report|, )+, …\)/);
    expect(await ids()).toContain('write-report');
    expect([...fileLines().keys()]).toContain('write-report');
  });

  it('an older version written back (git checkout) does not move a done task back onto its ended run; one line in its log', async () => {
    const agent = await endedRun('write-report', 'working');
    await sync.syncNow(5000);
    const older = fileText();
    expect(fileLines().get('write-report')).toMatchObject({ status: 'in-progress', assigned: agent });
    await store.core.write(async (rev) => {
      await transition(
        store.core,
        await requireTaskRow(store.core, 'write-report'),
        { status: 'done', completed_at: store.core.nowIso() },
        rev,
      );
      await store.agents.end(agent, { state: 'done', ended_at: store.core.nowIso(), exit_code: 0, reason: null }, rev);
    });
    await sync.syncNow(5000);
    expect(fileLines().get('write-report')?.status).toBe('done');
    // git puts the older version in place of the file.
    replaceFile(older);
    const outcome = await sync.syncNow(5000);
    expect(outcome.notice).toMatch(
      /graph.jsonl was not taken in: it moves write-report (back to an older version|from done back to in-progress)/,
    );
    expect(await store.get('write-report')).toMatchObject({ status: 'done' });
    expect(fileLines().get('write-report')?.status).toBe('done');
    expect((await store.get('write-report')).log.filter((e) => e.actor === 'sync').map((e) => e.message)).toHaveLength(1);
    // Settled: nothing more to do, nothing said again.
    expect(await sync.syncNow(5000)).toEqual({ fromFile: 0, wroteFile: false });
  });

  it('a done task moved back without an older stamp (a hand edit) onto an ended run is refused too', async () => {
    const agent = await endedRun('critical-fix', 'done');
    await store.core.write(async (rev) =>
      transition(store.core, await requireTaskRow(store.core, 'critical-fix'), { status: 'done', assigned: agent }, rev),
    );
    await sync.syncNow(5000);
    const lines = fileText()
      .split('\n')
      .map((l) => (l.includes('"id":"critical-fix"') ? l.replace('"status":"done"', '"status":"in-progress"') : l));
    writeFileSync(file, lines.join('\n'));
    expect((await sync.syncNow(5000)).notice).toMatch(/moves critical-fix from done back to in-progress/);
    expect((await store.get('critical-fix')).status).toBe('done');
  });

  it("a person's edit by hand saved from a copy read before a log line was added keeps the edit; only the stale line is refused", async () => {
    await sync.syncNow(5000);
    const read = fileText();
    // While the person edits, an agent logs on another task (written to graph.jsonl, with its stamp).
    await store.tasks.log('critical-fix', 'logged meanwhile', 'agent-1');
    await sync.syncNow(5000);
    // The person's change: a title, on the line as they read it (an editor keeps its last_interaction_at).
    const edited = read
      .split('\n')
      .map((l) => (l.includes('"id":"idle-cleanup"') ? JSON.stringify({ ...(JSON.parse(l) as Line), title: 'Retitled by hand' }) : l))
      .join('\n');
    replaceFile(edited);
    standStill(10);
    expect((await sync.syncNow(5000)).notice).toMatch(/graph.jsonl was not taken in: it moves critical-fix back to an older version/);
    standStill(10);
    await sync.syncNow(5000);
    expect((await store.get('idle-cleanup')).title).toBe('Retitled by hand');
    expect(fileLines().get('idle-cleanup')?.title).toBe('Retitled by hand');
    expect((await store.get('critical-fix')).log.map((e) => e.message)).toContain('logged meanwhile');
    expect(JSON.stringify(fileLines().get('critical-fix')?.log)).toContain('logged meanwhile');
  });

  it("finishing a merge of graph.jsonl as the sync asks, the person's choice of a task's older line is taken", async () => {
    await sync.syncNow(5000);
    // The other branch's line of the task, written before this branch's change to it.
    const other = fileText()
      .split('\n')
      .find((l) => l.includes('"id":"idle-cleanup"')) as string;
    const theirs = JSON.stringify({ ...(JSON.parse(other) as Line), title: 'Other branch title' });
    await store.tasks.edit('idle-cleanup', { title: 'This branch title' });
    await sync.syncNow(5000);
    const lines = fileText().split('\n');
    const at = lines.findIndex((l) => l.includes('"id":"idle-cleanup"'));
    const conflicted = [...lines.slice(0, at), '<<<<<<< HEAD', lines[at], '=======', theirs, '>>>>>>> other', ...lines.slice(at + 1)];
    replaceFile(conflicted.join('\n'));
    standStill(10);
    await expect(() => sync.syncNow(5000)).rejects.toThrow(/merge conflict marker/);
    // The person keeps the other branch's line: older than the one last synced, and theirs to choose.
    replaceFile([...lines.slice(0, at), theirs, ...lines.slice(at + 1)].join('\n'));
    standStill(10);
    expect((await sync.syncNow(5000)).notice ?? '').not.toMatch(/not taken in/);
    expect((await store.get('idle-cleanup')).title).toBe('Other branch title');
    expect(fileLines().get('idle-cleanup')?.title).toBe('Other branch title');
    // (Outside a merge an older line is still refused: 'an older version written back (git checkout)…' above.)
  });

  it("a version holding a task on two lines takes the later one and says so, as upstream's load_graph warns", async () => {
    await sync.syncNow(5000);
    const line = fileText()
      .split('\n')
      .find((l) => l.includes('"id":"idle-cleanup"')) as string;
    replaceFile(`${fileText()}${JSON.stringify({ ...(JSON.parse(line) as Line), title: 'Kept by both sides' })}\n`);
    standStill(10);
    expect((await sync.syncNow(5000)).notice).toBe(
      "graph.jsonl holds task idle-cleanup on two lines: the later line is taken, as upstream's wg takes it",
    );
    expect((await store.get('idle-cleanup')).title).toBe('Kept by both sides');
  });

  it('a writer that skipped graph.lock and renamed a stale copy loses only its own stale fields', async () => {
    await sync.syncNow(5000);
    const stale = fileText();
    // Committed here meanwhile (and written to graph.jsonl): tasks, a dependency, log entries.
    for (let i = 0; i < 5; i++)
      await store.tasks.add({ title: `Here ${i}`, id: `here-${i}`, after: i > 0 ? [`here-${i - 1}`] : [] }, 'user');
    await store.tasks.addDependency('write-report', 'here-0');
    await store.tasks.log('critical-fix', 'logged here', 'user');
    await sync.syncNow(5000);
    // The stale writer's own change: a task of its own and a log entry, on top of what it read before.
    const mine = { kind: 'task', id: 'stale-own', title: 'Stale writer', status: 'open', created_at: new Date().toISOString() };
    const edited = stale
      .split('\n')
      .map((l) => {
        if (!l.includes('"id":"idle-cleanup"')) return l;
        const line = JSON.parse(l) as Line;
        return JSON.stringify({
          ...line,
          log: [...((line.log as Line[]) ?? []), { timestamp: new Date().toISOString(), message: 'stale writer' }],
        });
      })
      .join('\n');
    writeFileSync(`${file}.tmp`, `${edited}${JSON.stringify(mine)}\n`);
    renameSync(`${file}.tmp`, file);
    // It lacks tasks made here: refused only once it has stood still (it may be a save under way).
    expect(await sync.syncNow(5000)).toMatchObject({ wroteFile: false, notice: expect.stringMatching(/not taken in yet: it removes/) });
    standStill(10);
    const outcome = await sync.syncNow(5000);
    expect(outcome.notice).toMatch(/graph.jsonl was not taken in.*kept in graph.jsonl.refused$/);
    expect(readFileSync(`${file}.refused`, 'utf8')).toBe(`${edited}${JSON.stringify(mine)}\n`);
    for (const side of [new Set(await ids()), new Set(fileLines().keys())]) {
      for (let i = 0; i < 5; i++) expect(side.has(`here-${i}`), `here-${i}`).toBe(true);
      expect(side.has('stale-own')).toBe(true);
    }
    expect((await store.get('write-report')).after).toContain('here-0');
    expect(fileLines().get('write-report')?.after).toContain('here-0');
    expect(fileLines().get('here-0')?.before).toEqual(expect.arrayContaining(['here-1', 'write-report']));
    expect((await store.get('here-3')).after).toEqual(['here-2']);
    expect(JSON.stringify(fileLines().get('critical-fix')?.log)).toContain('logged here');
    expect((await store.get('idle-cleanup')).log.map((e) => e.message)).toContain('stale writer');
    expect(JSON.stringify(fileLines().get('idle-cleanup')?.log)).toContain('stale writer');
  });
});

describe('lines without last_interaction_at (a file no current upstream wg has written yet)', () => {
  it('a stale copy renamed over without graph.lock loses no dependency or edit made here: upstream reads such a line as changed at its creation', async () => {
    // A graph.jsonl made by hand or by an older tool: no line carries last_interaction_at, only created_at.
    await projectOf(
      ['a', 'b', 'c'].map((id) => ({ kind: 'task', id, title: id.toUpperCase(), status: 'open', created_at: '2026-01-01T00:00:00+00:00' })),
    );
    await sync.syncNow(5000);
    const stale = fileText();
    // Committed here meanwhile, and written to graph.jsonl: a dependency between tasks it has, and a new title.
    await store.tasks.addDependency('c', 'b');
    await store.tasks.edit('a', { title: 'A edited here' });
    await sync.syncNow(5000);
    expect(fileLines().get('c')?.after).toEqual(['b']);
    // A writer that read before those changes renames its copy over the file, skipping graph.lock.
    writeFileSync(`${file}.tmp`, stale);
    renameSync(`${file}.tmp`, file);
    const outcome = await sync.syncNow(5000);
    expect(outcome.notice).toMatch(/graph.jsonl was not taken in: it moves \w back to an older version of it/);
    expect((await store.get('c')).after).toEqual(['b']);
    expect((await store.get('a')).title).toBe('A edited here');
    expect(fileLines().get('c')?.after).toEqual(['b']);
    expect(fileLines().get('a')?.title).toBe('A edited here');
  });

  it('are still taken in when changed by a tool that leaves the field out, as long as their creation is not older than the last version', async () => {
    const lines = ['a', 'b'].map((id) => ({
      kind: 'task',
      id,
      title: id.toUpperCase(),
      status: 'open',
      created_at: '2026-01-01T00:00:00+00:00',
    }));
    await projectOf(lines);
    await sync.syncNow(5000);
    writeFileSync(file, [{ ...lines[0], title: 'A by hand' }, lines[1]].map((l) => `${JSON.stringify(l)}\n`).join(''));
    expect((await sync.syncNow(5000)).notice).toBeUndefined();
    expect((await store.get('a')).title).toBe('A by hand');
  });
});

describe('no log entry lost', () => {
  it("a task's line written back without entries it had (a stale copy of one task) keeps them, in both", async () => {
    await store.tasks.log('critical-fix', 'logged here', 'user');
    await sync.syncNow(5000);
    const stale = (
      JSON.parse(
        fileText()
          .split('\n')
          .find((l) => l.includes('"id":"critical-fix"')) as string,
      ) as Line
    ).log as Line[];
    execFileSync('python3', [
      WRITER,
      'edit',
      paths.dir,
      JSON.stringify({ set: { 'critical-fix': { log: stale.slice(0, -1), title: 'Renamed upstream' } } }),
    ]);
    await sync.syncNow(5000);
    expect((await store.get('critical-fix')).title).toBe('Renamed upstream');
    expect((await store.get('critical-fix')).log.map((e) => e.message)).toContain('logged here');
    expect(JSON.stringify(fileLines().get('critical-fix')?.log)).toContain('logged here');
  });
});

describe('reads never write', () => {
  it('a sync in read mode takes graph.jsonl in and leaves every byte of it, even with a change here to write', async () => {
    await sync.syncNow(5000);
    await store.tasks.edit('write-report', { description: 'changed here' });
    execFileSync('python3', [WRITER, 'edit', paths.dir, JSON.stringify({ set: { 'critical-fix': { title: 'Renamed upstream' } } })]);
    const before = fileText();
    expect(await sync.syncNow(5000, 'read')).toMatchObject({ fromFile: 1, wroteFile: false });
    expect(fileText()).toBe(before);
    expect((await store.get('critical-fix')).title).toBe('Renamed upstream');
    // The change waits for a sync that writes.
    expect(await sync.syncNow(5000)).toMatchObject({ wroteFile: true });
    expect(fileLines().get('write-report')?.description).toBe('changed here');
  });
});
