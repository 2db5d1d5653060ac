// @waits: the database stays down for seconds at a time here, longer than a stall timeout (test/setup/spread-waits.ts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import type { ServiceStatus } from '../../src/shared/service-types';
import { type AgentdProcess, killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { coordinatorPidOf, removeTeamFolders, startCoordinator, teamFolders } from '../helpers/team-folders';
import { until } from '../helpers/until';
import type { TempProject } from '../helpers/wg-cli';

/*
 * Each path by which a coordinator of a team's graph touches its database from an event (an agent daemon's heartbeat,
 * its registration, a job's end to settle, a request of the HTTP API, the renewal of its own lease), met by a lost
 * connection: the database server stopped (a restart or failover under way) for longer than the stall timeout. Each
 * time the coordinator stays up, says once that the database cannot be reached (and shows it in its status) and once
 * that it answers again, and what waited is done once: no job runs twice, none is lost.
 */

const STALL_S = 6;
const DOWN_MS = 8_000;

let server: PgServer;
let folders: TempProject[] = [];
let p: TempProject;
let url = '';
let pid = 0;
let agentToken = '';
let personToken = '';
let d1: AgentdProcess | null = null;
const repo = makeRepo('wg-dbpaths-repo-');
const ran = join(repo, 'ran.txt');

const sql = (text: string) => server.psql(`SET search_path = paths; ${text}`).trim();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (at: number) => {
  try {
    process.kill(at, 0);
    return true;
  } catch {
    return false;
  }
};
const log = () => readFileSync(join(p.root, '.workgraph/service/daemon.log'), 'utf8');
const lines = (text: string, pattern: RegExp) => text.split('\n').filter((line) => pattern.test(line));
const ranLines = () => (existsSync(ran) ? readFileSync(ran, 'utf8').split('\n').filter(Boolean) : []);
const status = async () => JSON.parse((await p.wgProcess(['service', 'status', '--json'])).stdout) as ServiceStatus;

function daemon(host: string): AgentdProcess {
  return startAgentd(host, {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: url,
    WG_AGENT_TOKEN: agentToken,
    REPO_PATHS: `acme/app=${repo}`,
    CLI_COMMAND: 'sh',
    // A long job whose heartbeats go on through the outage, or a short one that ends in it.
    CLI_ARGS_TEMPLATE: `-c 'case "$WG_TASK_ID" in long-*) sleep 12;; *) sleep 2;; esac; echo "$WG_TASK_ID" >> ${ran}'`,
  });
}

/**
 * The database down for DOWN_MS while `during` runs (and its wait after), the coordinator watched all along; what the
 * coordinator logged meanwhile, from the stop until the database answered again. It says so in its status meanwhile.
 */
async function outage(during: () => Promise<unknown> = async () => undefined): Promise<string> {
  const from = log().length;
  server.down();
  const downAt = Date.now();
  const down = () => Date.now() - downAt < DOWN_MS;
  let said: ServiceStatus | null = null;
  try {
    // The status is asked for from the start, beside `during`: on a loaded machine `during` alone (a `wg` process and
    // its request) took most of the outage, and a status asked for only after it came too late.
    const watched = (async (): Promise<ServiceStatus | null> => {
      while (down()) {
        const now = await status();
        if (now.database_outage) return now;
        await sleep(250);
      }
      return null;
    })();
    watched.catch(() => undefined);
    await during();
    while (down()) {
      expect(alive(pid), `the coordinator exited while the database was down:\n${log().slice(from)}`).toBe(true);
      await sleep(250);
    }
    said = await watched;
  } finally {
    server.up();
  }
  expect(said?.database_outage?.last_error).toMatch(/PostgreSQL server/);
  await until('the coordinator to say the database answers again', () => /the database answers again/.test(log().slice(from)), 20_000);
  expect(alive(pid)).toBe(true);
  const said2 = log().slice(from);
  expect(lines(said2, /the database cannot be reached/)).toHaveLength(1);
  expect(lines(said2, /the database answers again, after \d+ s/)).toHaveLength(1);
  expect(lines(said2, /uncaught|reached no handler/)).toEqual([]);
  return said2;
}

function expectRanOnce(task: string): void {
  expect(sql(`SELECT status FROM tasks WHERE id = '${task}'`)).toBe('done');
  expect(sql(`SELECT count(*) FROM agents WHERE task_id = '${task}'`)).toBe('1');
  expect(sql(`SELECT count(*) || ' ' || string_agg(state, ',') FROM daemon_jobs WHERE task_id = '${task}'`)).toBe('1 done');
  expect(ranLines().filter((line) => line === task)).toEqual([task]);
}

const running = (task: string) => sql(`SELECT state FROM daemon_jobs WHERE task_id = '${task}'`) === 'running';

beforeAll(async () => {
  server = startPostgresServer();
  folders = await teamFolders(server.url({ schema: 'paths' }), 'wg-dbpaths-', [], ['a']);
  p = folders[0] as TempProject;
  await p.ok(['config', '--stall-timeout', String(STALL_S)]);
  url = await startCoordinator(p);
  pid = coordinatorPidOf(p);
  agentToken = (JSON.parse(await p.ok(['token', 'create', 'daemons', '--json'])) as CreatedAgentToken).token;
  personToken = (JSON.parse(await p.ok(['token', 'create', 'me', '--person', '--json'])) as CreatedAgentToken).token;
  d1 = daemon('d1');
  await until('d1 registered', () => /registered/.test(log()), 30_000);
}, 120_000);

// Each path on its own: a coordinator that an earlier one took down is started again first.
beforeEach(async () => {
  if (alive(pid)) return;
  url = await startCoordinator(p);
  pid = coordinatorPidOf(p);
}, 60_000);

afterAll(async () => {
  killMarked();
  try {
    server?.up();
  } catch {
    // It was up.
  }
  await removeTeamFolders(folders);
  server?.stop();
}, 120_000);

describe('a lost connection to the database, on each path a coordinator writes from an event', () => {
  it("an agent daemon's heartbeat: its job's lease holds past the stall timeout, its daemon stays connected, the job runs once", async () => {
    await p.ok(['add', 'Long job', '--id', 'long-hb', '--executor', 'remote', '--repo', 'acme/app']);
    await until('the long job running', () => running('long-hb'), 60_000);
    const daemonFrom = d1?.log().length ?? 0;
    await outage();
    await until('the long job done', () => sql("SELECT status FROM tasks WHERE id = 'long-hb'") === 'done', 40_000);
    expectRanOnce('long-hb');
    expect(lines(d1?.log().slice(daemonFrom) ?? '', /disconnected|lost the coordinator|dropping/)).toEqual([]);
  }, 90_000);

  it('settling a job whose end comes while the database is away: recorded once it answers, and acknowledged then', async () => {
    await p.ok(['add', 'Short job', '--id', 'short-settle', '--executor', 'remote', '--repo', 'acme/app']);
    await until('the short job running', () => running('short-settle'), 60_000);
    const said = await outage(() => until('the job to end on its daemon', () => ranLines().includes('short-settle'), DOWN_MS - 1_000));
    expect(said).toMatch(/the database answers again, after \d+ s: \d+ write\(s\) that waited for it are made/);
    await until('the short job done', () => sql("SELECT status FROM tasks WHERE id = 'short-settle'") === 'done', 20_000);
    expectRanOnce('short-settle');
  }, 90_000);

  it("an agent daemon's registration: it is asked to connect again later, keeps trying, and registers once the database answers", async () => {
    const started: AgentdProcess[] = [];
    await outage(async () => {
      const d2 = daemon('d2');
      started.push(d2);
      await until('d2 to be asked to try again', () => /1013/.test(d2.log()), DOWN_MS - 1_000);
    });
    const [d2] = started as [AgentdProcess];
    expect(d2.log()).toMatch(/disconnected \(1013: the coordinator cannot reach its database now; try again\)/);
    await until('d2 registered', () => /registered \(d2#/.test(log()), 30_000);
    expect(alive(d2.pid)).toBe(true);
  }, 90_000);

  it('a request of the HTTP API: refused in one line that names no server, and the coordinator says why in its status', async () => {
    const answers: Array<{ exitCode: number; stderr: string }> = [];
    await outage(async () => {
      answers.push(await p.wgProcess(['show', 'long-hb'], { env: { WG_SERVER: url, WG_TOKEN: personToken } }));
    });
    expect(answers).toHaveLength(1);
    const { exitCode, stderr } = answers[0] as { exitCode: number; stderr: string };
    expect(exitCode).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/the coordinator cannot use its database now/);
    expect(stderr).not.toMatch(/postgres(ql)?:\/\//);
    // Answered again once the database is back.
    const again = await p.wgProcess(['show', 'long-hb'], { env: { WG_SERVER: url, WG_TOKEN: personToken } });
    expect(again.exitCode, again.stderr).toBe(0);
  }, 90_000);

  it("the renewal of its own lease: said once as the database's outage, and the coordinator is active again after", async () => {
    const said = await outage();
    expect(lines(said, /could not renew the coordinator lease/)).toEqual([]);
    await until('the lease active', async () => (await status()).lease?.role === 'active', 20_000, 500);
    expect(sql('SELECT role FROM coordinators')).toBe('holder');
  }, 90_000);
});
