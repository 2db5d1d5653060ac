import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServiceState } from '../../src/core/service-state/state-file';
import { DaemonProject, waitFor } from './helpers/daemon-project';
import { httpCall } from './helpers/http-call';

/**
 * Reports over HTTP go through the same ownership rule as the CLI's: an http agent's callbacks
 * carry the run id it was handed; once its run no longer holds the task, they are refused with
 * 409 and the attempt is noted in the task's log.
 */
const p = new DaemonProject('wg-http-reports-');
/** What the http executor posts (the fields these tests use). */
interface Launch {
  agent_id: string;
  run_id: string;
  callback_url: string;
  heartbeat_url: string;
  token: string;
}
const launches: Launch[] = [];
let service: Server;

beforeAll(async () => {
  service = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      launches.push(JSON.parse(body) as Launch);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  await p.init();
  await p.ok([
    'executor',
    'add',
    'agent-service',
    '--type',
    'http',
    '--endpoint',
    `http://127.0.0.1:${(service.address() as AddressInfo).port}/run`,
  ]);
  await p.start();
});
afterAll(async () => {
  await p.remove();
  await new Promise<void>((resolve) => service.close(() => resolve()));
});

describe('reports over HTTP', () => {
  it("an http agent's callbacks count while its run holds the task, and get 409 once it does not", async () => {
    await p.ok(['add', 'Remote work', '--id', 'remote', '--executor', 'agent-service']);
    const launch = await waitFor('the launch', () => launches[0]);
    const { agent_id: agentId, run_id: runId, callback_url: callback, heartbeat_url: heartbeat, token } = launch;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    const port = readServiceState(p.paths)?.port as number;
    const post = (url: string, body: unknown, credential = token) =>
      httpCall({ port }, 'POST', new URL(url).pathname, {
        headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    expect((await post(heartbeat, { run_id: runId })).status).toBe(200);
    await p.ok(['service', 'pause']);
    await p.ok(['kill', agentId, '--redispatch']);
    const late = await post(callback, { agent: agentId, run_id: runId, artifacts: ['report.md'] });
    expect(late).toMatchObject({ status: 409, json: { code: 'conflict', error: `refused: ${agentId} is no longer working (killed)` } });
    expect((await post(heartbeat, { run_id: runId })).status).toBe(409);
    const task = await p.task('remote');
    expect(task).toMatchObject({ status: 'open', artifacts: [] });
    expect(task.log.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        `Refused \`wg done\` from ${agentId}: ${agentId} is no longer working (killed)`,
        `Refused a heartbeat from ${agentId}: ${agentId} is no longer working (killed)`,
      ]),
    );

    // The next run's callback, with its own run id and credential, finishes the task; the first
    // run's credential cannot speak for it.
    await p.ok(['service', 'resume']);
    const next = await waitFor('the second launch', () => launches[1]);
    expect(next.run_id).not.toBe(runId);
    expect((await post(next.callback_url, { agent: next.agent_id, run_id: next.run_id })).status).toBe(403);
    expect((await post(next.callback_url, { agent: next.agent_id, run_id: next.run_id }, next.token)).status).toBe(200);
    expect(await p.task('remote')).toMatchObject({ status: 'done', assigned: next.agent_id });
    expect((await p.agentsOf('remote')).map((a) => a.state)).toEqual(['killed', 'done']);
  });
});
