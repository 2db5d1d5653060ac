import { sqlText } from '../helpers/sql-text';
// @waits: a coordinator's outage and an agent daemon's reconnect run in real time here (test/setup/spread-waits.ts).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, DaemonJob, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import type { RunEvent } from '../../src/shared/run-event';
import { readRunEvents, runDir } from '../../src/core/run-folder/run-log';
import { Store } from '../../src/core/store/store';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from './helpers/agentd-process';
import { freePort } from '../helpers/free-port';

/**
 * A job that prints a lot while its coordinator is away. Its daemon kept the last 100 batches of its output, about
 * 20 s of a chatty job, and dropped the rest without a mark: `wg output` lacked lines the job printed. Now it keeps
 * the job's output by its size (megabytes), and all of it arrives once the coordinator is back.
 */
const LINES = 40_000;
const p = new DaemonProject('wg-agentd-outage-output-');
const repo = makeRepo('wg-repo-outage-output-');
const gates = mkdtempSync(join(tmpdir(), 'wg-outage-gates-'));
let daemon: AgentdProcess;
let reader: Store;
let port = 0;

const jobs = async (taskId: string): Promise<DaemonJob[]> =>
  sqlText<DaemonJob>(reader.core, 'SELECT * FROM daemon_jobs WHERE task_id = ? ORDER BY created_at').all(taskId);

/** Every event of a run's output, page by page, as `wg output` reads them. */
function allEvents(agentId: string): RunEvent[] {
  const events: RunEvent[] = [];
  for (;;) {
    const page = readRunEvents(runDir(p.paths.runsDir, agentId), agentId, events.length, 5000);
    events.push(...page.events.map((e) => e.event));
    if (page.events.length === 0 || events.length >= page.total) return events;
  }
}

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--stall-timeout', '30']);
  const token = (await p.json<CreatedAgentToken>(['token', 'create', 'chatty'])).token;
  port = await freePort();
  await p.start(['--listen', `127.0.0.1:${port}`]);
  const wait = (file: string) => `while [ ! -f ${join(gates, file)} ]; do sleep 0.1; done`;
  daemon = startAgentd('chatty', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: `http://127.0.0.1:${port}`,
    WG_AGENT_TOKEN: token,
    REPO_PATHS: `acme/app=${repo}`,
    CLI_COMMAND: 'sh',
    // 200 lines at a time, a moment apart: a batch of output each, as a chatty agent's (the daemon sends one per 200 lines or 200 ms).
    CLI_ARGS_TEMPLATE: `-c '${wait('go')}; i=0; while [ $i -lt ${LINES / 200} ]; do seq $((i*200+1)) $((i*200+200)); i=$((i+1)); sleep 0.05; done; touch ${join(gates, 'printed')}; ${wait('end')}; echo finished'`,
  });
  reader = await Store.open(p.paths.db);
  await waitFor('chatty registered', async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.length === 1);
});

afterAll(async () => {
  killMarked();
  await reader?.close();
  await p.remove();
});

describe('output a job prints while its coordinator is away', () => {
  it('all arrives once the coordinator is back: wg output holds every line', async () => {
    await p.ok(['add', 'Chatty', '--id', 'chatty-job', '--executor', 'remote', '--repo', 'acme/app']);
    await waitFor('chatty-job running', async () => (await jobs('chatty-job'))[0]?.state === 'running');
    await p.ok(['service', 'stop']);
    writeFileSync(join(gates, 'go'), '');
    await waitFor('the lines printed', () => existsSync(join(gates, 'printed')), 30_000);
    await p.start(['--listen', `127.0.0.1:${port}`]);
    writeFileSync(join(gates, 'end'), '');
    await waitFor('chatty-job done', async () => (await p.task('chatty-job')).status === 'done', 40_000).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n${JSON.stringify(await jobs('chatty-job'))}\n${daemon.log().slice(-3000)}`);
    });
    const agent = (await p.agentsOf('chatty-job'))[0]?.id as string;
    const texts = allEvents(agent).map((e) => (e.type === 'text' || e.type === 'stderr' ? e.text : e.type));
    const numbers = texts.filter((t) => /^\d+$/.test(t));
    expect(numbers.length).toBe(LINES);
    expect(numbers[0]).toBe('1');
    expect(numbers.at(-1)).toBe(String(LINES));
    expect(texts.at(-1)).toBe('finished');
    expect(texts.some((t) => t.includes('were lost while the coordinator was unreachable'))).toBe(false);
  }, 120_000);
});
