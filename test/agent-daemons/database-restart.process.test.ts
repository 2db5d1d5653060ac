// @waits: the database stays down longer than a stall timeout here, and jobs run in real time (test/setup/spread-waits.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import type { ServiceStatus } from '../../src/shared/service-types';
import { type AgentdProcess, killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { coordinatorPidOf, removeTeamFolders, startCoordinator, teamFolders } from '../helpers/team-folders';
import { until } from '../helpers/until';
import type { TempProject } from '../helpers/wg-cli';

/*
 * A team's graph on PostgreSQL, two coordinators, an agent daemon with a job running, and the database restarted
 * under them. Measured on the synchronous store: the daemon's heartbeat (JobStore.extend) threw out of its WebSocket
 * handler, its coordinator exited; the daemon moved to the other, whose check of its token (TokenStore.authenticate)
 * threw the same way: both coordinators gone, the job's end reported to nobody. Both must stay up, the job run on and
 * be recorded once, its end waiting for the database when it came while the database was away, and each coordinator
 * say once that the database cannot be reached and once that it answers again.
 *
 * First a restart that takes a while (a managed database's failover: the server stopped, then started 14 s later,
 * longer than the stall timeout), then `pg_ctl restart -m fast`.
 */

const STALL_S = 9;
const DOWN_MS = 14_000;

let server: PgServer;
let folders: TempProject[] = [];
let daemon: AgentdProcess | null = null;
const repo = makeRepo('wg-dbrestart-repo-');
const ran = join(repo, 'ran.txt');

const sql = (text: string) => server.psql(`SET search_path = team; ${text}`).trim();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const logOf = (p: TempProject) => readFileSync(join(p.root, '.workgraph/service/daemon.log'), 'utf8');
const lines = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line));
const ranLines = () => (existsSync(ran) ? readFileSync(ran, 'utf8').split('\n').filter(Boolean) : []);

async function statusOf(p: TempProject): Promise<ServiceStatus> {
  const result = await p.wgProcess(['service', 'status', '--json']);
  return JSON.parse(result.stdout) as ServiceStatus;
}

/** Each task's runs, its jobs' states, and its status: one of each, done. */
function expectRanOnce(task: string): void {
  expect(sql(`SELECT status FROM tasks WHERE id = '${task}'`)).toBe('done');
  expect(sql(`SELECT count(*) FROM agents WHERE task_id = '${task}'`)).toBe('1');
  expect(sql(`SELECT count(*) || ' ' || string_agg(state, ',') FROM daemon_jobs WHERE task_id = '${task}'`)).toBe('1 done');
  expect(ranLines().filter((line) => line === task)).toEqual([task]);
}

beforeAll(async () => {
  server = startPostgresServer();
  folders = await teamFolders(server.url({ schema: 'team' }), 'wg-dbrestart-');
}, 120_000);

afterAll(async () => {
  killMarked();
  if (server) {
    // A test that failed while the server was down leaves it so: the folders' stops need it.
    try {
      server.up();
    } catch {
      // It was up.
    }
  }
  await removeTeamFolders(folders);
  server?.stop();
}, 120_000);

describe("a team's database restarted under two coordinators and an agent daemon's job", () => {
  it('leaves both coordinators up, the job running, and its end recorded once', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    await a.ok(['config', '--stall-timeout', String(STALL_S)]);
    const urls = [await startCoordinator(a), await startCoordinator(b)];
    const pids = [coordinatorPidOf(a), coordinatorPidOf(b)];
    const token = JSON.parse(await a.ok(['token', 'create', 'd1', '--json'])) as CreatedAgentToken;
    daemon = startAgentd('d1', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: urls.join(','),
      WG_AGENT_TOKEN: token.token,
      REPO_PATHS: `acme/app=${repo}`,
      CLI_COMMAND: 'sh',
      CLI_ARGS_TEMPLATE: `-c 'sleep 5; echo "$WG_TASK_ID" >> ${ran}'`,
    });
    const running = (task: string) => sql(`SELECT state FROM daemon_jobs WHERE task_id = '${task}'`) === 'running';

    // A restart that takes a while: the job ends while the database is away, its daemon's heartbeats go on past the
    // stall timeout, and it registers nowhere else.
    await a.ok(['add', 'Through a failover', '--id', 'failover', '--executor', 'remote', '--repo', 'acme/app']);
    await until('the job running', () => running('failover'), 60_000);
    const daemonLogBefore = daemon.log().length;
    server.down();
    const downAt = Date.now();
    const statuses = new Map<TempProject, ServiceStatus>();
    try {
      // Both stay up all along, and each says in its status, while it lasts, since when and why.
      while (Date.now() - downAt < DOWN_MS) {
        for (const [at, p] of [a, b].entries()) {
          expect(alive(pids[at] ?? 0), `a coordinator exited while the database was down:\n${logOf(p).slice(-3000)}`).toBe(true);
          if (statuses.has(p)) continue;
          const status = await statusOf(p);
          if (status.database_outage) statuses.set(p, status);
        }
        await sleep(500);
      }
    } finally {
      server.up();
    }
    expect(statuses.size).toBe(2);
    for (const status of statuses.values()) {
      expect(status.running).toBe(true);
      // Whichever its last failure met: the server gone, its connection cut, or the server shutting down.
      expect(status.database_outage?.last_error).toMatch(
        /(cannot reach|lost the connection to) the PostgreSQL server|PostgreSQL server .* is shutting down/,
      );
      expect(Date.parse(status.database_outage?.since ?? '')).toBeGreaterThanOrEqual(downAt - 1_000);
    }
    await until(
      'the job that ended in the outage recorded',
      () => sql("SELECT status FROM tasks WHERE id = 'failover'") === 'done',
      40_000,
    );
    expectRanOnce('failover');
    expect(pids.map(alive)).toEqual([true, true]);
    // The daemon was never made to leave its coordinator, nor to drop its job.
    const daemonMeanwhile = daemon.log().slice(daemonLogBefore);
    expect(lines(daemonMeanwhile, /disconnected|lost the coordinator|dropping/)).toEqual([]);
    // Each coordinator said it once, and once that the database answered again (one with nothing waiting finds it at
    // its next renewal or retry, a few seconds after the other may have recorded the job); nothing escaped a handler.
    for (const p of [a, b]) {
      await until('the coordinator to say the database answers again', () => /the database answers again/.test(logOf(p)), 20_000);
      const log = logOf(p);
      expect(lines(log, /the database cannot be reached/)).toHaveLength(1);
      expect(lines(log, /the database answers again, after \d+ s/)).toHaveLength(1);
      expect(lines(log, /uncaught|reached no handler/)).toEqual([]);
    }
    await until('the status clear again', async () => (await statusOf(a)).database_outage === undefined, 20_000, 500);

    // `pg_ctl restart -m fast` under a running job.
    await a.ok(['add', 'Through a restart', '--id', 'restart', '--executor', 'remote', '--repo', 'acme/app']);
    await until('the second job running', () => running('restart'), 60_000);
    server.restart();
    await until('the second job recorded', () => sql("SELECT status FROM tasks WHERE id = 'restart'") === 'done', 60_000);
    expectRanOnce('restart');
    expect(pids.map(alive)).toEqual([true, true]);
    for (const p of [a, b]) expect(lines(logOf(p), /uncaught|reached no handler/)).toEqual([]);
    // Both still coordinate: the project's leases hold, at the epochs they started at.
    expect(sql("SELECT count(*) FROM coordinators WHERE role = 'holder'")).toBe('2');
  }, 240_000);
});
