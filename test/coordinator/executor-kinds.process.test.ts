import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { Task } from '../../src/shared/task';
import { openProjectHost, type ProjectHost } from '../../src/core/host';
import { exists, isZombieOrGone, waitFor } from '../service/helpers/daemon-project';

/**
 * The launch kinds through the engine in this process (the desktop app's way): local processes
 * with a run timeout, http services that must send heartbeats, external and manual tasks.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-kinds-'));
const posted: Array<Record<string, unknown>> = [];
let service: Server;
let serviceUrl = '';
let host: ProjectHost;
/**
 * Tasks whose run the fake service keeps alive as a working service does: a heartbeat at once and every 200 ms
 * (heartbeat_timeout is 1 s here, so a loaded machine's pause between the POST and the test's callback would
 * otherwise be a silent agent's death).
 */
const keptAlive = new Set(['remote']);
const beating: NodeJS.Timeout[] = [];

function beat(payload: Record<string, unknown>): void {
  const send = () =>
    void fetch(String(payload.heartbeat_url), {
      method: 'POST',
      headers: { authorization: `Bearer ${String(payload.token)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ run_id: payload.run_id }),
    }).catch(() => undefined);
  send();
  beating.push(setInterval(send, 200));
}

beforeAll(async () => {
  process.env.WG_HOME = join(root, '.home');
  service = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      posted.push(payload);
      if (keptAlive.has(String((payload.task as { id?: string } | undefined)?.id))) beat(payload);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/agents`;
  mkdirSync(join(root, '.workgraph'), { recursive: true });
  writeFileSync(
    join(root, '.workgraph', 'config.toml'),
    [
      '[coordinator]',
      'executor = "shell"',
      'max_agents = 4',
      'poll_interval = 3600',
      // Minutes unless it says otherwise: one second, to see a silent agent die quickly.
      '[agent]',
      'heartbeat_timeout = "1s"',
      '[executors.quick]',
      'type = "shell"',
      'timeout = 1',
      '[executors.service]',
      'type = "http"',
      `endpoint = "${serviceUrl}"`,
    ].join('\n'),
  );
  host = await openProjectHost(root, { createIfMissing: true });
});
afterAll(async () => {
  for (const timer of beating) clearInterval(timer);
  await host.close({ stopAgents: true });
  await new Promise((resolve) => service.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const task = (id: string) => host.dispatch('task:show', { id });
const agentsOf = async (id: string): Promise<Agent[]> => (await host.dispatch('agent:list', {})).filter((a) => a.task_id === id);
const settled = (id: string) =>
  waitFor(
    `${id} to settle`,
    async () => {
      const t = await task(id);
      return t.status === 'done' || t.status === 'failed' ? t : null;
    },
    20_000,
  );

/** The quick profile's timeout (1 s), as its reason says it. */
const TIMED_OUT = 'timed out after 1 s';

describe('launch kinds through the engine', () => {
  it('kills a run that outlives its timeout, with its children, and fails the task as "timed out after N s"', async () => {
    const pids = join(root, 'slow.pids');
    await host.dispatch('task:add', { title: 'Slow', id: 'slow', executor: 'quick', exec: `sleep 30 & echo $! > ${pids}; sleep 30` });
    const failed: Task = await settled('slow');
    expect(failed).toMatchObject({ status: 'failed', failure_reason: TIMED_OUT });
    const [agent] = await agentsOf('slow');
    expect(agent).toMatchObject({ state: 'failed', reason: TIMED_OUT });
    const child = Number(readFileSync(pids, 'utf8').trim());
    await waitFor('the whole group to be gone', () => !exists(-(agent?.pid as number)) && isZombieOrGone(child));
  });

  it('posts to an http executor, which reports back through the callback URL with the token', async () => {
    await host.dispatch('task:add', { title: 'Remote', id: 'remote', executor: 'service', description: 'do it elsewhere' });
    const payload = await waitFor('the POST', () => posted.find((p) => (p.task as { id?: string } | undefined)?.id === 'remote'));
    const [agent] = await agentsOf('remote');
    expect(agent).toMatchObject({ runs_elsewhere: true, state: 'working', pid: null });
    expect(payload).toMatchObject({ agent_id: agent?.id, callback_url: expect.stringMatching(/\/api\/task\/remote\/complete$/) });
    const reply = await fetch(payload.callback_url as string, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(payload.token)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ agent: agent?.id }),
    });
    expect(reply.status).toBe(200);
    expect(await settled('remote')).toMatchObject({ status: 'done' });
    expect((await agentsOf('remote'))[0]?.state).toBe('done');
  });

  it('an http agent without heartbeats is dead after heartbeat_timeout: retried, then failed', async () => {
    await host.dispatch('task:add', { title: 'Silent', id: 'silent', executor: 'service', maxRetries: 1 });
    const failed = await settled('silent');
    expect(failed).toMatchObject({ status: 'failed', retry_count: 1, failure_reason: 'no heartbeat for 1s; no retries left (1)' });
    expect((await agentsOf('silent')).map((a) => a.state)).toEqual(['dead', 'dead']);
  });

  it('claims external tasks for someone outside and waits for them, with no deadline', async () => {
    await host.dispatch('task:add', { title: 'By hand elsewhere', id: 'ext', executor: 'external' });
    const agent = await waitFor('the external claim', async () => (await agentsOf('ext'))[0]);
    expect(agent).toMatchObject({ runs_elsewhere: true, state: 'working' });
    await new Promise((resolve) => setTimeout(resolve, 1500)); // past heartbeat_timeout: still fine
    expect((await agentsOf('ext'))[0]?.state).toBe('working');
    await host.dispatch('task:done', { id: 'ext', agent: agent.id }, 'outside');
    expect((await agentsOf('ext'))[0]?.state).toBe('done');
  });

  it('never starts manual tasks by itself; wg spawn starts one (with the default executor)', async () => {
    await host.dispatch('task:add', { title: 'Pilot', id: 'pilot', executor: 'manual', exec: 'echo by hand' });
    await host.dispatch('task:add', { title: 'Marker', id: 'marker', exec: 'true' });
    await settled('marker'); // a tick went by
    expect(await task('pilot')).toMatchObject({ status: 'open', assigned: null });
    const agent = await host.dispatch('task:spawn', { id: 'pilot' });
    expect(agent).toMatchObject({ task_id: 'pilot', executor: 'shell', state: 'working' });
    const done = await settled('pilot');
    expect(done.status).toBe('done');
    expect(done.log.some((l) => l.message.startsWith('Spawned by wg spawn --executor shell'))).toBe(true);
    await expect(host.dispatch('task:spawn', { id: 'pilot' })).rejects.toThrow("task 'pilot' is done, not open");
  });

  it('wakes for a scheduled task when it is due (the safety poll is an hour away), and again at every occurrence', async () => {
    const added = await host.dispatch('task:add', {
      title: 'Soon',
      id: 'soon',
      executor: 'scheduled',
      schedule: '*/2 * * * * *',
      exec: 'true',
    });
    expect(added.not_before).not.toBeNull();
    // Each run ends with the task open again for the next occurrence: it never stays done.
    const twice = await waitFor('two runs', async () =>
      (await agentsOf('soon')).filter((a) => a.state === 'done').length >= 2 ? task('soon') : null,
    );
    const runs = (await agentsOf('soon')).filter((a) => a.state === 'done');
    expect(Date.parse(runs[0]?.started_at as string)).toBeGreaterThanOrEqual(Date.parse(added.not_before as string));
    expect(Date.parse(runs[1]?.started_at as string)).toBeGreaterThan(Date.parse(runs[0]?.started_at as string));
    expect(twice.log.filter((l) => l.message.startsWith('Run done; next run at')).length).toBeGreaterThanOrEqual(2);
    // Until abandoned.
    await host.dispatch('task:abandon', { id: 'soon' });
    const count = (await agentsOf('soon')).length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await agentsOf('soon')).length).toBe(count);
  });

  it('fails a task that cannot be launched instead of retrying it forever', async () => {
    // An executor that names nothing is refused when set…
    await expect(host.dispatch('task:add', { title: 'Nowhere', id: 'nowhere', executor: 'nope' })).rejects.toThrow(
      /^no executor 'nope'; there are: /,
    );
    // …and so is removing a profile an unfinished task names; one removed anyway (--force) fails the task when it
    // comes to run.
    await host.dispatch('executor:add', { name: 'temporary', type: 'shell' });
    await host.dispatch('task:add', { title: 'Nowhere', id: 'nowhere', executor: 'temporary', exec: 'true', paused: true });
    await expect(host.dispatch('executor:remove', { name: 'temporary' })).rejects.toThrow(/named by 1 unfinished task \(nowhere\)/);
    await host.dispatch('executor:remove', { name: 'temporary', force: true });
    await host.dispatch('task:publish', { id: 'nowhere' });
    expect(await settled('nowhere')).toMatchObject({
      status: 'failed',
      failure_reason: expect.stringMatching(/^cannot launch: no executor 'temporary'; there are: /),
    });
    await host.dispatch('task:add', { title: 'No command', id: 'nocmd', executor: 'shell' });
    const nocmd = await settled('nocmd');
    expect(nocmd.failure_reason).toMatch(/^cannot launch: task 'nocmd' runs with the shell executor but has no command/);
    expect(await agentsOf('nowhere')).toEqual([]);
    expect(await agentsOf('nocmd')).toEqual([]);
    // Dispatch errors are the coordinator's recent errors too (the Service page shows them).
    const errors = (await host.dispatch('service:status', {})).recent_errors.map((e) => e.message);
    expect(errors.some((message) => message.startsWith("nocmd failed: cannot launch: task 'nocmd' runs with the shell executor"))).toBe(
      true,
    );
  });
});
