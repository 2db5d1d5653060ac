import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { frameTooLarge } from '../../src/core/agent-daemons/agent-hub';
import { AgentDaemonService } from '../../src/core/agent-daemons/agent-daemon-service';
import { ConfigView } from '../../src/core/config/config-view';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { newRun } from '../../src/core/store/agent-records';
import { transition } from '../../src/core/store/task-writes';
import { MAX_AGENT_MESSAGE_BYTES, type ResultMessage } from '../../src/shared/agent-protocol';
import { RawClient } from '../agentd/helpers/raw-client';
import { ManualClock } from '../helpers/manual-clock';
import { tempStore } from '../helpers/temp-store';
import { until } from '../helpers/until';

/**
 * The coordinator's side of messages too large for the agent-daemon protocol, against a hand-driven
 * client: a refused result names its job and is taken once, as the job's failure (it was refused in
 * zod's words, naming no job, and resent until the lease ran out); a finished job reported again and
 * again on reconnects keeps its lease only once; and a job's `wg` whose answer is larger than a daemon's
 * connection carries is answered as refused, the connection staying up (it was dropped, 1009).
 */
/**
 * The stall timeout, which is also how long the coordinator waits on a silent connection (agent-hub.ts): the default's
 * size, since the one test that waits it out moves the leases' clock by hand. At 2 s, a 3 MB frame that took the
 * loaded machine longer than that to send and read got its connection closed as silent (1006).
 */
const STALL_S = 30;
/** How often the daemon in the stall test reconnects, on the leases' clock: several times within one stall timeout. */
const RECONNECT_EVERY_MS = (STALL_S * 1000) / 5;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function coordinator(opOutput: unknown = null, clock?: ManualClock) {
  const t = await tempStore();
  cleanups.push(() => t.dispose());
  const { store } = t;
  const paths = projectPaths(join(t.dir, '.workgraph'));
  ensureProjectDirs(paths);
  const base = await ConfigView.open(paths, {}, () => undefined);
  const config = () => {
    const current = base.now();
    return { ...current, settings: { ...current.settings, coordinator: { ...current.settings.coordinator, stall_timeout: STALL_S } } };
  };
  const ended: string[] = [];
  const service = await AgentDaemonService.start({
    ...(clock ? { clock } : {}),
    store,
    runsDir: paths.runsDir,
    // Paused: nothing is dispatched; the jobs here are made by hand.
    engine: { isPaused: true, remoteEnded: async (agentId) => void ended.push(agentId) },
    config,
    claim: async () => {
      throw new Error('nothing is claimed here');
    },
    onOutput: () => undefined,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const server: Server = createServer();
  // The unix socket's Host check lets every request through (service/http/guard.ts), as here.
  service.attach(
    server,
    () => undefined,
    async () => opOutput,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    service.close();
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = (await service.tokens.create({ name: 'box' })).token;

  /** A task in progress with a run on agent daemon box, and its job's lease. */
  const job = async (taskId: string): Promise<string> => {
    await store.tasks.add({ title: taskId, id: taskId, executor: 'remote' }, 'test');
    return store.core.write(async (rev) => {
      const run = { task_id: taskId, executor: 'remote', model: null, model_source: null, runs_elsewhere: true, output_path: null };
      await store.agents.insert(newRun(`agent-${taskId}`, run, store.core.nowIso(), rev), null);
      await transition(
        store.core,
        { id: taskId, status: 'open', assigned: null },
        { status: 'in-progress', assigned: `agent-${taskId}` },
        rev,
      );
      return service.jobs.insert({
        agent_id: `agent-${taskId}`,
        task_id: taskId,
        token_name: 'box',
        daemon_host: 'box',
        repo: 'acme/app',
        role: null,
        lease_ms: 60_000,
      });
    });
  };

  /** A daemon's connection (its receive limit as a real daemon's), registered with these jobs. */
  const connect = async (jobs: Array<{ lease_id: string; state: 'running' | 'finished' }>, instance?: string) => {
    const client = await RawClient.open(url, { maxPayload: MAX_AGENT_MESSAGE_BYTES });
    cleanups.push(() => client.close());
    if (instance) client.instance = instance;
    client.auth(token);
    await client.next('auth.ok');
    client.register('box', jobs);
    await client.next('agent.registered');
    return client;
  };
  return { service, ended, job, connect };
}

function result(lease: string, patch: Partial<ResultMessage> = {}): ResultMessage {
  return {
    type: 'ticket.result',
    lease_id: lease,
    exit_code: 0,
    output: 'Finished.',
    cost_usd: null,
    tokens_in: null,
    tokens_out: null,
    artifacts: [],
    diff: null,
    branch: null,
    duration_ms: 1000,
    work: { agent: false, commits: [], commit_count: 0, changed: true, wrote_files: false, shared_with: [], wg_calls: {} },
    ...patch,
  };
}

describe('a result the coordinator refuses', () => {
  it("names its job, in plain words, and is taken once as the job's failure; the same result again is not taken", async () => {
    const c = await coordinator();
    const lease = await c.job('refused');
    const client = await c.connect([{ lease_id: lease, state: 'finished' }]);
    client.send(result(lease, { diff: 'd'.repeat(3 * 1024 * 1024 + 1) }));
    const error = await client.next('error');
    expect(error).toEqual({
      type: 'error',
      code: 'invalid',
      lease_id: lease,
      message: `the result of lease ${lease.slice(0, 8)} was refused (diff: must be at most 3145728 characters long); it is taken as the job's failure`,
    });
    expect(await client.next('ticket.ack')).toEqual({ type: 'ticket.ack', lease_id: lease, accepted: true, note: 'recorded' });
    expect(await c.service.jobs.find(lease)).toMatchObject({
      state: 'failed',
      outcome: 'error: its result could not be read (diff: must be at most 3145728 characters long)',
    });
    expect(c.ended).toEqual(['agent-refused']);

    // At most once: the same result again (or another) changes nothing.
    client.send(result(lease));
    expect(await client.next('ticket.ack')).toMatchObject({ lease_id: lease, accepted: false });
    expect(c.ended).toEqual(['agent-refused']);
    expect(client.closed).toBeNull();
  });

  it('a refused wg command of a job is answered as refused at once, not left to time out', async () => {
    const c = await coordinator();
    const lease = await c.job('bad-op');
    const client = await c.connect([{ lease_id: lease, state: 'running' }]);
    client.send({ type: 'job.op', lease_id: lease, request_id: 7, op: 'x'.repeat(101), input: {} });
    expect(await client.next('job.op.result')).toEqual({
      type: 'job.op.result',
      lease_id: lease,
      request_id: 7,
      ok: false,
      error: { code: 'invalid', message: 'the command was refused: op: must be at most 100 characters long' },
    });
  });
});

describe('a finished job whose result never arrives', () => {
  it('keeps its lease once, however often its daemon reconnects and reports it: then it is lost, saying so', async () => {
    // The leases' clock is moved by hand: the stall timeout runs out when the test says, not after seconds of waiting.
    const time = new ManualClock();
    const c = await coordinator(null, time);
    const lease = await c.job('never-arrives');
    const first = await c.connect([{ lease_id: lease, state: 'finished' }]);
    // Reconnecting every RECONNECT_EVERY_MS, each time reporting the job finished (its result refused or too large to send), for as
    // long as it takes: a lease each reconnection kept would never be lost. The loop's own limit is far past the stall
    // timeout.
    let instance = first.instance;
    const started = time.now();
    const limit = started + 10 * STALL_S * 1000;
    while ((await c.service.jobs.find(lease))?.state !== 'lost' && time.now() < limit) {
      time.advance(RECONNECT_EVERY_MS);
      instance = (await c.connect([{ lease_id: lease, state: 'finished' }], instance)).instance;
    }
    expect((await c.service.jobs.find(lease))?.state).toBe('lost');
    // Not before its stall timeout (on the leases' clock: no real time is measured).
    expect(time.now() - started).toBeGreaterThanOrEqual(STALL_S * 1000);
    expect((await c.service.jobs.find(lease))?.outcome).toBe(
      `agent daemon box said the job finished, but its result did not arrive within ${STALL_S}s (stall timeout): lease lost`,
    );
    expect(c.ended).toEqual(['agent-never-arrives']);
  });
});

describe("a job's wg answer larger than a daemon's connection carries", () => {
  it("is answered as refused in one plain line; the daemon's connection stays up", async () => {
    const c = await coordinator({ description: 'd'.repeat(4_500_000) });
    const lease = await c.job('reads-big');
    const client = await c.connect([{ lease_id: lease, state: 'running' }]);
    client.send({ type: 'job.op', lease_id: lease, request_id: 1, op: 'task:show', input: { id: 'bigdoc' } });
    expect(await client.next('job.op.result')).toEqual({
      type: 'job.op.result',
      lease_id: lease,
      request_id: 1,
      ok: false,
      error: { code: 'invalid', message: "the answer is larger than an agent daemon's connection carries (4.3 MB, at most 4 MB)" },
    });
    // Still connected: a heartbeat and a capabilities change go through.
    client.send({ type: 'agent.capabilities', capacity: 2 });
    await until('capacity 2', async () => (await c.service.status()).daemons[0]?.capacity === 2, 5000);
    expect(client.closed).toBeNull();
  });

  it('the size check others call before sending (a job with a prompt too large, say)', () => {
    const assigned = (prompt: string) => ({
      type: 'ticket.assigned' as const,
      lease_id: 'a'.repeat(32),
      job_id: 'agent-1',
      task: { id: 't', title: 't', description: '', tags: [] },
      prompt,
      repo: 'acme/app',
      role: null,
      model: null,
      timeout_s: null,
    });
    expect(frameTooLarge(assigned('small'))).toBeNull();
    const big = frameTooLarge(assigned('é'.repeat(2_100_000)));
    expect(big).toEqual({ bytes: expect.any(Number), limit: MAX_AGENT_MESSAGE_BYTES });
    expect(big?.bytes).toBeGreaterThan(4_200_000);
  });
});
