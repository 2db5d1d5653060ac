import { sqlText } from '../helpers/sql-text';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_WS_PATH } from '../../src/shared/agent-protocol';
import type { CreatedAgentToken, DaemonJob, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import { Store } from '../../src/core/store/store';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from './helpers/agentd-process';
import { RawClient } from './helpers/raw-client';

/**
 * Issue 27 item 4 against a real coordinator and real `wg agentd` processes: one live connection
 * per daemon identity (token and host name), Host and Origin checked on the agent socket as on the
 * HTTP API, and no agent token in the daemon's log at debug level.
 */
const p = new DaemonProject('wg-agentd-identity-');
let url = '';
let port = 0;
let reader: Store;
let token = '';
let windowUrl = '';
const repo = makeRepo('wg-repo-identity-');
const daemons: AgentdProcess[] = [];

// The task id says how long the job takes: slow-* 30 s, mid-* 3 s, anything else at once.
const SCRIPT = 'case "$WG_TASK_ID" in slow*) sleep 30;; mid*) sleep 3;; esac; echo "$WG_TASK_ID finished"';

function daemon(host: string): AgentdProcess {
  const started = startAgentd(host, {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: url,
    WG_AGENT_TOKEN: token,
    REPO_PATHS: `acme/app=${repo}`,
    CLI_COMMAND: 'sh',
    CLI_ARGS_TEMPLATE: `-c '${SCRIPT}'`,
    LOG_LEVEL: 'debug',
  });
  daemons.push(started);
  return started;
}

const jobs = async (taskId: string): Promise<DaemonJob[]> =>
  sqlText<DaemonJob>(reader.core, 'SELECT * FROM daemon_jobs WHERE task_id = ? ORDER BY created_at').all(taskId);
const hosts = async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.map((d) => `${d.host}:${d.id}`);

/** The HTTP status a WebSocket upgrade is answered with (101 when it opens), and the body of a refusal. */
function upgradeReply(options: WebSocket.ClientOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${AGENT_WS_PATH}`, options);
    ws.once('open', () => {
      ws.terminate();
      resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        ws.terminate();
      });
    });
    ws.once('error', (error) => {
      if (ws.readyState !== ws.CLOSED) reject(error);
    });
  });
}

const upgradeStatus = async (options: WebSocket.ClientOptions) => (await upgradeReply(options)).status;

beforeAll(async () => {
  await p.init();
  // A probe takes half the stall timeout at most: 3 s here.
  await p.ok(['config', '--stall-timeout', '6']);
  token = (await p.json<CreatedAgentToken>(['token', 'create', 'one'])).token;
  const started = await p.start();
  windowUrl = started.url ?? '';
  url = windowUrl.replace(/\/#token=.*$/, '');
  port = Number(new URL(url).port);
  reader = await Store.open(p.paths.db);
});

afterAll(async () => {
  killMarked();
  await reader?.close();
  await p.remove();
});

describe('the agent socket', () => {
  it('refuses a foreign Host and any Origin, as the HTTP API refuses a foreign Host', async () => {
    expect(await upgradeStatus({})).toBe(101);
    expect(await upgradeStatus({ headers: { host: `evil.example:${port}` } })).toBe(403);
    // A browser page always sends Origin, even its own; no page opens this socket.
    expect(await upgradeStatus({ origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus({ origin: `http://127.0.0.1:${port}` })).toBe(403);
    // Refused as the HTTP API refuses: {"error": "…", "code": "forbidden"}.
    const refused = await upgradeReply({ origin: 'http://evil.example' });
    expect(JSON.parse(refused.body)).toEqual({
      error: "origin 'http://evil.example' is not allowed on the agent socket",
      code: 'forbidden',
    });
  });
});

describe('one live connection per agent daemon identity', () => {
  it("a second process with the same token and host name is refused while the first answers; the real daemon's result is taken", async () => {
    const real = daemon('box');
    await waitFor('box registered', async () => (await hosts()).length === 1);
    await p.ok(['add', 'Three seconds', '--id', 'mid-1', '--executor', 'remote', '--repo', 'acme/app']);
    const job = await waitFor('mid-1 running', async () =>
      (await jobs('mid-1'))[0]?.state === 'running' ? (await jobs('mid-1'))[0] : null,
    );

    const impostor = await RawClient.open(url);
    impostor.auth(token);
    await impostor.next('auth.ok');
    // It even knows the lease: it must not keep it, nor report on it.
    impostor.register('box', [{ lease_id: job?.lease_id as string, state: 'finished' }]);
    expect((await impostor.next('error')).message).toMatch(/^a live agent daemon is already connected as box with token 'one'/);
    expect((await impostor.waitClosed()).code).toBe(4011);

    await waitFor('mid-1 done by the real daemon', async () => (await p.task('mid-1')).status === 'done', 20_000);
    expect((await p.task('mid-1')).results.output).toBe('mid-1 finished');
    expect((await jobs('mid-1')).map((j) => j.state)).toEqual(['done']);
    expect(real.log()).not.toMatch(/did not take the result/);
    expect(await hosts()).toHaveLength(1);
  });

  it('the same daemon reconnecting (its instance) takes over its half-open connection, which is told', async () => {
    const first = await RawClient.open(url);
    first.auth(token);
    await first.next('auth.ok');
    first.register('same');
    await first.next('agent.registered');
    const again = await RawClient.open(url);
    again.instance = first.instance;
    again.auth(token);
    await again.next('auth.ok');
    again.register('same');
    expect(await again.next('agent.registered')).toMatchObject({ keep: [], drop: [] });
    expect((await first.next('error')).message).toMatch(/^agent daemon same reconnected/);
    expect((await first.waitClosed()).code).toBe(4009);
    expect((await hosts()).filter((h) => h.startsWith('same:'))).toHaveLength(1);
    again.close();
  });

  it('a daemon that stops answering gives way to a new process: its job is lost once, and it is told when it wakes', async () => {
    const frozen = daemon('frozen');
    await waitFor('frozen registered', async () => (await hosts()).some((h) => h.startsWith('frozen:')));
    await p.ok(['add', 'Long', '--id', 'slow-1', '--executor', 'remote', '--repo', 'acme/app', '--max-retries', '3']);
    await waitFor('slow-1 running', async () => (await jobs('slow-1'))[0]?.state === 'running');
    process.kill(frozen.pid, 'SIGSTOP');
    const next = await RawClient.open(url);
    next.auth(token);
    await next.next('auth.ok');
    next.register('frozen', [], { repos: ['other/repo'] });
    expect(await next.next('agent.registered')).toMatchObject({ keep: [], drop: [] });
    const lost = (await jobs('slow-1'))[0];
    expect(lost?.state).toBe('lost');
    expect(lost?.outcome).toMatch(/^agent daemon frozen \(frozen#\d+\) stopped answering and another process connected/);
    // Its task is retried by the coordinator's next turn, which the job's end asks for.
    await waitFor('slow-1 retried', async () => (await p.task('slow-1')).retry_count === 1);
    process.kill(frozen.pid, 'SIGCONT');
    // Told, it stops the job it still ran (dispatched again elsewhere: else it runs to its end twice) and exits,
    // rather than reconnecting as a duplicate for ever with a result nobody takes.
    await waitFor(
      'the frozen daemon told',
      () => /another process with this token and host name took its place/.test(frozen.log()),
      20_000,
    );
    const exit = await frozen.proc.catch((error: { exitCode?: number }) => error);
    expect(exit.exitCode).not.toBe(0);
    expect(frozen.log()).not.toMatch(/slow-1 finished/);
    expect(frozen.log()).not.toMatch(/another live daemon uses this token and host name/);
    next.close();
  });

  it("takes the window's URL that wg service start prints, its #token= left out of what it sends and logs", async () => {
    expect(windowUrl).toMatch(/\/#token=/);
    const started = startAgentd('window', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: windowUrl,
      WG_AGENT_TOKEN: token,
      REPO_PATHS: `acme/app=${repo}`,
      LOG_LEVEL: 'debug',
    });
    daemons.push(started);
    await waitFor('window registered', async () => (await hosts()).some((h) => h.startsWith('window:')), 20_000);
    // Its registration can be seen before its own log line arrives through the pipe: wait for the line.
    await waitFor('its connection logged', async () => started.log().includes(`connected to ${url}\n`), 20_000);
    expect(started.log()).not.toContain(windowUrl.split('#token=')[1] as string);
  });

  it('prints no agent token at --log-level debug, though it prints every protocol message', async () => {
    for (const d of daemons) {
      await waitFor('its auth message logged', async () => /debug -> \{"type":"auth","token":"wga_…"/.test(d.log()), 20_000);
      expect(d.log()).not.toContain(token);
      expect(d.log()).not.toContain(token.slice(4));
    }
  });
});
