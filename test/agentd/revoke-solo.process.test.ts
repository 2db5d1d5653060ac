import { sqlText } from '../helpers/sql-text';
import { describe, expect, it } from 'vitest';
import type { AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import { processAlive } from '../../src/core/processes/process-group';
import { waitFor } from '../service/helpers/daemon-project';
import { coordinatorWithDaemon } from './helpers/coordinator-with-daemon';

/**
 * The only connected agent daemon loses its token while it runs a job. The coordinator used to
 * hand the job straight back to the closing connection, fail to send it, requeue it, and again, in
 * a loop of microtasks that starved its event loop: thousands of agent rows, and neither
 * `wg service stop` nor SIGTERM could stop it (audit-26, gap 1).
 */
const { p, jobs, daemon, reader } = coordinatorWithDaemon('solo', {
  host: 'solo',
  config: ['--stall-timeout', '3'],
  env: { ROLES: 'dev', MAX_JOBS: '1', CLI_COMMAND: 'sh', CLI_ARGS_TEMPLATE: `-c 'sleep 30'` },
});
const agentRows = async () => (await sqlText<{ n: number }>(reader().core, 'SELECT COUNT(*) AS n FROM agents').get())?.n ?? 0;

describe('revoking the token of the only agent daemon', () => {
  it('sends its job back to the queue to wait for a daemon, once, and the coordinator still stops', async () => {
    await p.ok(['add', 'Slow dev', '--id', 'slow-solo', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev']);
    await p.waitFor('slow-solo running', async () => (await jobs('slow-solo'))[0]?.state === 'running');
    await p.ok(['token', 'revoke', 'solo']);
    expect((await daemon().proc).exitCode).toBe(2);
    // (Not p.waitFor: its report would list every one of the thousands of runs the loop made.)
    await waitFor('the task waiting for an agent daemon', async () =>
      (await p.task('slow-solo')).log.some((l) => l.message === 'Waiting for an agent daemon with repo acme/app, role dev'),
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}; ${await agentRows()} agent rows`);
    });
    expect(await p.task('slow-solo')).toMatchObject({ status: 'open', retry_count: 0 });
    expect((await jobs('slow-solo')).map((j) => j.state)).toEqual(['lost']);
    // The coordinator answers, and has made no more runs than the one revoked.
    const status = await p.json<AgentDaemonsStatus>(['agentd', 'status']);
    expect(status.daemons).toEqual([]);
    expect(await agentRows()).toBe(1);
    const pid = p.daemonPid() as number;
    expect((await p.wg(['service', 'stop'])).exitCode).toBe(0);
    expect(processAlive(pid)).toBe(false);
  });
});
