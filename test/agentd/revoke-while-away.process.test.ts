import { sqlText } from '../helpers/sql-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, DaemonJob, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import { Store } from '../../src/core/store/store';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { freePort } from '../helpers/free-port';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from './helpers/agentd-process';

/**
 * An agent daemon's token revoked while its coordinator is down. Started again, the coordinator refused the daemon
 * (rightly), but kept its job's lease for a whole stall timeout, then judged the daemon "silent" and charged the task
 * a retry. Now its jobs go back to the queue as the coordinator starts, saying the token was revoked, without using a
 * retry, as a revoke while the daemon is connected does (remote-service.ts, DaemonSessions.withdraw).
 */
const STALL_S = 60;
const p = new DaemonProject('wg-agentd-revoke-away-');
const repo = makeRepo('wg-repo-revoke-away-');
let daemon: AgentdProcess;
let reader: Store;
let port = 0;

const jobs = async (taskId: string): Promise<DaemonJob[]> =>
  sqlText<DaemonJob>(reader.core, 'SELECT * FROM daemon_jobs WHERE task_id = ? ORDER BY created_at').all(taskId);

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--stall-timeout', String(STALL_S)]);
  const token = (await p.json<CreatedAgentToken>(['token', 'create', 'gone'])).token;
  port = await freePort();
  await p.start(['--listen', `127.0.0.1:${port}`]);
  daemon = startAgentd('gone', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: `http://127.0.0.1:${port}`,
    WG_AGENT_TOKEN: token,
    REPO_PATHS: `acme/app=${repo}`,
    CLI_COMMAND: 'sh',
    CLI_ARGS_TEMPLATE: `-c 'sleep 60'`,
  });
  reader = await Store.open(p.paths.db);
  await waitFor('gone registered', async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.length === 1);
});

afterAll(async () => {
  killMarked();
  await reader?.close();
  await p.remove();
});

describe("an agent daemon's token revoked while its coordinator is down", () => {
  it('is refused with a plain line, and its job goes back to the queue at once, saying why, with no retry used', async () => {
    await p.ok(['add', 'Outlived its token', '--id', 'revoked-job', '--executor', 'remote', '--repo', 'acme/app']);
    await waitFor('revoked-job running', async () => (await jobs('revoked-job'))[0]?.state === 'running');
    await p.ok(['service', 'stop']);
    await p.ok(['token', 'revoke', 'gone']);
    await p.start(['--listen', `127.0.0.1:${port}`]);
    expect((await daemon.proc).exitCode).toBe(2);
    expect(daemon.log()).toContain("the coordinator refused this daemon: agent token 'gone' was revoked");
    // It stopped its job, and says why (not a SIGTERM it never had).
    expect(daemon.log()).toContain("failed (stopped): the coordinator refused this daemon: agent token 'gone' was revoked");
    // Well within the stall timeout: nothing waits for the daemon that cannot come back.
    await waitFor('revoked-job back in the queue', async () => (await p.task('revoked-job')).status === 'open', (STALL_S / 3) * 1000).catch(
      async (error: Error) => {
        throw new Error(
          `${error.message}\n${JSON.stringify(await jobs('revoked-job'))}\n${await p.diagnose()}\n${daemon.log().slice(-2000)}`,
        );
      },
    );
    expect((await p.task('revoked-job')).retry_count).toBe(0);
    expect((await jobs('revoked-job')).map((j) => j.state)).toEqual(['lost']);
    expect((await p.task('revoked-job')).log.map((l) => l.message)).toContainEqual(
      expect.stringContaining("agent token 'gone' of agent daemon gone was revoked"),
    );
  }, 90_000);
});
