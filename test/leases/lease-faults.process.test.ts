// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import { randomDag } from '../bench/random-dag';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { TempProject } from '../helpers/wg-cli';
import { exists } from '../service/helpers/daemon-project';
import { commandsRun } from './support/commands-run';
import { until } from '../helpers/until';
import { keepingEvidence, withWhatIsStuck } from './support/fault-evidence';

/*
 * Faults on a team's graph, with a real PostgreSQL server: two coordinator processes (two folders naming one
 * store), both active, and a 300-task DAG of shell tasks that append their id to one file. One of them is killed
 * (kill -9) in rounds: the other goes on dispatching at once, declares it lost once its lease has lapsed past the
 * grace and takes its runs over; the dead one is then restarted. One is frozen once (SIGSTOP) for 30 s and woken;
 * the server is restarted (pg_ctl restart -m fast) mid-run. Every task is done, and its command ran exactly once
 * (the file has each id once); none is left claimed; `wg check` is clean.
 *
 * A database that is full (a tablespace on a tiny tmpfs) refuses a change in one line and keeps what was committed.
 *
 * WG_LEASE_FAULT_ROUNDS sets the rounds of kill -9 (10 by hand; fewer in CI, where each round's takeover waits
 * for the lease to lapse).
 */

const ROUNDS = Number(process.env.WG_LEASE_FAULT_ROUNDS ?? 3);
const TASKS = 300;
/** A dead coordinator's runs are another's within this: its lease (5 s) lapses, the grace (15 s), a sweep's interval (2 s). */
const TAKEOVER_LIMIT_MS = 25_000;

let server: PgServer;
let url: string;
let out: string;
const folders: TempProject[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const schema = 'faults';
const sql = (text: string) => server.psql(`SET search_path = ${schema}; ${text}`).trim();

interface Coordinator {
  id: string;
  pid: number;
  folder: string;
  epoch: number;
}

/** The project's active coordinators, as the lease table has them. */
function active(): Coordinator[] {
  const lines = sql(
    "SELECT id, pid, folder, epoch FROM coordinators WHERE role = 'holder' AND expires_at > extract(epoch FROM now()) * 1000 ORDER BY id",
  );
  return lines
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [id, pid, folder, epoch] = line.split('|');
      return { id: id as string, pid: Number(pid), folder: folder as string, epoch: Number(epoch) };
    });
}

const doneCount = () => Number(sql("SELECT count(*) FROM tasks WHERE status = 'done'"));
const folderOf = (path: string) => folders.find((f) => f.root === path) as TempProject;

async function startCoordinator(p: TempProject): Promise<void> {
  const started = await p.wgProcess(['service', 'start']);
  expect(started.exitCode, started.stderr).toBe(0);
}

/** Waits until `dead` is declared lost and none of its runs is left to it, and says how long that took. */
async function takeover(dead: Coordinator, since: number): Promise<number> {
  await until(
    'the dead coordinator declared lost, its runs taken over',
    () =>
      sql(`SELECT role FROM coordinators WHERE id = '${dead.id}'`) === 'lost' &&
      sql(`SELECT count(*) FROM agents WHERE state = 'working' AND coordinator_id = '${dead.id}'`) === '0',
    40_000,
  );
  return Date.now() - since;
}

beforeAll(async () => {
  server = startPostgresServer();
  url = server.url({ schema });
  const shared = mkdtempSync(join(tmpdir(), 'wg-faults-'));
  out = join(shared, 'done-ids');
  for (const name of ['a', 'b']) {
    const p = new TempProject(`wg-faults-${name}-`);
    folders.push(p);
    execFileSync('git', ['init', '-q'], { cwd: p.root });
    const made = await p.wg(['init', '--store', url, '-x', 'shell']);
    expect(made.exitCode, made.stderr).toBe(0);
  }
  const store = await Store.open(url);
  try {
    const dag = randomDag(TASKS, 11);
    await store.core.write(async () => {
      for (const [i, after] of dag.entries()) {
        // A short sleep first: a kill finds runs under way, some of which have appended and not yet been settled.
        await store.tasks.add({ title: `t${i}`, id: `t${i}`, after, exec: `sleep 0.2; echo t${i} >> ${out}` }, 'test');
      }
    });
  } finally {
    await store.close();
  }
  mkdirSync(shared, { recursive: true });
}, 120_000);

afterAll(async () => {
  for (const p of folders) {
    const pidFile = join(p.root, '.workgraph/service/daemon.pid');
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // Gone.
      }
    }
    await p.wgProcess(['service', 'stop', '--kill-agents']);
    p.remove();
  }
  server?.stop();
  if (out) rmSync(join(out, '..'), { recursive: true, force: true });
}, 120_000);

describe('two coordinators on one PostgreSQL project, under faults', () => {
  it(`run a 300-task DAG exactly once through ${ROUNDS} kill -9 rounds of one coordinator, a 30 s freeze and a server restart`, async () => {
    /** The tasks whose command ran more than once, once counted: what a failure is about. */
    let suspects: string[] = [];
    const scene = () => ({ name: 'lease-faults', folders: folders.map((p) => p.root), out, sql, tasks: suspects });
    await keepingEvidence(scene, async () => {
      const [a, b] = folders as [TempProject, TempProject];
      await startCoordinator(a);
      await startCoordinator(b);
      const status = await b.wgProcess(['service', 'status', '--json']);
      const lease = (JSON.parse(status.stdout) as { lease: { role: string; coordinators: Array<{ role: string; folder: string }> } }).lease;
      expect(lease.role).toBe('active');
      expect(lease.coordinators.map((m) => m.role)).toEqual(['active', 'active']);
      expect(
        active()
          .map((c) => c.folder)
          .sort(),
      ).toEqual([a.root, b.root].sort());

      // Faults come as the DAG progresses: each after another share of it is done.
      const faults = ROUNDS + 2;
      const share = Math.floor(TASKS / (faults + 2));
      const atDone = async (k: number) =>
        until(`${share * k} tasks done`, () => doneCount() >= share * k, 120_000).catch((error: unknown) => {
          throw withWhatIsStuck(error, scene());
        });
      const takeovers: number[] = [];

      for (let round = 1; round <= ROUNDS; round++) {
        await atDone(round);
        const [dead] = active().filter((c) => c.folder === (round % 2 === 1 ? a.root : b.root));
        if (!dead) throw new Error('no active coordinator to kill');
        const since = Date.now();
        process.kill(dead.pid, 'SIGKILL');
        // The other never paused: it goes on claiming what is ready (unless all of it waits on the dead one's runs),
        // then takes the dead one's runs over.
        // The dead one's last commit may land after the kill (sent before it): what it claimed there is not the
        // other's to start, so only the ready tasks no run from before the kill took count.
        const killedAt = new Date(since).toISOString();
        const readyIds = sql("SELECT id FROM tasks WHERE status = 'open' AND blockers = 0 AND paused = 0").split('\n').filter(Boolean);
        takeovers.push(await takeover(dead, since));
        const claimedBefore = (id: string) =>
          sql(`SELECT count(*) FROM agents WHERE task_id = '${id}' AND started_at < '${killedAt}'`) !== '0';
        const ready = readyIds.filter((id) => !claimedBefore(id)).length;
        const runs = Number(sql(`SELECT count(*) FROM agents WHERE started_at < '${killedAt}'`));
        if (ready > 0 && Number(sql('SELECT count(*) FROM agents')) <= runs) {
          const other = folders.find((f) => f.root !== dead.folder) as TempProject;
          console.error(
            [
              `ready at the kill: ${ready}; runs: ${runs}`,
              sql("SELECT id, status, blockers, paused, assigned, not_before FROM tasks WHERE status = 'open' AND blockers = 0 LIMIT 10"),
              sql("SELECT id, task_id, coordinator_id, state FROM agents WHERE state = 'working'"),
              readFileSync(join(other.root, '.workgraph/service/daemon.log'), 'utf8').split('\n').slice(-40).join('\n'),
            ].join('\n---\n'),
          );
        }
        if (ready > 0) expect(Number(sql('SELECT count(*) FROM agents'))).toBeGreaterThan(runs);
        await startCoordinator(folderOf(dead.folder));
      }

      // Frozen for 30 s: the other declares it lost and takes its runs over; woken, it commits nothing, stops what
      // is still its own and exits.
      await atDone(ROUNDS + 1);
      const [frozen] = active();
      if (!frozen) throw new Error('no active coordinator to freeze');
      const since = Date.now();
      process.kill(frozen.pid, 'SIGSTOP');
      takeovers.push(await takeover(frozen, since));
      await sleep(Math.max(0, 30_000 - (Date.now() - since)));
      process.kill(frozen.pid, 'SIGCONT');
      await until('the woken coordinator to stop', () => !exists(frozen.pid), 30_000);
      const woken = folderOf(frozen.folder);
      // Its errors are written through at once (the log's lines are batched, and the process exits soon after).
      const said = readFileSync(join(woken.root, '.workgraph/service/recent-errors.json'), 'utf8');
      expect(said).toMatch(
        /this coordinator's lease lapsed and it was declared lost: its runs were taken over by another; it wrote nothing more, stopped its \d+ run\(s\), and stops/,
      );
      await startCoordinator(woken);

      // The server restarted under both.
      await atDone(ROUNDS + 2);
      server.restart();

      await until('every task done', () => doneCount() === TASKS, 240_000, 250).catch((error: unknown) => {
        throw withWhatIsStuck(error, scene());
      });
      const { counts, twice } = commandsRun(out);
      suspects = twice;
      expect(twice, 'commands that ran more than once').toEqual([]);
      expect(counts.size).toBe(TASKS);
      expect(sql("SELECT count(*) FROM tasks WHERE status <> 'done'")).toBe('0');
      expect(sql("SELECT count(*) FROM agents WHERE state = 'working'")).toBe('0');
      const check = await a.wg(['check']);
      expect(check.exitCode, check.stdout + check.stderr).toBe(0);
      console.info(`runs taken over after kill -9 / SIGSTOP (ms): ${takeovers.join(', ')}`);
      for (const taken of takeovers) expect(taken).toBeLessThan(TAKEOVER_LIMIT_MS);
    });
  }, 900_000);

  it('a database that is full refuses a change in one plain line, and loses nothing committed before it', async (ctx) => {
    // A tablespace on a tiny tmpfs: mounting one needs root (or a container allowed to).
    if (process.getuid?.() !== 0) ctx.skip('mounting a tmpfs for a tiny tablespace needs root');
    const mount = mkdtempSync(join(tmpdir(), 'wg-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount], { stdio: 'ignore' });
    } catch {
      rmSync(mount, { recursive: true, force: true });
      ctx.skip('this machine does not allow mounting a tmpfs (no CAP_SYS_ADMIN)');
    }
    const p = new TempProject('wg-full-');
    try {
      execFileSync('chown', ['postgres:postgres', mount]);
      server.psql(`CREATE TABLESPACE tiny LOCATION '${mount}'`);
      server.psql('CREATE DATABASE tiny TABLESPACE tiny');
      const made = await p.wg(['init', '--store', server.url({ database: 'tiny', schema: 'full' })]);
      expect(made.exitCode, made.stderr).toBe(0);
      const added: string[] = [];
      let refused: { exitCode: number; stderr: string } | null = null;
      for (let i = 0; i < 150 && !refused; i++) {
        // Text that does not compress: it takes its size on disk.
        const description = randomBytes(75_000).toString('base64');
        const result = await p.wg(['add', `Big ${i}`, '--id', `big-${i}`, '-d', description]);
        if (result.exitCode === 0) added.push(`big-${i}`);
        else refused = result;
      }
      expect(refused, 'the disk never filled').not.toBeNull();
      const { exitCode, stderr } = refused as { exitCode: number; stderr: string };
      expect(exitCode).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr.trim()).toMatch(/^wg: the PostgreSQL server of .* has no room left on its disk; nothing more was written$/);
      expect(added.length).toBeGreaterThan(0);
      const listed = await p.wg(['list', '--json']);
      expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((t) => t.id)).toEqual(added);
    } finally {
      p.remove();
      try {
        server.psql('DROP DATABASE IF EXISTS tiny');
        server.psql('DROP TABLESPACE IF EXISTS tiny');
      } finally {
        execFileSync('umount', [mount]);
        rmSync(mount, { recursive: true, force: true });
      }
    }
  }, 120_000);
});
