import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEventPage } from '../../src/shared/run-event';
import { Store } from '../../src/core/store/store';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { coordinatorIdOf, removeTeamFolders, startCoordinator, teamFolders } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * Two coordinators of one team's graph, in two folders naming one PostgreSQL store (a real server). A run's output
 * lives in the folder of the coordinator that ran it: `wg output` in the other folder fetches it from that
 * coordinator, with the output key of its row, and says in one line when it cannot be reached. A message to a
 * running agent, sent from the other folder or straight into the store, reaches the agent of the coordinator
 * that runs it.
 *
 * Both coordinators are active; folder b's is paused (it starts nothing), so every run here is folder a's, and its
 * claim names folder a's coordinator.
 */

let server: PgServer;
let url: string;
let scratch: string;
let folders: TempProject[] = [];
const schema = 'peers';
const sql = (text: string) => server.psql(`SET search_path = ${schema}; ${text}`).trim();

const agentOf = (task: string) => until(`a run of ${task}`, () => sql(`SELECT id FROM agents WHERE task_id = '${task}'`));
/** The claim named the coordinator that started the run. */
const startedBy = (agent: string, p: TempProject) =>
  expect(sql(`SELECT coordinator_id FROM agents WHERE id = '${agent}'`)).toBe(coordinatorIdOf(p));

beforeAll(async () => {
  server = startPostgresServer();
  url = server.url({ schema });
  scratch = mkdtempSync(join(tmpdir(), 'wg-peers-'));
  folders = await teamFolders(url, 'wg-peers-', ['-x', 'shell']);
}, 120_000);

afterAll(async () => {
  await removeTeamFolders(folders);
  server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}, 120_000);

describe('two coordinators of a team, in two folders', () => {
  let aUrl = '';
  let bUrl = '';

  it('start: each writes where it is reached and its output key into its row', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    aUrl = await startCoordinator(a);
    bUrl = await startCoordinator(b);
    await b.ok(['service', 'pause']);
    const rows = sql('SELECT folder, url, length(output_key) FROM coordinators ORDER BY started_at').split('\n');
    expect(rows).toEqual([`${a.root}|${aUrl}|43`, `${b.root}|${bUrl}|43`]);
  }, 120_000);

  it('a message sent from the other folder reaches the running agent of the coordinator that runs it', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    // The agent waits as its PostToolUse hook does: for the marker in its own coordinator's folder, then reads.
    const listener = (task: string) => {
      const marker = join(a.root, '.workgraph/service/inbox', task);
      return `until [ -e ${marker} ]; do sleep 0.1; done; "$WG_BIN" msg read ${task} > ${join(scratch, task)}`;
    };
    await a.ok(['add', 'Listen', '--id', 'listen', '--exec', listener('listen')]);
    await a.ok(['add', 'Listen too', '--id', 'listen-too', '--exec', listener('listen-too')]);
    for (const task of ['listen', 'listen-too']) {
      const agent = await agentOf(task);
      startedBy(agent, a);
    }
    const sent = await b.wg(['msg', 'send', 'listen', 'hello from folder b']);
    expect(sent.exitCode, sent.stderr).toBe(0);
    // Straight into the store, as a `wg` with no coordinator of its own would.
    const store = await Store.open(url);
    try {
      await store.messages.send({
        taskId: 'listen-too',
        body: 'hello from the store',
        sender: 'someone',
        priority: 'normal',
        agentId: null,
      });
    } finally {
      await store.close();
    }
    const read = (task: string) => (existsSync(join(scratch, task)) ? readFileSync(join(scratch, task), 'utf8') : '');
    await until('the first agent to read its message', () => read('listen').includes('hello from folder b'), 30_000);
    await until('the second agent to read its message', () => read('listen-too').includes('hello from the store'), 30_000);
    await until('both tasks done', () => sql("SELECT count(*) FROM tasks WHERE id LIKE 'listen%' AND status = 'done'") === '2');
  }, 90_000);

  it("`wg output` in the other folder fetches a run's output from the coordinator that ran it", async () => {
    const [a, b] = folders as [TempProject, TempProject];
    await a.ok(['add', 'Speak', '--id', 'speak', '--exec', 'echo spoken-in-folder-a']);
    const agent = await agentOf('speak');
    startedBy(agent, a);
    await until('speak done', () => sql("SELECT status FROM tasks WHERE id = 'speak'") === 'done');
    expect(existsSync(join(b.root, '.workgraph/runs', agent))).toBe(false);
    const there = await b.json<RunEventPage>(['output', agent]);
    const here = await a.json<RunEventPage>(['output', agent]);
    expect(there).toEqual(here);
    expect(JSON.stringify(there.events)).toContain('spoken-in-folder-a');
    const paged = await b.json<RunEventPage>(['output', agent, '--offset', '1', '--limit', '1']);
    expect(paged.offset).toBe(1);
    expect(paged.events).toEqual(here.events.slice(1, 2));
    // A person's `wg` (and the window) asks folder b's coordinator, which fetches it the same way.
    const person = JSON.parse(await b.ok(['token', 'create', 'ann', '--person', '--json'])) as { token: string };
    const remote = await b.wg(['output', agent, '--json'], { cwd: scratch, env: { WG_SERVER: bUrl, WG_TOKEN: person.token } });
    expect(remote.exitCode, remote.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).toEqual(here);
  }, 120_000);

  it('the output key opens only that: not an operation, not a run of another coordinator; no other token opens it', async () => {
    const [a] = folders as [TempProject, TempProject];
    const key = sql(`SELECT output_key FROM coordinators WHERE folder = '${a.root}'`);
    const token = readFileSync(join(a.root, '.workgraph/service/token'), 'utf8').trim();
    const agent = sql("SELECT id FROM agents WHERE task_id = 'speak'");
    const get = (path: string, bearer: string, method = 'GET') =>
      fetch(`${aUrl}${path}`, { method, headers: { authorization: `Bearer ${bearer}` } });
    expect((await get(`/api/peer/output/${agent}`, key)).status).toBe(200);
    expect((await get(`/api/peer/output/${agent}?limit=lots`, key)).status).toBe(400);
    expect((await get(`/api/peer/output/${agent}`, key, 'POST')).status).toBe(405);
    expect((await get(`/api/peer/output/${agent}`, token, 'POST')).status).toBe(401);
    expect((await get(`/api/peer/output/${agent}`, token)).status).toBe(401);
    expect((await get(`/api/peer/output/${agent}`, `${key.slice(0, -1)}x`)).status).toBe(401);
    expect((await get('/api/op/task:list', key, 'POST')).status).toBe(401);
    expect((await get('/api/events', key)).status).toBe(401);
    sql(`UPDATE agents SET coordinator_id = NULL WHERE id = '${agent}'`);
    const foreign = await get(`/api/peer/output/${agent}`, key);
    expect([foreign.status, ((await foreign.json()) as { error: string }).error]).toEqual([
      404,
      `${agent} did not run on this coordinator`,
    ]);
    sql(`UPDATE agents SET coordinator_id = '${coordinatorIdOf(a)}' WHERE id = '${agent}'`);
  }, 120_000);

  it('says in one line when the coordinator that ran it cannot be reached', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const agent = sql("SELECT id FROM agents WHERE task_id = 'speak'");
    const pid = Number(sql(`SELECT pid FROM coordinators WHERE folder = '${a.root}'`));
    process.kill(pid, 'SIGKILL');
    await until('folder a coordinator gone', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    const result = await b.wg(['output', agent]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      `wg: ${agent}'s output is on the coordinator ${sql(`SELECT host FROM coordinators WHERE folder = '${a.root}'`)}:${a.root} (${aUrl}), which cannot be reached: connection refused`,
    ]);
  }, 120_000);
});
