import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../helpers/seeded-random';
import { TempProject } from '../helpers/wg-cli';
import { isZombieOrGone, waitFor } from '../service/helpers/daemon-project';

/**
 * A graph.db damaged in the middle (issue 27, item 5): one page of the tasks table overwritten, as a
 * bad sector or a stray write leaves it. SQLite opens such a file without a word; it is caught by
 * SQLite's own checks (quick_check at coordinator start, a broken page met by any statement) and from
 * then on refused, with one line saying how to recover, until a person has dealt with it.
 */
const TASKS = 300;
let projects: TempProject[] = [];
afterEach(async () => {
  for (const p of projects) {
    await p.wg(['service', 'stop']);
    p.remove();
  }
  projects = [];
});

/** 300 tasks with logs, and 100 of upstream's other nodes, as graph.jsonl lines. */
function graphLines(): string {
  const log = (i: number) =>
    [1, 2, 3].map((n) => ({ timestamp: '2026-01-01T00:00:00Z', actor: 'agent', message: `Step ${n} of task ${i}: `.padEnd(200, '.') }));
  const lines = Array.from({ length: TASKS }, (_, i) =>
    JSON.stringify({ kind: 'task', id: `t${i}`, title: `Task ${i}`, description: `What task ${i} is about. `.repeat(20), log: log(i) }),
  );
  // Upstream's other nodes, kept for `wg export`: nothing else reads them.
  const nodes = Array.from({ length: 100 }, (_, i) =>
    JSON.stringify({ kind: 'resource', id: `r${i}`, notes: `Resource ${i}. `.repeat(40) }),
  );
  return `${[...lines, ...nodes].join('\n')}\n`;
}

async function project(): Promise<{ p: TempProject; db: string }> {
  const p = new TempProject('wg-broken-');
  projects.push(p);
  await p.ok(['init']);
  const file = join(p.root, 'tasks.jsonl');
  writeFileSync(file, graphLines());
  await p.ok(['import', file]);
  return { p, db: join(p.root, '.workgraph', 'graph.db') };
}

/** Overwrites the middle leaf page of a table (found with SQLite's dbstat), or every one, with garbage. */
function damageMiddle(db: string, table: 'tasks' | 'other_nodes', which: 'middle' | 'every' = 'middle'): void {
  const reader = new Database(db);
  // Everything in graph.db itself first (a WAL would hold newer copies of the page).
  reader.pragma('wal_checkpoint(TRUNCATE)');
  const leaves = reader
    .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all(table) as number[];
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  reader.close();
  expect(leaves.length).toBeGreaterThan(10);
  // Written in place, page by page, as a stray write would: the rest of the file never changes.
  const fd = openSync(db, 'r+');
  try {
    for (const page of which === 'every' ? leaves : [leaves[Math.floor(leaves.length / 2)] as number]) {
      writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Keeps the middle tasks leaf's 8-byte header and writes random bytes over the rest of it: a page
 * SQLite still takes for a leaf, whose cells are garbage (rowids out of order, out of range, or
 * plausible but wrong), rather than one it refuses outright as 0xa5 everywhere makes it.
 */
function garbleCells(db: string, seed: number): void {
  const reader = new Database(db);
  reader.pragma('wal_checkpoint(TRUNCATE)');
  const leaves = reader
    .prepare("SELECT pageno FROM dbstat WHERE name = 'tasks' AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all() as number[];
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  reader.close();
  const random = seededRandom(seed);
  const garbage = Buffer.from(Array.from({ length: pageSize - 8 }, () => Math.floor(random() * 256)));
  const fd = openSync(db, 'r+');
  try {
    writeSync(fd, garbage, 0, garbage.length, ((leaves[Math.floor(leaves.length / 2)] as number) - 1) * pageSize + 8);
  } finally {
    closeSync(fd);
  }
}

/** The tasks SQLite can still read one by one (by rowid, as the rows were numbered on import). */
function readableOneByOne(db: string): string[] {
  const reader = new Database(db, { readonly: true });
  const one = reader.prepare('SELECT id FROM tasks WHERE rowid = ?').pluck();
  const ids: string[] = [];
  for (let rowid = 1; rowid <= TASKS; rowid++) {
    try {
      const id = one.get(rowid);
      if (typeof id === 'string') ids.push(id);
    } catch {
      // A broken page under this rowid: the task is not readable by itself.
    }
  }
  reader.close();
  return ids.sort();
}

const RECOVER =
  'restore it from a backup, or move graph.db, graph.db-wal and graph.db-shm away to start afresh; wg check --db checks it again';

describe('a graph.db damaged in the middle', () => {
  it('is refused by wg service start before it says it started, and then by every wg (wg add writes nothing into it)', async () => {
    const { p, db } = await project();
    // Nothing but `wg export` reads upstream's other nodes: only SQLite's check of every page finds this.
    damageMiddle(db, 'other_nodes');
    expect((await p.wg(['list'])).exitCode).toBe(0);
    const before = readFileSync(db);
    const start = await p.wg(['service', 'start']);
    expect(start.exitCode).not.toBe(0);
    expect(start.stderr).toBe(`wg: ${db} is damaged (SQLite quick_check failed); it was left as it is (${RECOVER})`);
    expect(start.stdout).not.toMatch(/started/);
    const daemonLog = join(p.root, '.workgraph', 'service', 'daemon.log');
    expect(existsSync(daemonLog) ? readFileSync(daemonLog, 'utf8') : '').not.toMatch(/coordinator started/);

    for (const args of [['add', 'Another', '--id', 'another'], ['list'], ['show', 't1']]) {
      const refused = await p.wg(args);
      expect(refused.exitCode, args.join(' ')).not.toBe(0);
      expect(refused.stderr).toBe(`wg: ${db} is damaged (SQLite quick_check failed); it was left as it is (${RECOVER})`);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('once a command meets the broken page, no later wg writes into the file, even where the write would miss it', async () => {
    const { p, db } = await project();
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

  it('a wg add that meets the damage after its commit says the change was saved, not that the file was left as it is', async () => {
    const { p, db } = await project();
    // Two pages zeroed: the dependencies table and its index, which the add reads back after its commit (the task's
    // dependencies), not before.
    const reader = new Database(db);
    reader.pragma('wal_checkpoint(TRUNCATE)');
    const pages = reader.prepare("SELECT rootpage FROM sqlite_master WHERE name IN ('deps', 'deps_by_dep')").pluck().all() as number[];
    const pageSize = reader.pragma('page_size', { simple: true }) as number;
    reader.close();
    expect(pages).toHaveLength(2);
    const fd = openSync(db, 'r+');
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const add = await p.wg(['add', 'Another', '--id', 'another']);
    expect(add.exitCode).not.toBe(0);
    expect(add.stderr).toBe(
      `wg: ${db} is damaged (SQLite reported a malformed page); the change was saved before the damage was met; no wg writes to it again until it is dealt with (${RECOVER})`,
    );
    const after = new Database(db, { readonly: true });
    expect(after.prepare("SELECT title FROM tasks WHERE id = 'another'").pluck().get()).toBe('Another');
    after.close();
    // And it is so: the next wg is refused, and writes nothing.
    const before = readFileSync(db);
    const next = await p.wg(['add', 'Third', '--id', 'third']);
    expect(next.stderr).toBe(`wg: ${db} is damaged (SQLite reported a malformed page); it was left as it is (${RECOVER})`);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('a running coordinator that meets it says so once and takes no more turns', async () => {
    const { p, db } = await project();
    // One slot, taken by t0 meanwhile; every turn still reads the ready tasks. A turn every second.
    await p.ok(['config', '--max-agents', '1', '--poll-interval', '1']);
    await p.ok(['edit', 't0', '--exec', 'sleep 15', '--priority', 'critical']);
    const started = JSON.parse(await p.ok(['service', 'start', '--json'])) as { pid: number };
    const log = () => readFileSync(join(p.root, '.workgraph', 'service', 'daemon.log'), 'utf8');
    await waitFor('t0 to run', async () => (await p.wg(['show', 't0'])).stdout.includes('in-progress'), 20_000, 200);
    // Whichever rows a turn reads (the few ready ones, by an index), their pages are broken.
    damageMiddle(db, 'tasks', 'every');
    // Another process's commit makes the coordinator read the pages again (its cache is stale then).
    const other = new Database(db);
    other.exec("INSERT INTO task_log (task_id, timestamp, actor, message) VALUES ('t0', '2026-01-01T00:00:00Z', 'test', 'poke')");
    other.close();
    await p.wg(['service', 'reload']);
    await waitFor('the damage in the log', () => log().includes('is damaged'), 20_000, 100).catch((error: Error) => {
      throw new Error(`${error.message}; the daemon's log:\n${log()}`);
    });
    // Three more seconds: three more turns, were there any.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const lines = log()
      .split('\n')
      .filter((line) => /damaged|malformed|tick failed|turn failed/.test(line));
    expect(lines).toEqual([
      expect.stringContaining(
        `${db} is damaged (SQLite reported a malformed page); it was left as it is (${RECOVER}); the coordinator takes no more turns: stop it (wg service stop), recover, start it again`,
      ),
    ]);
    expect(isZombieOrGone(started.pid)).toBe(false);
    expect((await p.wg(['add', 'Another'])).stderr).toMatch(/graph\.db is damaged/);
    expect(await p.ok(['service', 'stop', '--kill-agents'])).toMatch(/coordinator stopped/);
  });

  it('wg check --db says what SQLite found and how to recover; restored in place, the file is used again', async () => {
    const { p, db } = await project();
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

  it("beside upstream's graph.jsonl, the way back is to move it away: the next wg rebuilds it from graph.jsonl", async () => {
    const p = new TempProject('wg-broken-');
    projects.push(p);
    mkdirSync(join(p.root, '.wg'));
    writeFileSync(join(p.root, '.wg', 'graph.jsonl'), graphLines());
    await p.ok(['list']);
    const db = join(p.root, '.wg', 'desktop', 'graph.db');
    damageMiddle(db, 'other_nodes');
    const jsonl = join(p.root, '.wg', 'graph.jsonl');
    const advice = `move graph.db, graph.db-wal and graph.db-shm away: the next wg rebuilds it from ${jsonl}; wg check --db checks it again`;
    const check = await p.wg(['check', '--db']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(`To recover: stop the coordinator (wg service stop), then ${advice}.`);
    expect((await p.wg(['service', 'start'])).stderr).toBe(
      `wg: ${db} is damaged (SQLite integrity_check failed); it was left as it is (${advice})`,
    );
    // As it says.
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(`${db}${suffix}`)) renameSync(`${db}${suffix}`, `${db}${suffix}.broken`);
    const list = await p.wg(['list', '--json']);
    expect(list.stderr).toMatch(new RegExp(`^wg: imported ${TASKS} tasks from`));
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(TASKS);
    expect((await p.wg(['check', '--db'])).exitCode).toBe(0);

    // Or --repair does it: graph.jsonl holds every task, where a salvage would lose some.
    damageMiddle(db, 'tasks');
    const repair = await p.wg(['check', '--db', '--repair']);
    expect(repair.stdout).toMatch(
      new RegExp(
        `^${db.replace(/[.]/g, '\\.')} rebuilt from ${jsonl.replace(/[.]/g, '\\.')}: ${TASKS} tasks\\. The damaged file is kept as `,
      ),
    );
    expect((JSON.parse(await p.ok(['list', '--json'])) as unknown[]).length).toBe(TASKS);
  });

  it('wg check --db --repair makes it whole from what SQLite can still read, keeping the damaged file', async () => {
    const { p, db } = await project();
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
    const { p, db } = await project();
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
    const { p, db } = await project();
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
