import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import { openProjectHost, type LocalProjectHost } from '../../src/core/host';
import { readServiceState } from '../../src/core/service-state/state-file';
import { WG_BIN, waitFor } from './helpers/daemon-project';
import { httpCall, openEventStream } from './helpers/http-call';

/** The API as the desktop app serves it (the same server as the daemon's), called from outside. */
const root = mkdtempSync(join(tmpdir(), 'wg-http-'));
const renderer = join(root, 'renderer');
let host: LocalProjectHost;
let port = 0;
let token = '';

const auth = () => ({ host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' });
const op = (name: string, body: unknown, headers: Record<string, string> = auth()) =>
  httpCall({ port }, 'POST', `/api/op/${name}`, { headers, body: JSON.stringify(body) });
const wg = (...args: string[]) =>
  execa(process.execPath, [WG_BIN, ...args], { cwd: root, env: { WG_HOME: join(root, '.home'), WG_DIR: '', WG_AGENT_ID: '' } });

beforeAll(async () => {
  process.env.WG_HOME = join(root, '.home');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Workgraph</title>');
  writeFileSync(join(renderer, 'app.js'), 'console.log(1)');
  process.env.WG_RENDERER_DIR = renderer;
  // Tasks without a command would go to Claude: keep this test's coordinator from starting any AI agent.
  mkdirSync(join(root, '.workgraph'), { recursive: true });
  writeFileSync(join(root, '.workgraph', 'config.toml'), '[coordinator]\nexecutor = "manual"\n');
  host = await openProjectHost(root, { createIfMissing: true });
  const state = readServiceState(host.paths);
  port = state?.port ?? 0;
  token = state?.url.split('#token=')[1] ?? '';
});
afterAll(async () => {
  await host.close({ stopAgents: true });
  rmSync(root, { recursive: true, force: true });
});

describe('the HTTP API', () => {
  it("runs every op by name, with the registry's validation and error codes", async () => {
    const added = await op('task:add', { title: 'First', id: 'first' });
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ kind: 'task', id: 'first', status: 'open' });
    await op('task:add', { title: 'Second', id: 'second', after: ['first'] });

    expect(await op('task:add', { title: '' })).toMatchObject({ status: 400, json: { code: 'invalid', error: 'title cannot be empty' } });
    expect(await op('task:add', { title: 'X', maxRetries: 'lots' })).toMatchObject({
      status: 400,
      json: { code: 'invalid', error: 'max-retries must be a whole number' },
    });
    expect(await op('task:show', { id: 'ghost' })).toMatchObject({
      status: 404,
      json: { code: 'not_found', error: "task 'ghost' not found" },
    });
    expect(await op('task:add', { title: 'Again', id: 'first' })).toMatchObject({ status: 409, json: { code: 'conflict' } });
    expect(await op('task:addDep', { task: 'first', dependency: 'second' })).toMatchObject({ status: 409, json: { code: 'cycle' } });
    expect(await op('task:frobnicate', {})).toMatchObject({
      status: 404,
      json: { code: 'not_found', error: "no operation 'task:frobnicate'" },
    });
    // A name of 9,000 characters is not said back whole.
    expect(await op('a'.repeat(9_000), {})).toMatchObject({
      status: 404,
      json: { code: 'not_found', error: `no operation '${'a'.repeat(40)}…'` },
    });
    const notJson = await httpCall({ port }, 'POST', '/api/op/task:list', { headers: auth(), body: '{oops' });
    expect(notJson).toMatchObject({ status: 400, json: { code: 'invalid', error: 'request body is not valid JSON' } });
    const huge = await httpCall({ port }, 'POST', '/api/op/task:list', { headers: auth(), body: Buffer.alloc(17 * 1024 * 1024, 32) });
    expect(huge.status).toBe(413);
    expect((await op('service:status', {})).json).toMatchObject({ running: true, pid: process.pid });
  });

  it('refuses calls without the token, with a bad Host (DNS rebinding) or from another origin', async () => {
    const noToken = await op('task:list', {}, { host: `127.0.0.1:${port}` });
    expect(noToken).toMatchObject({ status: 401, json: { code: 'unauthorized' } });
    expect((await op('task:list', {}, { ...auth(), authorization: 'Bearer nope' })).status).toBe(401);
    const rebound = await op('task:list', {}, { ...auth(), host: `evil.example:${port}` });
    expect(rebound).toMatchObject({ status: 403, json: { code: 'forbidden' } });
    expect((await op('task:list', {}, { ...auth(), host: `127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await op('task:list', {}, { ...auth(), host: `localhost:${port}` })).status).toBe(200);
    const crossOrigin = await op('task:list', {}, { ...auth(), origin: 'http://evil.example' });
    expect(crossOrigin).toMatchObject({ status: 403, json: { code: 'forbidden' } });
    expect((await op('task:list', {}, { ...auth(), origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await httpCall({ port }, 'GET', `/api/events`, { headers: { host: `127.0.0.1:${port}` } })).status).toBe(401);
    // The CLI's door, the unix socket, wants the token too.
    expect(
      (await httpCall({ socketPath: host.paths.socket }, 'POST', '/api/op/task:list', { headers: { host: 'localhost' } })).status,
    ).toBe(401);
    const viaSocket = await httpCall({ socketPath: host.paths.socket }, 'POST', '/api/op/task:list', {
      headers: { host: 'localhost', authorization: `Bearer ${token}` },
    });
    expect(viaSocket.status).toBe(200);
    // The CLI's poke after each write answers with the revision the coordinator now knows.
    const poke = await httpCall({ socketPath: host.paths.socket }, 'POST', '/api/internal/changed', {
      headers: { host: 'localhost', authorization: `Bearer ${token}` },
    });
    expect(poke).toMatchObject({ status: 200, json: { rev: expect.any(Number) } });
    expect(
      (await httpCall({ socketPath: host.paths.socket }, 'POST', '/api/internal/changed', { headers: { host: 'localhost' } })).status,
    ).toBe(401);
  });

  it('has the completion and heartbeat endpoints for remote agents', async () => {
    await op('task:add', { title: 'Outside', id: 'outside', executor: 'external' });
    const agent = await waitFor('the coordinator to hand it out', () => agentOf('outside'));
    expect(agent).toMatchObject({ runs_elsewhere: true, state: 'working' });
    const beat = await httpCall({ port }, 'POST', `/api/agent/${agent.id}/heartbeat`, { headers: auth() });
    expect(beat).toMatchObject({ status: 200, json: { id: agent.id, state: 'working' } });
    const done = await httpCall({ port }, 'POST', '/api/task/outside/complete', {
      headers: auth(),
      body: JSON.stringify({ agent: agent.id, artifacts: ['report.md'] }),
    });
    expect(done).toMatchObject({ status: 200, json: { id: 'outside', status: 'done', artifacts: ['report.md'] } });
    expect(await agentOf('outside')).toMatchObject({ state: 'done' });
  });

  it("streams a change event after every commit it sees — its own and another process's — and output as runs grow", async () => {
    const stream = await openEventStream(port, `/api/events?token=${token}`);
    expect(stream.status).toBe(200);
    const first = await waitFor('the opening change event', () => stream.events.find((e) => e.event === 'change'));
    const rev0 = (first.data as { rev: number }).rev;
    await op('task:log', { id: 'first', message: 'via the API' });
    await waitFor('a change after an API op', () =>
      stream.events.some((e) => e.event === 'change' && (e.data as { rev: number }).rev > rev0),
    );
    const rev1 = Math.max(...stream.events.map((e) => (e.event === 'change' ? (e.data as { rev: number }).rev : 0)));
    await wg('log', 'first', 'via the CLI'); // another process: the store changes, then the CLI pokes us
    await waitFor('a change after a CLI write', () =>
      stream.events.some((e) => e.event === 'change' && (e.data as { rev: number }).rev > rev1),
    );

    await op('task:add', { title: 'Talk', id: 'talk', exec: 'echo one; echo two' });
    const talker = await waitFor('the talk agent', () => agentOf('talk'));
    const output = await waitFor('an output event', () =>
      stream.events.find((e) => e.event === 'output' && (e.data as { agent_id: string }).agent_id === talker.id),
    );
    expect((output.data as { total: number }).total).toBeGreaterThan(0);
    stream.close();
  });

  it('tells every window when the coordinator is paused or resumed (a change event, then service:status says so)', async () => {
    const stream = await openEventStream(port, `/api/events?token=${token}`);
    const first = await waitFor('the opening change event', () => stream.events.find((e) => e.event === 'change'));
    const rev0 = (first.data as { rev: number }).rev;
    const changedAfter = (rev: number) => stream.events.some((e) => e.event === 'change' && (e.data as { rev: number }).rev > rev);
    await op('service:pause', {});
    await waitFor('a change after pausing', () => changedAfter(rev0));
    expect((await op('service:status', {})).json).toMatchObject({ paused: true });
    const rev1 = Math.max(...stream.events.map((e) => (e.event === 'change' ? (e.data as { rev: number }).rev : 0)));
    await op('service:resume', {});
    await waitFor('a change after resuming', () => changedAfter(rev1));
    expect((await op('service:status', {})).json).toMatchObject({ paused: false });
    stream.close();
  });

  it('serves the built renderer for browser mode, without the token and without leaving its folder', async () => {
    const page = await httpCall({ port }, 'GET', '/', { headers: { host: `127.0.0.1:${port}` } });
    expect(page).toMatchObject({ status: 200, text: '<!doctype html><title>Workgraph</title>' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const script = await httpCall({ port }, 'GET', '/app.js', { headers: { host: `127.0.0.1:${port}` } });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    // Dot segments are resolved by the URL parser (client routes get the app); encoded slashes cannot climb out either.
    expect((await httpCall({ port }, 'GET', '/%2e%2e/%2e%2e/etc/passwd', { headers: { host: `127.0.0.1:${port}` } })).text).toContain(
      '<title>Workgraph',
    );
    expect((await httpCall({ port }, 'GET', '/..%2f..%2f..%2fetc%2fpasswd', { headers: { host: `127.0.0.1:${port}` } })).status).toBe(404);
    expect((await httpCall({ port }, 'GET', '/', { headers: { host: `evil.example:${port}` } })).status).toBe(403);
  });

  it('holds the single-coordinator lock: neither a second host nor a daemon can start', async () => {
    await expect(openProjectHost(root, { createIfMissing: false })).rejects.toThrow(/already running for this project \(pid \d+\)/);
    const daemon = await wg('service', 'start').catch((error: { stderr: string; exitCode: number }) => error);
    expect(daemon.exitCode).not.toBe(0);
    expect(daemon.stderr).toMatch(/already running/);
  });
});

async function agentOf(taskId: string): Promise<Agent | null> {
  return (await host.dispatch('agent:list', {})).filter((a) => a.task_id === taskId).at(-1) ?? null;
}
