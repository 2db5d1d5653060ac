import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';
import { isZombieOrGone, waitFor } from '../service/helpers/daemon-project';
import { damageMiddle, graphLines, importedProject, RECOVER, TASKS } from './support/damaged-db';

/**
 * A graph.db damaged in the middle: one page of the tasks table overwritten, as a
 * bad sector or a stray write leaves it. SQLite opens such a file without a word; it is caught by
 * SQLite's own checks (quick_check at coordinator start, a broken page met by any statement) and from
 * then on refused, with one line saying how to recover, until a person has dealt with it.
 * Here what a running coordinator (a process) does with it, and a project beside upstream's graph.jsonl
 * (whose lock flock(1) takes); the commands alone are in damaged-graph.test.ts, in-process.
 */
let projects: TempProject[] = [];
afterEach(async () => {
  for (const p of projects) {
    await p.wg(['service', 'stop']);
    p.remove();
  }
  projects = [];
});

describe('a graph.db damaged in the middle', () => {
  it('is refused by wg service start before it says it started, and then by every wg (wg add writes nothing into it)', async () => {
    const { p, db } = await importedProject(projects);
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

  it('a running coordinator that meets it says so once and takes no more turns', async () => {
    const { p, db } = await importedProject(projects);
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
});
