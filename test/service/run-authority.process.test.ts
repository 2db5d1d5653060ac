import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServiceState } from '../../src/core/service-state/state-file';
import { DaemonProject, isZombieOrGone } from './helpers/daemon-project';
import { httpCall } from './helpers/http-call';

/**
 * Least authority for agents' runs (issue 27, items 1 and 3): a run's credential opens only its
 * own task while it holds it, the project's token never leaves, a run that lost its task changes
 * nothing about it from the CLI or over HTTP, and a person's commands still work.
 */
const p = new DaemonProject('wg-run-authority-');
interface Launch {
  agent_id: string;
  run_id: string;
  callback_url: string;
  token: string;
  task: { id: string };
}
const launches: Launch[] = [];
const bodies: string[] = [];
let service: Server;
let port = 0;
let endpoint = '';

const waitLaunch = (taskId: string) => p.waitFor(`the launch of ${taskId}`, () => launches.find((l) => l.task.id === taskId));
const call = (token: string, name: string, body: unknown, extra: Record<string, string> = {}) =>
  httpCall({ port }, 'POST', `/api/op/${name}`, {
    headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  service = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(body);
      launches.push(JSON.parse(body) as Launch);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(service.address() as AddressInfo).port}/run`;
  await p.init();
  await p.ok(['executor', 'add', 'agents', '--type', 'http', '--endpoint', endpoint]);
  await p.ok(['config', '--executor', 'manual']);
  await p.start();
  port = readServiceState(p.paths)?.port as number;
});
afterAll(async () => {
  await p.remove();
  await new Promise<void>((resolve) => service.close(() => resolve()));
});

describe("an http agent's credential", () => {
  it('is its own, never the project token, and acts only on its own task while it holds it', async () => {
    await p.ok(['add', 'Other work', '--id', 'other']);
    await p.ok(['add', 'Remote work', '--id', 'remote', '--executor', 'agents']);
    const launch = await waitLaunch('remote');
    const project = readFileSync(p.paths.tokenFile, 'utf8').trim();
    expect(launch.token).not.toBe(project);
    expect(bodies.join('\n')).not.toContain(project);
    const own = launch.token;

    // What its task needs: read, log, add a follow-up after it.
    expect((await call(own, 'task:show', { id: 'remote' })).status).toBe(200);
    expect((await call(own, 'task:log', { id: 'remote', message: 'working' })).status).toBe(200);
    expect((await call(own, 'task:add', { title: 'Follow-up', id: 'follow', after: ['remote'] })).status).toBe(200);
    // Without --after it comes after the run's own task, as upstream's default_parent_after makes it.
    expect((await call(own, 'task:add', { title: 'Implicit', id: 'implicit' })).status).toBe(200);
    expect((await p.task('implicit')).after).toEqual(['remote']);

    // Nothing else: a task elsewhere, an edit, a claim, another task's report, the event stream, the token.
    const refusals = [
      await call(own, 'task:add', { title: 'Elsewhere', id: 'elsewhere', after: ['other'] }),
      await call(own, 'task:add', { title: 'Shell', id: 'shell', after: ['remote'], executor: 'shell', exec: 'id > /tmp/pwned' }),
      // A remote agent's follow-ups run where it runs: not with a local agent, nor at another URL.
      await call(own, 'task:add', { title: 'Local agent', id: 'local-agent', after: ['remote'], executor: 'claude' }),
      await call(own, 'task:add', { title: 'Loopback', id: 'loopback', after: ['remote'], executor: 'http://127.0.0.1:1/run' }),
      await call(own, 'task:edit', { id: 'remote', exec: 'id' }),
      await call(own, 'task:edit', { id: 'other', title: 'Mine now' }),
      await call(own, 'task:claim', { id: 'other', agent: launch.agent_id, force: true }),
      await call(own, 'task:abandon', { id: 'other' }),
      await call(own, 'config:update', { executor: 'shell' }),
      await call(own, 'executor:add', { name: 'x', type: 'http', endpoint: 'http://10.0.0.1/' }),
      await call(own, 'token:create', { name: 'mine' }),
      await call(own, 'service:pause', {}),
    ];
    for (const reply of refusals) expect(reply).toMatchObject({ status: 403, json: { code: 'forbidden' } });
    expect((await call(own, 'task:log', { id: 'other', message: 'not mine' })).status).toBe(409);
    expect((await call(own, 'task:show', { id: 'remote' }, { 'x-wg-agent': 'agent-999' })).status).toBe(403);
    const stream = await httpCall({ port }, 'GET', '/api/events', {
      headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${own}` },
    });
    expect(stream.status).toBe(403);
    // It reads the project's work, never the coordinator's set-up (run-credential-reads.test.ts has the rest).
    for (const name of ['service:status', 'config:list', 'token:list', 'executor:list'])
      expect(await call(own, name, {})).toMatchObject({ status: 403, json: { code: 'forbidden' } });
    const graph = await call(own, 'graph:export', {});
    expect(graph.status).toBe(200);
    expect(graph.text).not.toContain(project);
    expect((await p.tasks()).map((t) => t.id).sort()).toEqual(['follow', 'implicit', 'other', 'remote']);
    expect(await p.task('other')).toMatchObject({ title: 'Other work', status: 'open' });
    expect((await p.task('follow')).executor).toBe('agents');
    expect((await p.task('remote')).exec).toBeNull();

    // A forged credential (another agent's name with this signature) opens nothing.
    const [, run, mac] = own.slice(4).split('.');
    const forged = `wgr_${Buffer.from(`${launch.agent_id}0`, 'utf8').toString('base64url')}.${run}.${mac}`;
    expect((await call(forged, 'task:show', { id: 'remote' })).status).toBe(401);

    // Once the run no longer holds its task, its credential opens nothing, reads included.
    await p.ok(['service', 'pause']);
    await p.ok(['kill', launch.agent_id]);
    expect((await call(own, 'task:show', { id: 'remote' })).status).toBe(403);
    expect((await call(own, 'task:add', { title: 'Late', id: 'late', after: ['remote'] })).status).toBe(403);
    expect((await call(own, 'task:abandon', { id: 'remote' })).status).toBe(403);
    expect((await p.task('remote')).status).toBe('open');
    await p.ok(['service', 'resume']);
  });

  it('may requeue, mark incomplete or park its own task and send and read messages about it; not about another', async () => {
    await p.ok(['add', 'Other work two', '--id', 'other-2']);
    const credential = async (id: string) => {
      await p.ok(['add', id, '--id', id, '--executor', 'agents']);
      return (await waitLaunch(id)).token;
    };
    const [requeued, incomplete, parked] = [await credential('flow-1'), await credential('flow-2'), await credential('flow-3')];

    expect((await call(requeued, 'msg:send', { task: 'flow-1', message: 'a note' })).status).toBe(200);
    expect((await call(requeued, 'msg:read', { task: 'flow-1' })).status).toBe(200);
    for (const reply of [
      await call(requeued, 'msg:send', { task: 'other-2', message: 'not mine' }),
      await call(requeued, 'task:requeue', { id: 'other-2', reason: 'not mine' }),
    ])
      expect(reply).toMatchObject({ status: 403, json: { code: 'forbidden' } });
    expect((await call(incomplete, 'task:incomplete', { id: 'other-2' })).status).toBe(409);
    expect((await call(parked, 'task:wait', { id: 'other-2', until: 'timer:1h' })).status).toBe(409);
    expect(await p.task('other-2')).toMatchObject({ status: 'open' });

    expect((await call(requeued, 'task:requeue', { id: 'flow-1', reason: 'added a fix task' })).status).toBe(200);
    expect((await call(incomplete, 'task:incomplete', { id: 'flow-2', reason: 'needs another pass' })).status).toBe(200);
    expect((await call(parked, 'task:wait', { id: 'flow-3', until: 'timer:1h' })).status).toBe(200);
    expect((await p.task('flow-2')).status).toBe('incomplete');
    expect((await p.task('flow-3')).status).toBe('waiting');
    expect((await p.task('flow-1')).log.some((l) => l.message.includes('added a fix task'))).toBe(true);
    for (const id of ['flow-1', 'flow-2', 'flow-3']) await p.ok(['pause', id]);
  });

  it('may checkpoint its own task under its own name; not another task, not as another agent', async () => {
    await p.ok(['add', 'Checkpointed', '--id', 'cp-own', '--executor', 'agents']);
    const launch = await waitLaunch('cp-own');
    const saved = await call(launch.token, 'task:checkpoint', { task: 'cp-own', summary: 'half way' });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ saved: { agent_id: launch.agent_id, task_id: 'cp-own', summary: 'half way' } });
    for (const reply of [
      await call(launch.token, 'task:checkpoint', { task: 'other-2', summary: 'not mine' }),
      await call(launch.token, 'task:checkpoint', { task: 'cp-own', summary: 'as another', agent: 'agent-999' }),
    ])
      expect(reply).toMatchObject({ status: 403, json: { code: 'forbidden' } });
    expect(existsSync(join(p.paths.runsDir, 'agent-999'))).toBe(false);
    // Its slot freed for the cases after this one.
    await p.ok(['kill', launch.agent_id]);
    await p.ok(['abandon', 'cp-own']);
  });

  it('cannot be sent by a task to a server the config does not name', async () => {
    const refused = await p.wg(['add', 'Exfiltrate', '--id', 'exfil', '--executor', 'http://10.9.8.7:9000/run']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.trim()).toBe(
      "wg: executor 'http://10.9.8.7:9000/run': a task may post only to this machine or to a server an http executor in config.toml names (wg executor add NAME --type http --endpoint http://10.9.8.7:9000/...)",
    );
    // Loopback, and the origin a configured profile posts to, are allowed.
    await p.ok(['add', 'Local URL', '--id', 'local-url', '--executor', `http://localhost:1/run`, '--paused']);
    await p.ok(['executor', 'add', 'farm', '--type', 'http', '--endpoint', 'https://agents.example.com/run']);
    await p.ok(['add', 'Farm URL', '--id', 'farm-url', '--executor', 'https://agents.example.com/other', '--paused']);
  });

  it('is not carried past the allowed URL by a redirect: the run fails with one line and the other server gets nothing', async () => {
    // Another origin, refused as a task's executor: this machine's own network address where it has one.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
    const caught: string[] = [];
    const catcher = createServer((req, res) => {
      caught.push(`${req.method} ${req.url}`);
      res.writeHead(202).end();
    });
    await new Promise<void>((resolve) => catcher.listen(0, external ?? '127.0.0.1', resolve));
    const target = `http://${external ?? '192.0.2.1'}:${(catcher.address() as AddressInfo).port}/catch`;
    expect((await p.wg(['add', 'Probe', '--id', 'probe', '--executor', target, '--paused'])).exitCode).not.toBe(0);
    const redirector = createServer((_req, res) => res.writeHead(307, { location: target }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const allowed = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/run`;
    try {
      await p.ok(['add', 'Redirected', '--id', 'redirected', '--executor', allowed, '--max-retries', '0']);
      const task = await p.waitFor('the run to fail', async () =>
        (await p.task('redirected')).status === 'failed' ? p.task('redirected') : null,
      );
      expect(task.failure_reason).toBe(
        `launch failed: POST ${allowed} answered 307, a redirect to ${target}, which is not followed: give the executor the URL that answers itself; no retries left (0)`,
      );
      expect(caught).toEqual([]);
    } finally {
      await Promise.all([catcher, redirector].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    }
  });
});

describe('a run that no longer holds its task', () => {
  it('changes nothing about it by any command, while a person still can', async () => {
    await p.ok(['add', 'Held', '--id', 'held', '--executor', 'shell', '--exec', `printenv WG_API_TOKEN > '${p.root}/run-token'; sleep 60`]);
    const agent = await p.waitFor('the run', async () => (await p.agentsOf('held')).find((a) => a.state === 'working'));
    // A local run, too, holds its own credential, not the project's token.
    const seen = await p.waitFor(
      'the run token',
      () => existsSync(join(p.root, 'run-token')) && readFileSync(join(p.root, 'run-token'), 'utf8').trim(),
    );
    expect(seen).toMatch(/^wgr_/);
    expect(seen).not.toContain(readFileSync(p.paths.tokenFile, 'utf8').trim());
    // Service files it might write go here, never to the real home.
    const units = join(p.root, 'units');
    const runEnv = { WG_AGENT_ID: agent.id, WG_RUN_ID: (await p.runId(agent.id)) ?? '', WG_SYSTEMD_USER_DIR: units };
    const asRun = (args: string[]) => p.wg(args, { env: runEnv });

    // While it holds its task: reports and follow-ups, nothing more.
    expect((await asRun(['log', 'held', 'still here'])).exitCode).toBe(0);
    expect((await asRun(['add', 'Next', '--id', 'next', '--after', 'held'])).exitCode).toBe(0);
    const edit = await asRun(['edit', 'held', '--exec', 'true']);
    expect(edit.exitCode).not.toBe(0);
    expect(edit.stderr).toMatch(/^wg: an agent's run may only report on its own task and add follow-ups after it, not 'edit'/);

    await p.ok(['service', 'pause']);
    await p.ok(['kill', agent.id]);
    await p.waitFor('the kill', async () => (await p.agentsOf('held')).every((a) => a.state !== 'working'));
    const before = await p.task('held');
    for (const args of [
      ['abandon', 'held'],
      ['pause', 'held'],
      ['retry', 'held'],
      ['edit', 'held', '--exec', 'id'],
      ['claim', 'held', '--agent', agent.id, '--force'],
      ['unclaim', 'held'],
      ['publish', 'held'],
      ['add-dep', 'held', 'other'],
      ['done', 'held'],
      ['fail', 'held'],
      // Again: a stale run retrying in a loop adds no more lines to the task's log.
      ['done', 'held'],
      ['fail', 'held'],
      ['done', 'held'],
      ['add', 'Late', '--after', 'held'],
      ['service', 'resume'],
      ['kill', '--all'],
    ]) {
      const result = await asRun(args);
      expect(result.exitCode, `wg ${args.join(' ')}`).not.toBe(0);
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
    // Not operations (run-authority.ts never sees them): refused by the command itself, as any run's are.
    for (const [args, what] of [
      [['service', 'install'], 'install a service'],
      [['service', 'start'], 'start the coordinator'],
      [['service', 'stop'], 'stop the coordinator'],
      [['service', 'restart'], 'restart the coordinator'],
      [['init'], 'make a project'],
      [
        ['agentd', 'install', '--url', 'http://127.0.0.1:1', '--token', 'wga_x', '--repo-paths', `acme/app=${p.root}`],
        'install an agent daemon',
      ],
      [['agentd', 'run', '--url', 'http://127.0.0.1:1', '--token', 'wga_x', '--repo-paths', `acme/app=${p.root}`], 'run an agent daemon'],
      [['check', '--db', '--repair'], "repair the project's graph.db"],
    ] as const) {
      expect(await asRun([...args]), `wg ${args.join(' ')}`).toMatchObject({
        exitCode: 1,
        stderr: `wg: an agent's run may not ${what}; a person can`,
      });
    }
    const after = await p.task('held');
    // Only the refusals of its done and fail are noted in the log, once each; nothing else moved.
    expect({ ...after, log: null, rev: null, updated_at: null }).toEqual({ ...before, log: null, rev: null, updated_at: null });
    expect(after.log.slice(before.log.length).map((l) => l.message)).toEqual([
      `Refused \`wg done\` from ${agent.id}: ${agent.id} is no longer working (killed)`,
      `Refused \`wg fail\` from ${agent.id}: ${agent.id} is no longer working (killed)`,
    ]);
    expect((await p.tasks()).some((t) => t.title === 'Late')).toBe(false);
    expect(existsSync(units)).toBe(false);
    expect(existsSync(p.paths.db)).toBe(true);

    // The person's own commands (no run environment) work as before.
    await p.ok(['edit', 'held', '--exec', 'true']);
    await p.ok(['abandon', 'held']);
    expect((await p.task('held')).status).toBe('abandoned');
    await p.ok(['service', 'resume']);
  });
});

describe('wg retry of an in-progress task (upstream retry.rs retry_in_progress)', () => {
  it("ends its run, reopens it and counts the attempt; no run's credential can do it, its own or another's", async () => {
    const sleeper = (id: string) => ['add', id, '--id', id, '--executor', 'shell', '--exec', 'sleep 60'];
    await p.ok(sleeper('hung'));
    await p.ok(sleeper('neighbour'));
    const hung = await p.waitFor('the hung run', async () =>
      (await p.agentsOf('hung')).find((a) => a.state === 'working' && a.pid !== null),
    );
    const neighbour = await p.waitFor('the neighbour run', async () => (await p.agentsOf('neighbour')).find((a) => a.state === 'working'));
    const asNeighbour = async (args: string[]) =>
      p.wg(args, { env: { WG_AGENT_ID: neighbour.id, WG_RUN_ID: (await p.runId(neighbour.id)) ?? '' } });
    for (const args of [
      ['retry', 'hung'],
      ['retry', 'neighbour'],
    ]) {
      const refused = await asNeighbour(args);
      expect(refused.exitCode, `wg ${args.join(' ')}`).not.toBe(0);
      expect(refused.stderr).toMatch(/^wg: an agent's run may only report on its own task and add follow-ups after it, not 'retry'/);
    }
    expect(await p.task('hung')).toMatchObject({ status: 'in-progress', assigned: hung.id, retry_count: 0 });

    // A person's retry: the hung run ends (the coordinator stops its process), the task opens with the attempt counted.
    await p.ok(['retry', 'hung', '--reason', 'hung 20min']);
    const retried = await p.task('hung');
    expect(retried.retry_count).toBe(1);
    expect(retried.log.map((l) => l.message)).toContain(`Retry #1 from in-progress: the run of ${hung.id} ended (hung 20min)`);
    expect((await p.agents()).find((a) => a.id === hung.id)?.state).toBe('killed');
    await p.waitFor('the hung process to be stopped', () => isZombieOrGone(hung.pid as number));
    // The coordinator may start it again at once, with a new run.
    expect((await p.task('hung')).assigned).not.toBe(hung.id);
    expect((await p.agents()).find((a) => a.id === neighbour.id)?.state).toBe('working');
    await p.ok(['abandon', 'hung']);
    await p.ok(['abandon', 'neighbour']);
  });
});
