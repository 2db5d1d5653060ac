// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { DeadAgentsResult, KillResult, ServiceStatus } from '../../src/shared/service-types';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { removeTeamFolders, startCoordinator, teamFolders } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * `wg dead-agents`, `wg agents` and `wg kill` on a team's graph (two coordinator folders, one real PostgreSQL
 * server): a run another coordinator owns ran on that coordinator's machine, where its pid means something; on this
 * machine the same pid is another process. Such a run is never judged or signalled by a pid here: `wg dead-agents`
 * leaves it and says whose it is, `wg kill` ends it through the store and its own coordinator stops its process.
 * A lost coordinator's run is the others' to take over, and said so.
 *
 * Both folders are on one machine here, so "another machine's pid" is played by rewriting the run's pid in the
 * store: to one that is gone (which `wg dead-agents` would call dead), then to an unrelated process of this machine
 * (which `wg kill` would signal). Folder b's coordinator is paused: every run is folder a's.
 */

let server: PgServer;
let url: string;
let scratch: string;
let folders: TempProject[] = [];
const schema = 'foreign_runs';
const sql = (text: string) => server.psql(`SET search_path = ${schema}; ${text}`).trim();
const strays: number[] = [];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A task in folder a whose command writes its own pid, then waits. */
async function longTask(a: TempProject, id: string): Promise<{ agent: string; pid: number }> {
  const file = join(scratch, id);
  await a.ok(['add', id, '--id', id, '--exec', `echo $$ > ${file}; exec sleep 300`]);
  const agent = await until(`a run of ${id}`, () => sql(`SELECT id FROM agents WHERE task_id = '${id}' AND state = 'working'`));
  const pid = await until(`${id}'s pid`, () => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || null : null));
  strays.push(pid);
  return { agent, pid };
}

/** A pid that was given out here and is gone now. */
function gonePid(): number {
  const pid = Number(execFileSync('sh', ['-c', 'sh -c "echo \\$\\$"'], { encoding: 'utf8' }).trim());
  expect(alive(pid)).toBe(false);
  return pid;
}

beforeAll(async () => {
  server = startPostgresServer();
  url = server.url({ schema });
  scratch = mkdtempSync(join(tmpdir(), 'wg-foreign-'));
  folders = await teamFolders(url, 'wg-foreign-', ['-x', 'shell']);
}, 120_000);

afterAll(async () => {
  await removeTeamFolders(folders);
  for (const pid of strays) if (alive(pid)) process.kill(pid, 'SIGKILL');
  server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe("another coordinator's runs, seen from a folder of a team's graph", () => {
  let aUrl = '';
  let bUrl = '';

  it("start: `wg service status` shows every coordinator's address, human and --json", async () => {
    const [a, b] = folders as [TempProject, TempProject];
    for (const p of [a, b]) await startCoordinator(p);
    await b.ok(['service', 'pause']);
    aUrl = sql(`SELECT url FROM coordinators WHERE folder = '${a.root}'`);
    bUrl = sql(`SELECT url FROM coordinators WHERE folder = '${b.root}'`);
    expect(aUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const status = await b.json<ServiceStatus>(['service', 'status']);
    expect(status.lease?.coordinators.map((m) => [m.folder, m.url])).toEqual([
      [a.root, aUrl],
      [b.root, bUrl],
    ]);
    const text = await b.ok(['service', 'status']);
    expect(text).toContain(`${a.root} (pid ${sql(`SELECT pid FROM coordinators WHERE folder = '${a.root}'`)}) at ${aUrl}`);
    expect(text).toContain(`${b.root} (pid ${status.pid}) at ${bUrl} — this one`);
  }, 120_000);

  it('`wg dead-agents` and `wg agents` leave a run another coordinator owns, whatever its pid is here, and say whose it is', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const { agent, pid } = await longTask(a, 'long');
    const host = sql(`SELECT host FROM coordinators WHERE folder = '${a.root}'`);
    sql(`UPDATE agents SET pid = ${gonePid()} WHERE id = '${agent}'`);

    const listed = await b.json<DeadAgentsResult>(['dead-agents']);
    expect(listed.dead.map((d) => d.id)).not.toContain(agent);
    expect(listed.elsewhere).toEqual([
      {
        id: agent,
        task_id: 'long',
        coordinator_id: sql(`SELECT id FROM coordinators WHERE folder = '${a.root}'`),
        host,
        folder: a.root,
        lost: false,
      },
    ]);
    expect(await b.ok(['dead-agents'])).toContain(`${agent} (task long) runs under the coordinator on ${host}:${a.root}: left to it`);
    const cleaned = await b.json<DeadAgentsResult>(['dead-agents', '--cleanup']);
    expect(cleaned.cleaned).toBe(0);
    const working = await b.json<Agent[]>(['agents', '--working']);
    expect(working.map((w) => [w.id, w.state])).toEqual([[agent, 'working']]);
    expect(sql(`SELECT state FROM agents WHERE id = '${agent}'`)).toBe('working');
    expect(sql("SELECT status FROM tasks WHERE id = 'long'")).toBe('in-progress');
    expect(alive(pid)).toBe(true);
  }, 120_000);

  it('`wg kill` ends it through the store, signals nothing here, and its own coordinator stops its process', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const agent = sql("SELECT id FROM agents WHERE task_id = 'long' AND state = 'working'");
    const pid = Number(readFileSync(join(scratch, 'long'), 'utf8').trim());
    // An unrelated process of this machine that has the pid the store names (its own process group, as a run's wrapper has).
    const decoy = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    decoy.unref();
    strays.push(decoy.pid as number);
    sql(`UPDATE agents SET pid = ${decoy.pid} WHERE id = '${agent}'`);
    const host = sql(`SELECT host FROM coordinators WHERE folder = '${a.root}'`);

    const killed = await b.wg(['kill', agent, '--hold']);
    expect(killed.exitCode, killed.stderr).toBe(0);
    // Nothing of this machine was signalled by the pid the store names.
    expect(alive(decoy.pid as number)).toBe(true);
    expect(killed.stdout).toBe(
      `killed ${agent} in the store; it runs under the coordinator on ${host}:${a.root}, which stops its process; task long paused (\`wg resume long\` to start it again)`,
    );
    expect(sql(`SELECT state FROM agents WHERE id = '${agent}'`)).toBe('killed');
    await until("the run's process stopped by its own coordinator", () => !alive(pid), 30_000);
    process.kill(decoy.pid as number, 'SIGKILL');
  }, 120_000);

  it("a lost coordinator's run is the others' to take over: `wg dead-agents` says so, `wg kill` signals nothing here", async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const { agent, pid } = await longTask(a, 'orphan');
    const host = sql(`SELECT host FROM coordinators WHERE folder = '${a.root}'`);
    process.kill(Number(sql(`SELECT pid FROM coordinators WHERE folder = '${a.root}'`)), 'SIGKILL');
    // Its lease lapses, and folder b's sweep declares it lost once the grace has passed.
    await until('folder a declared lost', () => sql(`SELECT role FROM coordinators WHERE folder = '${a.root}'`) === 'lost', 60_000, 500);
    sql(`UPDATE agents SET pid = ${gonePid()} WHERE id = '${agent}'`);

    const listed = await b.json<DeadAgentsResult>(['dead-agents']);
    expect(listed.dead.map((d) => d.id)).not.toContain(agent);
    expect(listed.elsewhere?.map((r) => [r.id, r.folder, r.lost])).toEqual([[agent, a.root, true]]);
    expect(await b.ok(['dead-agents'])).toContain(
      `${agent} (task orphan): the coordinator on ${host}:${a.root} was declared lost; the coordinators still running take it over`,
    );

    const killed = await b.json<KillResult>(['kill', agent]);
    expect(killed.elsewhere?.map((r) => [r.id, r.lost])).toEqual([[agent, true]]);
    expect(sql(`SELECT state FROM agents WHERE id = '${agent}'`)).toBe('killed');
    // Nothing here was signalled: the process of the lost coordinator's run is untouched.
    expect(alive(pid)).toBe(true);
  }, 90_000);
});
