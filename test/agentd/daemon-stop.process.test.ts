import { describe, expect, it } from 'vitest';
import { CLOSE_CODES } from '../../src/shared/agent-protocol';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import { waitFor } from '../service/helpers/daemon-project';
import { coordinatorWithDaemon } from './helpers/coordinator-with-daemon';
import { RawClient } from './helpers/raw-client';

/**
 * An agent daemon stopped by SIGTERM (its service restarted) stops its jobs with it. It used to close its
 * connection first and send the stopped job's failure after, into a closed socket: the task stayed in progress
 * until the stall timeout judged the daemon "silent", and a retry was charged. Now the coordinator hears the
 * job stopped before the daemon goes, and the task goes back to the queue at once without using a retry, as a
 * coordinator's own stop with its agents leaves their tasks (docs/runs.md, "What a kill guarantees").
 */
const STALL_S = 60;
const { p, jobs, daemon, url } = coordinatorWithDaemon('stop', {
  host: 'stopper',
  config: ['--stall-timeout', String(STALL_S)],
  env: { MAX_JOBS: '1', CLI_COMMAND: 'sh', CLI_ARGS_TEMPLATE: `-c 'echo started; sleep 60'` },
});

describe('an agent daemon stopped by SIGTERM', () => {
  it('tells the coordinator its job stopped before it goes: the task is back in the queue at once, no retry used', async () => {
    await p.ok(['add', 'Stopped with its daemon', '--id', 'stopped-job', '--executor', 'remote', '--repo', 'acme/app']);
    await p.waitFor('stopped-job running', async () => (await jobs('stopped-job'))[0]?.state === 'running');
    const d = daemon();
    process.kill(d.pid, 'SIGTERM');
    expect((await d.proc).exitCode).toBe(0);
    // Well within the stall timeout: nothing waits for it.
    await waitFor('the task back in the queue', async () => (await p.task('stopped-job')).status === 'open', (STALL_S / 3) * 1000).catch(
      async (error: Error) => {
        throw new Error(`${error.message}\n${JSON.stringify(await jobs('stopped-job'))}\n${await p.diagnose()}\n${d.log().slice(-2000)}`);
      },
    );
    expect((await p.task('stopped-job')).retry_count).toBe(0);
    // Not handed back to the daemon that is going (it would refuse it, and again, until it is gone).
    expect(await p.agentsOf('stopped-job')).toHaveLength(1);
    // Its own report, not the goodbye's fallback: the job's end, with why.
    expect(await jobs('stopped-job')).toMatchObject([
      { state: 'failed', outcome: 'stopped: the agent daemon was stopped (SIGTERM or a restart)' },
    ]);
    expect((await p.task('stopped-job')).log.map((l) => l.message)).toContainEqual(
      expect.stringContaining('agent daemon stopper stopped, and its job with it'),
    );
  }, 120_000);
});

describe("an agent daemon's goodbye", () => {
  it('before it reported a job: the job stopped with it, so its task is back in the queue at once, no retry used', async () => {
    // The first test's task waits for a daemon: kept out of this one's way.
    await p.ok(['pause', 'stopped-job']);
    const token = await p.json<CreatedAgentToken>(['token', 'create', 'rawbox']);
    const client = await RawClient.open(url());
    client.auth(token.token);
    await client.next('auth.ok');
    client.register('rawbox');
    await client.next('agent.registered');
    await p.ok(['add', 'Left by its daemon', '--id', 'left-job', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev']);
    const assigned = await client.next('ticket.assigned');
    client.send({ type: 'ticket.claim', lease_id: assigned.lease_id });
    await p.waitFor('left-job running', async () => (await jobs('left-job'))[0]?.state === 'running');
    // A daemon whose job would not end in time says goodbye without its report: the lifeline ends the job as it exits.
    client.ws.close(CLOSE_CODES.stopping, 'agent daemon stopping');
    await waitFor(
      'the task waiting for an agent daemon',
      async () => (await p.task('left-job')).log.some((l) => l.message === 'Waiting for an agent daemon with repo acme/app, role dev'),
      (STALL_S / 3) * 1000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${JSON.stringify(await jobs('left-job'))}\n${await p.diagnose()}`);
    });
    expect(await p.task('left-job')).toMatchObject({ status: 'open', retry_count: 0 });
    expect((await jobs('left-job')).map((j) => j.state)).toEqual(['lost']);
    expect((await p.task('left-job')).log.map((l) => l.message)).toContainEqual(
      expect.stringContaining('agent daemon rawbox stopped, and its job with it'),
    );
  }, 120_000);
});
