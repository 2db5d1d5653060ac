import { sqlText } from '../helpers/sql-text';
// @waits: a coordinator's outage and an agent daemon's reconnect delays run in real time here (test/setup/spread-waits.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, DaemonJob, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import { Store } from '../../src/core/store/store';
import { DaemonProject, sleep, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from './helpers/agentd-process';
import { freePort } from '../helpers/free-port';

/**
 * A coordinator's outage longer than the stall timeout, with a job running on a live agent daemon. The
 * daemon's reconnect delay doubled from 1 s (to 16 s after 15 s of outage): back only about 15 s after the
 * coordinator, whose restart gives held jobs one stall timeout (6 s here), it found its job's lease gone and
 * the task run again. While it holds jobs, its delay stays near a third of the stall timeout, so it is back
 * in time and its job runs once.
 */
const STALL_S = 6;
const p = new DaemonProject('wg-agentd-outage-');
const repo = makeRepo('wg-repo-outage-');
let daemon: AgentdProcess;
let reader: Store;
let port = 0;

const jobs = async (taskId: string): Promise<DaemonJob[]> =>
  sqlText<DaemonJob>(reader.core, 'SELECT * FROM daemon_jobs WHERE task_id = ? ORDER BY created_at').all(taskId);

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--stall-timeout', String(STALL_S)]);
  const token = (await p.json<CreatedAgentToken>(['token', 'create', 'box'])).token;
  port = await freePort();
  await p.start(['--listen', `127.0.0.1:${port}`]);
  daemon = startAgentd('box', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: `http://127.0.0.1:${port}`,
    WG_AGENT_TOKEN: token,
    REPO_PATHS: `acme/app=${repo}`,
    CLI_COMMAND: 'sh',
    CLI_ARGS_TEMPLATE: '-c \'sleep 28; echo "$WG_TASK_ID finished"\'',
  });
  reader = await Store.open(p.paths.db);
  await waitFor('box registered', async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.length === 1);
});

afterAll(async () => {
  killMarked();
  await reader?.close();
  await p.remove();
});

describe("a coordinator's outage longer than the stall timeout", () => {
  it("does not cost a live daemon's job its lease: the daemon comes back soon enough, and the job runs once", async () => {
    await p.ok(['add', 'Outlives an outage', '--id', 'long-job', '--executor', 'remote', '--repo', 'acme/app']);
    await waitFor('long-job running', async () => (await jobs('long-job'))[0]?.state === 'running');
    await p.ok(['service', 'stop']);
    // Longer than the stall timeout twice over: the daemon's delay would have doubled to 16 s by now.
    await sleep(16_000);
    await p.start(['--listen', `127.0.0.1:${port}`]);
    await waitFor('long-job done', async () => (await p.task('long-job')).status === 'done', 40_000).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${JSON.stringify(await jobs('long-job'))}\n${daemon.log().slice(-3000)}`);
    });
    expect(await p.agentsOf('long-job')).toHaveLength(1);
    expect((await jobs('long-job')).map((j) => j.state)).toEqual(['done']);
    // Each wait while it held the job: about a third of the stall timeout (2 s, jitter ±20%).
    const delays = [...daemon.log().matchAll(/(?:reconnecting|trying again) in (\d+\.\d) s/g)].map((m) => Number(m[1]));
    expect(delays.length).toBeGreaterThan(3);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2.4);
  }, 90_000);
});
