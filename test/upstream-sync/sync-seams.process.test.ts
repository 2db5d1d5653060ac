import { sqlText } from '../helpers/sql-text';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../src/core/opening/open-store';
import { projectPaths, type ProjectPaths } from '../../src/core/project';
import type { Store } from '../../src/core/store/store';
import { collectGarbage } from '../../src/core/cleanup/gc';
import { GraphSync } from '../../src/core/upstream-sync/graph-sync';
import { TASK_ID_PATTERN } from '../../src/shared/ops/schemas';

/*
 * Seams of graph.jsonl that a review found losing or stalling work: a change held back by a command that
 * only reads, a byte that is not UTF-8, the file's mode, and a slow save in place.
 */

const FIXTURE = join(import.meta.dirname, '../fixtures/upstream/graph.jsonl');

type Line = Record<string, unknown>;

let root: string;
let paths: ProjectPaths;
let store: Store;
let sync: GraphSync;
let file: string;

const fileText = () => readFileSync(file, 'utf8');
const lines = () => fileText().split('\n').filter(Boolean);
const lineOf = (id: string) => lines().find((l) => (JSON.parse(l) as Line).id === id) as string;
/**
 * graph.jsonl with one task's line changed by `change`, written in place (an editor's save), or by `write`; `from`: the
 * text the editor opened, when it read the file earlier.
 */
function saveInPlace(
  change: Record<string, (line: Line) => Line>,
  write = (text: string) => writeFileSync(file, text),
  from = fileText(),
): void {
  const text = from
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const line = JSON.parse(l) as Line;
      const edit = change[line.id as string];
      return edit ? JSON.stringify(edit(line)) : l;
    })
    .join('\n');
  write(`${text}\n`);
}

/** graph.jsonl replaced whole, as git and upstream's wg put a version in place: a new file renamed over it. */
function replaceFile(text: string): void {
  writeFileSync(`${file}.new`, text);
  renameSync(`${file}.new`, file);
}

/** graph.jsonl as a save in place leaves it once it has stood still (a save in place is not written over while it may go on). */
function standStill(): void {
  const then = new Date(Date.now() - 10_000);
  utimesSync(file, then, then);
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'wg-seams-'));
  mkdirSync(join(root, '.wg'));
  file = join(root, '.wg', 'graph.jsonl');
  copyFileSync(FIXTURE, file);
  paths = projectPaths(join(root, '.wg'));
  store = (await openProjectStore(paths)).store;
  sync = await GraphSync.open(store, paths.dir);
  await sync.syncNow(5000);
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('a change a command that only reads held back', () => {
  it('is taken in by the next sync that writes, though the file did not change again', async () => {
    await store.tasks.log('critical-fix', 'note 1', 'user');
    await sync.syncNow(5000);
    // One save: write-report's title changed; critical-fix's title changed and its log entry dropped (a merge
    // that would write graph.jsonl, so a command that only reads holds it back).
    saveInPlace({
      'write-report': (l) => ({ ...l, title: 'Report v2' }),
      'critical-fix': (l) => ({ ...l, title: 'Fix v2', log: (l.log as Line[]).filter((e) => e.message !== 'note 1') }),
    });
    expect((await sync.syncNow(5000, 'read')).wroteFile).toBe(false);
    expect((await store.get('write-report')).title).toBe('Report v2');
    expect((await store.get('critical-fix')).title).not.toBe('Fix v2');
    // The daemon's sync at its next look (nothing else changed), once the save has stood still: still pending, and
    // taken in whole.
    standStill();
    expect(await sync.pending()).toBe(true);
    expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    expect((await store.get('critical-fix')).title).toBe('Fix v2');
    expect((await store.get('critical-fix')).log.map((e) => e.message)).toContain('note 1');
    expect(JSON.stringify((JSON.parse(lineOf('critical-fix')) as Line).log)).toContain('note 1');
  });
});

describe('a line that is not UTF-8 text', () => {
  it('is refused as a broken line, naming it, at once after the settle and without taking the rest in', async () => {
    appendFileSync(
      file,
      Buffer.concat([Buffer.from('{"kind":"task","id":"latin","title":"Caf'), Buffer.from([0xe9]), Buffer.from('","status":"open"}\n')]),
    );
    const started = Date.now();
    await expect(() => sync.syncNow(5000)).rejects.toThrow(`line ${lines().length} of graph.jsonl is not UTF-8 text`);
    // One settle, not a read again and again as if the file kept changing (3 s before).
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await store.list()).map((t) => t.id)).not.toContain('latin');
  });
});

describe('graph.jsonl as this app writes it', () => {
  it('is made as upstream makes it: 0666 less the umask (a group-writable setting holds)', async () => {
    const before = process.umask(0o002);
    try {
      await store.tasks.log('write-report', 'written', 'user');
      expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    } finally {
      process.umask(before);
    }
    expect(statSync(file).mode & 0o777).toBe(0o664);
  });
});

describe('a save in place that pauses longer than a settle, lacking unfinished tasks meanwhile', () => {
  it('is not refused or written over while it may go on; its whole version is taken in once it ends, edit included', async () => {
    const whole = lines();
    const edited = whole.map((l) =>
      (JSON.parse(l) as Line).id === 'write-report' ? JSON.stringify({ ...(JSON.parse(l) as Line), title: 'Edited in the save' }) : l,
    );
    // The first three lines written, then a pause of any length: the sync looks twice, a settle apart.
    writeFileSync(file, `${edited.slice(0, 3).join('\n')}\n`);
    await store.tasks.log('critical-fix', 'made during the save', 'user');
    const during = await sync.syncNow(5000);
    expect(during).toMatchObject({ fromFile: 0, wroteFile: false });
    expect(during.notice).toMatch(/not taken in or written yet: it was saved in place a moment ago and lacks \d+ task\(s\) it had/);
    expect(fileText()).toBe(`${edited.slice(0, 3).join('\n')}\n`);
    // The save ends, in place.
    appendFileSync(file, `${edited.slice(3).join('\n')}\n`);
    standStill();
    expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    expect((await store.get('write-report')).title).toBe('Edited in the save');
    expect(JSON.parse(lineOf('write-report'))).toMatchObject({ title: 'Edited in the save' });
    expect(JSON.stringify((JSON.parse(lineOf('critical-fix')) as Line).log)).toContain('made during the save');
    expect(lines().length).toBe(whole.length);
  });

  it('is refused once it has stood still, and the version refused is kept beside graph.jsonl', async () => {
    const head = `${lines().slice(0, 3).join('\n')}\n`;
    writeFileSync(file, head);
    const then = new Date(Date.now() - 10_000);
    utimesSync(file, then, then);
    expect((await sync.syncNow(5000)).notice).toMatch(/was not taken in: it removes .*kept in graph.jsonl.refused$/);
    expect(readFileSync(`${file}.refused`, 'utf8')).toBe(head);
    expect(lines().length).toBeGreaterThan(3);
  });
});

describe('a save in place that adds tasks and pauses, with a change of this app meanwhile', () => {
  it('is not renamed over while it may go on (its end would go to the file replaced): both sides whole once it has stood still', async () => {
    const task = (id: string) => JSON.stringify({ kind: 'task', id, title: `Added ${id}`, status: 'open' });
    const whole = `${fileText()}${task('saved-1')}\n${task('saved-2')}\n`;
    const cut = whole.indexOf(task('saved-2'));
    // The save begins: truncated, all but its last line written, then a pause with its descriptor open.
    const fd = openSync(file, 'w');
    writeSync(fd, whole.slice(0, cut));
    await store.tasks.add({ id: 'added-here', title: 'Added here' }, 'user');
    const during = await sync.syncNow(5000);
    expect(during).toMatchObject({ wroteFile: false });
    expect(during.notice).toMatch(/not taken in or written yet: it was saved in place a moment ago/);
    // The save ends, into the same file.
    writeSync(fd, whole.slice(cut));
    closeSync(fd);
    expect(fileText()).toBe(whole);
    standStill();
    expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    expect((await store.list()).map((t) => t.id)).toEqual(expect.arrayContaining(['saved-1', 'saved-2', 'added-here']));
    expect(lines().map((l) => (JSON.parse(l) as Line).id)).toEqual(expect.arrayContaining(['saved-1', 'saved-2', 'added-here']));
  });
});

describe('a save in place lacking a finished task (the start of a save, or a hand edit removing it)', () => {
  it('removes nothing while it may go on; once it has stood still, the task goes as upstream gc removes one', async () => {
    writeFileSync(
      file,
      `${lines()
        .filter((l) => (JSON.parse(l) as Line).id !== 'dropped')
        .join('\n')}\n`,
    );
    const during = await sync.syncNow(5000);
    expect(during.notice).toMatch(/saved in place a moment ago and lacks 1 task\(s\) it had/);
    expect((await store.list()).map((t) => t.id)).toContain('dropped');
    standStill();
    await sync.syncNow(5000);
    expect((await store.list()).map((t) => t.id)).not.toContain('dropped');
  });
});

describe('a file deleted and written anew in parts, its last lines finished tasks', () => {
  // `rm` then a write in two parts 3 s apart (a new inode, not a save in place): the read between them lacks the two
  // tasks finished last, which must not be removed from graph.db for it.
  it('removes nothing while it may go on; once whole, every task is there', async () => {
    await store.tasks.add({ id: 'finished-last', title: 'Finished last' }, 'user');
    await store.tasks.done('finished-last', {}, 'user');
    await sync.syncNow(5000);
    const whole = fileText();
    const cut = whole.indexOf(lineOf('finished-last'));
    expect(cut).toBeGreaterThan(0);
    unlinkSync(file);
    const fd = openSync(file, 'w');
    writeSync(fd, whole.slice(0, cut));
    const during = await sync.syncNow(5000);
    expect(during.notice).toMatch(/not taken in or written yet: it was saved a moment ago and lacks 1 task\(s\) it had/);
    expect((await store.list()).map((t) => t.id)).toContain('finished-last');
    writeSync(fd, whole.slice(cut));
    closeSync(fd);
    standStill();
    await sync.syncNow(5000);
    expect((await store.list()).map((t) => t.id)).toContain('finished-last');
    expect(lines().map((l) => (JSON.parse(l) as Line).id)).toContain('finished-last');
  });

  it('is taken as a removal once it has stood still lacking them (upstream gc by a rename)', async () => {
    replaceFile(
      `${lines()
        .filter((l) => (JSON.parse(l) as Line).id !== 'research-spawn-semantics')
        .join('\n')}\n`,
    );
    expect((await sync.syncNow(5000)).notice).toMatch(/saved a moment ago and lacks/);
    standStill();
    await sync.syncNow(5000);
    expect((await store.list()).map((t) => t.id)).not.toContain('research-spawn-semantics');
  });
});

describe('a finished task removed here (wg gc), back unfinished in an older version (git checkout)', () => {
  it('is not brought back to be run again: the version is refused, and the task stays removed on both sides', async () => {
    const older = fileText();
    await store.tasks.done('critical-fix', {}, 'user');
    await sync.syncNow(5000);
    await collectGarbage(store, paths.runsDir, { dryRun: false, includeDone: true, older: undefined });
    await sync.syncNow(5000);
    expect(lines().map((l) => (JSON.parse(l) as Line).id)).not.toContain('critical-fix');
    replaceFile(older);
    const outcome = await sync.syncNow(5000);
    expect(outcome.notice).toMatch(/was not taken in: it moves .*critical-fix (back to an older version|from done back to open)/);
    expect((await store.list()).map((t) => t.id)).not.toContain('critical-fix');
    expect(lines().map((l) => (JSON.parse(l) as Line).id)).not.toContain('critical-fix');
    expect(readFileSync(`${file}.refused`, 'utf8')).toBe(older);
  });
});

describe('a finished task a version lacks (git stash, an older commit checked out), back in the next', () => {
  const EVALUATION = '{"score":0.9,"dimensions":{},"evaluator":null,"notes":null,"timestamp":"2026-01-01T00:00:00Z"}';
  /** What only graph.db holds of `dropped`: graph.jsonl's line has none of it. */
  async function giveDbOnlyFields(): Promise<void> {
    await sqlText(
      store.core,
      "UPDATE tasks SET executor = 'shell', role = 'dev', repo = 'acme/app', results = '{\"answer\":42}', evaluation = ? WHERE id = 'dropped'",
    ).run(EVALUATION);
  }

  it('comes back whole: executor, role, repository, results and evaluation as they were', async () => {
    await giveDbOnlyFields();
    const whole = fileText();
    // The stash: graph.jsonl without the finished task, put in place whole; upstream's gc looks the same.
    replaceFile(
      `${lines()
        .filter((l) => (JSON.parse(l) as Line).id !== 'dropped')
        .join('\n')}\n`,
    );
    // A removal waits until the version has stood still (a pop within 5 s finds nothing removed at all).
    standStill();
    await sync.syncNow(5000, 'read');
    expect((await store.list()).map((t) => t.id)).not.toContain('dropped');
    // The pop: the line is back.
    replaceFile(whole);
    await sync.syncNow(5000, 'read');
    expect(await store.get('dropped')).toMatchObject({
      status: 'abandoned',
      executor: 'shell',
      role: 'dev',
      repo: 'acme/app',
      results: { answer: 42 },
      evaluation: { score: 0.9 },
    });
    // Brought back once: a later removal and return are kept again.
    expect(await sqlText(store.core, 'SELECT count(*) AS n FROM upstream_sync_kept').get()).toEqual({ n: 0 });
  });

  it('takes the changes its line made meanwhile, over what graph.db kept', async () => {
    await giveDbOnlyFields();
    const whole = lines();
    replaceFile(`${whole.filter((l) => (JSON.parse(l) as Line).id !== 'dropped').join('\n')}\n`);
    await sync.syncNow(5000, 'read');
    const back = whole.map((l) =>
      (JSON.parse(l) as Line).id === 'dropped' ? JSON.stringify({ ...(JSON.parse(l) as Line), title: 'Dropped, renamed upstream' }) : l,
    );
    replaceFile(`${back.join('\n')}\n`);
    await sync.syncNow(5000, 'read');
    expect(await store.get('dropped')).toMatchObject({ title: 'Dropped, renamed upstream', executor: 'shell', evaluation: { score: 0.9 } });
  });
});

describe("a task id in letters of any script (upstream's wg add keeps every alphanumeric character of a title)", () => {
  it('is taken in, kept, and its changes written back', async () => {
    appendFileSync(file, `${JSON.stringify({ kind: 'task', id: 'réviser-la-doc', title: 'Réviser la doc', status: 'open' })}\n`);
    appendFileSync(file, `${JSON.stringify({ kind: 'task', id: '文档-2', title: '文档 2', status: 'open', after: ['réviser-la-doc'] })}\n`);
    expect(await sync.syncNow(5000)).toMatchObject({ fromFile: 2 });
    expect((await store.get('文档-2')).after).toEqual(['réviser-la-doc']);
    await store.tasks.log('réviser-la-doc', 'relu', 'user');
    expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    expect(JSON.stringify((JSON.parse(lineOf('réviser-la-doc')) as Line).log)).toContain('relu');
  });

  it('still refuses what could be a path or split in a shell', () => {
    for (const id of ['../etc', 'a b', 'a/b', '-x', "it's", 'a\u0007b', 'é\u200bx']) expect(TASK_ID_PATTERN.test(id), id).toBe(false);
    for (const id of ['réviser-la-doc', '文档-2', '.evaluate-x', 'task_1.2']) expect(TASK_ID_PATTERN.test(id), id).toBe(true);
  });
});

describe("upstream's other nodes (resources) added after the first import", () => {
  it('are kept when a stale version lacking them is refused and written over', async () => {
    const stale = fileText();
    await store.tasks.add({ title: 'Made here', id: 'made-here' }, 'user');
    await sync.syncNow(5000);
    // One resource added, and the fixture's own one changed, each by upstream and taken in.
    const resource = JSON.stringify({ kind: 'resource', id: 'cpu-budget', name: 'CPU budget', available: 100 });
    const changed = lines().map((l) => (l.includes('"id":"gpu-budget"') ? l.replace('"available":250.0', '"available":300.0') : l));
    writeFileSync(file, `${[...changed, resource].join('\n')}\n`);
    await sync.syncNow(5000);
    // A stale copy (without made-here and the resource) written back, standing still: refused, written over.
    writeFileSync(file, stale);
    const then = new Date(Date.now() - 10_000);
    utimesSync(file, then, then);
    expect((await sync.syncNow(5000)).notice).toMatch(/was not taken in: it removes an unfinished task \(made-here\)/);
    expect(lines()).toContain(resource);
    expect(lines().find((l) => l.includes('"id":"gpu-budget"'))).toContain('"available":300.0');
    expect(lines().some((l) => l.includes('"id":"made-here"'))).toBe(true);
  });
});

describe('a version that renames an unfinished task', () => {
  it('is refused whole for it: the new id is not added as a second task, and the notice says what was and was not taken', async () => {
    await store.tasks.add({ title: 'Weekly report', id: 'report', executor: 'manual' }, 'user');
    await sync.syncNow(5000);
    const renamed = lines().map((l) => (l.includes('"id":"report"') ? l.replace('"id":"report"', '"id":"weekly-report"') : l));
    writeFileSync(file, `${renamed.join('\n')}\n`);
    const then = new Date(Date.now() - 10_000);
    utimesSync(file, then, then);
    const notice = (await sync.syncNow(5000)).notice ?? '';
    expect(notice).toMatch(/was not taken in: it removes an unfinished task \(report\)/);
    expect(notice).toContain("it renames report to weekly-report, and a task's id does not change: weekly-report was not added");
    expect((await store.list()).map((t) => t.id)).not.toContain('weekly-report');
    expect((await store.get('report')).executor).toBe('manual');
    expect(lines().some((l) => l.includes('"id":"weekly-report"'))).toBe(false);
  });
});

describe('upstream at work on a version that is then refused', () => {
  it("keeps upstream's own changes made after the last sync (stamped later), refusing only what moved back", async () => {
    const finishedLine = lines().find((l) => (JSON.parse(l) as Line).status === 'done') as string;
    const finished = (JSON.parse(finishedLine) as Line).id as string;
    // A hand edit moves a done task back to open: refused by the next sync that writes (a command that only reads leaves it).
    writeFileSync(file, fileText().replace(finishedLine, JSON.stringify({ ...(JSON.parse(finishedLine) as Line), status: 'open' })));
    await sync.syncNow(5000, 'read');
    // Upstream, at work on that file (its lock, a rename), changes another task: a new title, a tag, its stamp.
    const later = new Date(Date.now() + 1000).toISOString();
    saveInPlace(
      { 'write-report': (l) => ({ ...l, title: 'Renamed upstream', tags: ['urgent'], last_interaction_at: later }) },
      replaceFile,
    );
    const outcome = await sync.syncNow(5000);
    expect(outcome.notice).toMatch(new RegExp(`was not taken in: it moves ${finished}`));
    expect((await store.get(finished)).status).toBe('done');
    expect(await store.get('write-report')).toMatchObject({ title: 'Renamed upstream', tags: ['urgent'] });
    expect(JSON.parse(lineOf('write-report'))).toMatchObject({ title: 'Renamed upstream', tags: ['urgent'] });
    expect((JSON.parse(lineOf(finished)) as Line).status).toBe('done');
  });
});

describe("an editor's copy read before this app changed a task, saved with that task changed by hand", () => {
  it('takes the fields changed by hand onto the task as it stands, and leaves the rest of the older line refused', async () => {
    // The editor opens graph.jsonl; then this app changes the task (a run's done, here a description) and writes it.
    const opened = fileText();
    await store.tasks.edit('write-report', { description: 'Changed here meanwhile' });
    expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    // The editor saves its copy in place, the task's title changed in it: its line is older than graph.jsonl's now.
    saveInPlace({ 'write-report': (l) => ({ ...l, title: 'Retitled by hand' }) }, undefined, opened);
    standStill();
    const outcome = await sync.syncNow(5000);
    expect(outcome.notice).toMatch(/was not taken in: it moves write-report back to an older version of it/);
    expect(outcome.notice).toContain('what was changed by hand on its older lines is taken: write-report (title)');
    expect(await store.get('write-report')).toMatchObject({ title: 'Retitled by hand', description: 'Changed here meanwhile' });
    expect(JSON.parse(lineOf('write-report'))).toMatchObject({ title: 'Retitled by hand', description: 'Changed here meanwhile' });
    expect((await store.get('write-report')).log.at(-1)?.message).toMatch(
      /^graph\.jsonl moved this task back to an older version of it \(last changed .*\), with title changed by hand on it: that change is taken, the rest of that version refused$/,
    );
  });
  it('tells the edit from its line after many changes since (an agent logs at every step of its run)', async () => {
    const opened = fileText();
    for (let step = 1; step <= 30; step++) {
      await store.tasks.log('write-report', `step ${step}`, 'agent-1');
      await sync.syncNow(5000);
    }
    saveInPlace({ 'write-report': (l) => ({ ...l, title: 'Retitled by hand' }) }, undefined, opened);
    standStill();
    await sync.syncNow(5000);
    expect((await store.get('write-report')).title).toBe('Retitled by hand');
    expect((await store.get('write-report')).log.filter((entry) => entry.message.startsWith('step '))).toHaveLength(30);
  });

  it('refuses an edit by hand on that older line that sets the task back, as on a line as it stands', async () => {
    const opened = fileText();
    const title = (await store.get('research-spawn-semantics')).title;
    await store.tasks.edit('research-spawn-semantics', { description: 'Changed here meanwhile' });
    await sync.syncNow(5000);
    saveInPlace({ 'research-spawn-semantics': (l) => ({ ...l, status: 'open', title: 'Run it again' }) }, undefined, opened);
    standStill();
    expect((await sync.syncNow(5000)).notice).not.toContain('changed by hand');
    expect(await store.get('research-spawn-semantics')).toMatchObject({ status: 'done', title, description: 'Changed here meanwhile' });
    expect((await store.get('research-spawn-semantics')).log.at(-1)?.message).toMatch(/; refused, the task stays as it was$/);
  });
});

describe('a merge of graph.jsonl finished keeping the other side, an older line of a task done since', () => {
  it("takes that side's own changes, and does not set the done task back to be run again", async () => {
    const opened = lineOf('critical-fix');
    await store.tasks.done('critical-fix', {}, 'user');
    expect((await sync.syncNow(5000)).wroteFile).toBe(true);
    const done = lineOf('critical-fix');
    // The other branch retitled the task on the line as it was before it was done (an editor keeps the stamp).
    const other = JSON.stringify({ ...(JSON.parse(opened) as Line), title: 'Critical fix, retitled on the other branch' });
    const conflicted = fileText().replace(done, `<<<<<<< HEAD\n${done}\n=======\n${other}\n>>>>>>> other`);
    writeFileSync(file, conflicted);
    standStill();
    await expect(() => sync.syncNow(5000)).rejects.toThrow(/merge conflict marker/);
    // The person keeps the other side (git checkout --theirs).
    writeFileSync(file, conflicted.replace(`<<<<<<< HEAD\n${done}\n=======\n`, '').replace('\n>>>>>>> other', ''));
    standStill();
    await sync.syncNow(5000);
    expect(await store.get('critical-fix')).toMatchObject({ status: 'done', title: 'Critical fix, retitled on the other branch' });
    expect(JSON.parse(lineOf('critical-fix'))).toMatchObject({ status: 'done', title: 'Critical fix, retitled on the other branch' });
  });
});

describe('a line stamped ahead of this clock (a teammate whose clock runs ahead), changed here', () => {
  it('is stamped after it, so the copy from before the change (git checkout -- graph.jsonl) is refused as older', async () => {
    const ahead = new Date(Date.now() + 120_000).toISOString();
    const open = JSON.stringify({ ...(JSON.parse(lineOf('critical-fix')) as Line), last_interaction_at: ahead });
    replaceFile(fileText().replace(lineOf('critical-fix'), open));
    standStill();
    await sync.syncNow(5000);
    const before = fileText();
    await store.tasks.done('critical-fix', {}, 'user');
    await sync.syncNow(5000);
    expect(Date.parse((JSON.parse(lineOf('critical-fix')) as Line).last_interaction_at as string)).toBeGreaterThan(Date.parse(ahead));
    // The version before the done put back, as git does.
    replaceFile(before);
    standStill();
    expect((await sync.syncNow(5000)).notice).toMatch(/was not taken in: it moves critical-fix back to an older version of it/);
    expect((await store.get('critical-fix')).status).toBe('done');
  });
});
