import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempProject } from '../helpers/wg-cli';
import { damageMiddle, garbleCells, importedProject, RECOVER, readableOneByOne, TASKS } from './support/damaged-db';

/**
 * A graph.db damaged in the middle: one page of the tasks table overwritten, as a
 * bad sector or a stray write leaves it. SQLite opens such a file without a word; it is caught by
 * SQLite's own checks (quick_check at coordinator start, a broken page met by any statement) and from
 * then on refused, with one line saying how to recover, until a person has dealt with it.
 * Here the commands, in-process; a running coordinator and a project beside upstream's graph.jsonl are in
 * damaged-graph.process.test.ts.
 */
let projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects) p.remove();
  projects = [];
});

describe('a graph.db damaged in the middle', () => {
  it('once a command meets the broken page, no later wg writes into the file, even where the write would miss it', async () => {
    const { p, db } = await importedProject(projects);
    damageMiddle(db, 'tasks');
    // Reading every task reaches the broken page: SQLite's SQLITE_CORRUPT, in one line.
    const list = await p.wg(['list']);
    expect(list.exitCode).not.toBe(0);
    expect(list.stderr).toBe(`wg: ${db} is damaged (SQLite reported a malformed page); it was left as it is (${RECOVER})`);
    const before = readFileSync(db);
    // A new task would go into the last page, which is whole: it is refused all the same.
    const add = await p.wg(['add', 'Another', '--id', 'another']);
    expect(add.exitCode).not.toBe(0);
    expect(add.stderr).toBe(list.stderr);
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });

  it('a command that meets the damage after its commit says the change was saved, not that the file was left as it is', async () => {
    const { p, db } = await importedProject(projects);
    // Two pages zeroed: the dependencies table and its index, which `wg pause` reads back after its commit (the task's
    // dependencies), not before. (`wg add` reads its task back inside its transaction, sent with the commit: it meets
    // such damage before anything is saved.)
    const reader = new Database(db);
    reader.pragma('wal_checkpoint(TRUNCATE)');
    const pages = reader.prepare("SELECT rootpage FROM sqlite_master WHERE name IN ('deps', 'deps_by_dep')").pluck().all() as number[];
    const pageSize = reader.pragma('page_size', { simple: true }) as number;
    reader.close();
    expect(pages).toHaveLength(2);
    const fd = openSync(db, 'r+');
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const pause = await p.wg(['pause', 't7']);
    expect(pause.exitCode).not.toBe(0);
    expect(pause.stderr).toBe(
      `wg: ${db} is damaged (SQLite reported a malformed page); the change was saved before the damage was met; no wg writes to it again until it is dealt with (${RECOVER})`,
    );
    const after = new Database(db, { readonly: true });
    expect(after.prepare("SELECT paused FROM tasks WHERE id = 't7'").pluck().get()).toBe(1);
    after.close();
    // And it is so: the next wg is refused, and writes nothing.
    const before = readFileSync(db);
    const next = await p.wg(['add', 'Third', '--id', 'third']);
    expect(next.stderr).toBe(`wg: ${db} is damaged (SQLite reported a malformed page); it was left as it is (${RECOVER})`);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('wg check --db says what SQLite found and how to recover; restored in place, the file is used again', async () => {
    const { p, db } = await importedProject(projects);
    const reader = new Database(db);
    reader.pragma('wal_checkpoint(TRUNCATE)');
    reader.close();
    const whole = readFileSync(db);
    expect(await p.wg(['check', '--db'])).toMatchObject({
      exitCode: 0,
      stdout: `${db}: whole (SQLite integrity_check: ok; ${TASKS} tasks)`,
    });
    damageMiddle(db, 'other_nodes');
    const check = await p.wg(['check', '--db']);
    expect(check.exitCode).toBe(1);
    const lines = check.stdout.split('\n');
    expect(lines[0]).toBe(`${db} is damaged; SQLite found:`);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.at(-2)).toBe(`To recover: stop the coordinator (wg service stop), then ${RECOVER}.`);
    expect(JSON.parse((await p.wg(['check', '--db', '--json'])).stdout)).toMatchObject({ db, ok: false, upstream: null });
    // Found once, refused by every wg from then on.
    expect((await p.wg(['add', 'Another'])).stderr).toBe(
      `wg: ${db} is damaged (SQLite integrity_check failed); it was left as it is (${RECOVER})`,
    );

    // Restored from a backup by copying over it (the same file to the system): refused until checked again.
    writeFileSync(db, whole);
    expect((await p.wg(['add', 'Another'])).exitCode).not.toBe(0);
    expect((await p.wg(['check', '--db'])).exitCode).toBe(0);
    expect(await p.wg(['add', 'Another', '--id', 'another'])).toMatchObject({ exitCode: 0, stderr: '' });
  });

  it('wg check --db --repair makes it whole from what SQLite can still read, keeping the damaged file', async () => {
    const { p, db } = await importedProject(projects);
    damageMiddle(db, 'tasks');
    // Not from an agent's run: a person's call.
    const fromRun = await p.wg(['check', '--db', '--repair'], { env: { WG_AGENT_ID: 'agent-1', WG_RUN_ID: 'run-1' } });
    expect(fromRun).toMatchObject({ exitCode: 1, stderr: "wg: an agent's run may not repair the project's graph.db; a person can" });
    const repair = await p.wg(['check', '--db', '--repair']);
    expect(repair).toMatchObject({ exitCode: 0, stderr: '' });
    const [, tasks, kept] =
      /^.*graph\.db rebuilt from what SQLite could read of it: (\d+) tasks; rows of tasks on broken pages are lost, and \d+ that referred to them\. The damaged file is kept as (.*graph\.db\.damaged-\S+)\.$/.exec(
        repair.stdout,
      ) ?? [];
    // One leaf page of tasks is lost, the rest is there.
    expect(Number(tasks)).toBeGreaterThan(TASKS - 30);
    expect(Number(tasks)).toBeLessThan(TASKS);
    expect(existsSync(kept as string)).toBe(true);
    expect(await p.wg(['check', '--db'])).toMatchObject({
      exitCode: 0,
      stdout: `${db}: whole (SQLite integrity_check: ok; ${tasks} tasks)`,
    });
    expect((JSON.parse(await p.ok(['list', '--all', '--json'])) as unknown[]).length).toBe(Number(tasks));
    expect(await p.wg(['add', 'After', '--id', 'after'])).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await p.wg(['check'])).toMatchObject({ exitCode: 0 });
  });

  it('wg check --db --repair keeps every task SQLite can still read by itself when a broken page has a whole header and garbage cells', async () => {
    const { p, db } = await importedProject(projects);
    const clean = join(p.root, 'clean.db');
    const reader = new Database(db);
    reader.pragma('wal_checkpoint(TRUNCATE)');
    reader.close();
    writeFileSync(clean, readFileSync(db));
    // A few different garbages: each one gave the scan other wrong rowids before.
    for (const seed of [1, 7, 42]) {
      for (const suffix of ['-wal', '-shm', '-damaged']) rmSync(`${db}${suffix}`, { force: true });
      writeFileSync(db, readFileSync(clean));
      garbleCells(db, seed);
      const readable = readableOneByOne(db);
      // One leaf page's tasks are gone, every other one reads.
      expect(readable.length, `seed ${seed}`).toBeLessThan(TASKS);
      expect(readable.length, `seed ${seed}`).toBeGreaterThan(TASKS - 30);
      expect(await p.wg(['check', '--db', '--repair']), `seed ${seed}`).toMatchObject({ exitCode: 0, stderr: '' });
      const kept = (JSON.parse(await p.ok(['list', '--all', '--json'])) as Array<{ id: string }>).map((task) => task.id).sort();
      expect(kept, `seed ${seed}`).toEqual(readable);
    }
  });

  it('wg check --db --repair says nothing can be salvaged when SQLite cannot read the schema, and how to recover', async () => {
    const { p, db } = await importedProject(projects);
    const reader = new Database(db);
    reader.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = reader.pragma('page_size', { simple: true }) as number;
    reader.close();
    // Page 1 alone: the schema's own pages after it are gone.
    writeFileSync(db, readFileSync(db).subarray(0, pageSize));
    const before = readFileSync(db);
    const repair = await p.wg(['check', '--db', '--repair']);
    expect(repair).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: `wg: nothing in ${db} can be salvaged: SQLite cannot read its list of tables; it was left as it is (${RECOVER}; a file 'wg export' wrote can be read into a fresh graph with 'wg import FILE')`,
    });
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(readdirSync(join(p.root, '.workgraph')).filter((name) => name.includes('salvage'))).toEqual([]);
  });
});
