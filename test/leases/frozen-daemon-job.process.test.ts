// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import { killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { freshSchema } from '../helpers/postgres-server';
import { coordinatorIdOf, coordinatorPidOf, removeTeamFolders, startCoordinator, teamFolders } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';
import { exists } from '../service/helpers/daemon-project';
import { until } from '../helpers/until';
import { heldCommitWaiting, holdCommits, wakeCoordinators } from './support/held-commit';

/*
 * A job for an agent daemon, claimed in the dispatcher's turn and sent once that commits: a coordinator frozen
 * (SIGSTOP) after the commit and before the send is declared lost by the other, which takes the run over with the
 * job's lease. Woken before its daemon gave up on it (a daemon waits three heartbeats for a word), it must not send
 * the job now: it is no longer its own. Sent then, the job could run twice: once its lease ran out, the other
 * retries the task, and with the stall timeout's default of 30 s, the daemon may hold the frozen one's connection
 * still when that happens.
 *
 * The freeze falls in that moment as in frozen-claim.process.test.ts: a deferred trigger makes the commit of the
 * frozen one's claim wait on the server.
 */

const { url, schema, psql } = freshSchema('frozenjob');
const sql = (text: string) => psql(`SET search_path = ${schema}; ${text}`).trim();
let folders: TempProject[] = [];
const repo = makeRepo('wg-frozen-job-repo-');
const ran = join(repo, 'ran.txt');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  folders = await teamFolders(url, 'wg-frozen-job-');
}, 120_000);

afterAll(async () => {
  wakeCoordinators(folders);
  killMarked();
  await removeTeamFolders(folders);
}, 120_000);

const daemonEnv = (coordinator: string, agentToken: string) => ({
  ...(process.env as Record<string, string>),
  WG_COORDINATOR_URL: coordinator,
  WG_AGENT_TOKEN: agentToken,
  REPO_PATHS: `acme/app=${repo}`,
  CLI_COMMAND: 'sh',
  CLI_ARGS_TEMPLATE: `-c 'echo "$WG_TASK_ID" >> ${ran}'`,
});

/** The claim of a task 'slow…' by the first coordinator waits on the server to commit: the moment to freeze it. */
const claimCommitting = () => heldCommitWaiting(sql, 'slow_job', 'the claim committing');

describe('a coordinator frozen between the claim of a daemon job and its send', () => {
  let daemon: Awaited<ReturnType<typeof startAgentd>>;

  beforeAll(async () => {
    const [a] = folders as [TempProject];
    const urlA = await startCoordinator(a);
    const token = JSON.parse(await a.ok(['token', 'create', 'd1', '--json'])) as CreatedAgentToken;
    daemon = startAgentd('d1', daemonEnv(urlA, token.token));
    await until('the daemon connected', () => daemon.log().includes('connected to'), 30_000);
    holdCommits(sql, 'slow_job', `NEW.task_id LIKE 'slow%' AND NEW.coordinator_id = '${coordinatorIdOf(a)}'`);
  }, 120_000);

  it('sends it once woken only after a renewal of its lease, when it was not declared lost meanwhile', async () => {
    const [a] = folders as [TempProject];
    const frozen = coordinatorPidOf(a);
    await a.ok(['add', 'Slow to claim, briefly frozen', '--id', 'slow-brief', '--executor', 'remote', '--repo', 'acme/app']);
    await claimCommitting();
    process.kill(frozen, 'SIGSTOP');
    // Longer than its lease, shorter than the lease and the grace: no other coordinator would have taken it over yet.
    await sleep(8_000);
    process.kill(frozen, 'SIGCONT');
    // Sent at the renewal, well before the job's lease (the stall timeout) could run out and the task be retried.
    await until('the task done', () => sql("SELECT status FROM tasks WHERE id = 'slow-brief'") === 'done', 20_000);
    expect(sql("SELECT count(*) FROM agents WHERE task_id = 'slow-brief'")).toBe('1');
    expect(readFileSync(ran, 'utf8')).toBe('slow-brief\n');
    rmSync(ran);
  }, 120_000);

  it('does not send it once woken: the other retried the task, which ran once', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const frozen = coordinatorPidOf(a);
    await a.ok(['add', 'Slow to claim', '--id', 'slow-job', '--executor', 'remote', '--repo', 'acme/app']);
    await claimCommitting();
    process.kill(frozen, 'SIGSTOP');
    const frozenAt = Date.now();
    await until('the claim committed', () => sql("SELECT count(*) FROM daemon_jobs WHERE task_id = 'slow-job'") === '1', 10_000, 50);
    const claimed = sql("SELECT agent_id FROM daemon_jobs WHERE task_id = 'slow-job'");

    // The other declares it lost (within its lease and the grace) and takes the run over, the job's lease with it.
    const urlB = await startCoordinator(b);
    const other = JSON.parse(await b.ok(['token', 'create', 'd2', '--json'])) as CreatedAgentToken;
    startAgentd('d2', daemonEnv(urlB, other.token));
    await until(
      'the run taken over',
      () => sql(`SELECT coordinator_id FROM agents WHERE id = '${claimed}'`) === coordinatorIdOf(b),
      30_000,
    );
    // Woken while its daemon still waits for a word from it (three heartbeats of 10 s since the last).
    expect(Date.now() - frozenAt).toBeLessThan(28_000);
    process.kill(frozen, 'SIGCONT');
    await until('the woken coordinator to stop', () => !exists(frozen), 30_000);
    await sleep(2_000);
    expect(daemon.log()).not.toContain(`running ${claimed} `);
    // Its job's lease ran out with the other, which retried the task on its own daemon: the command ran once.
    await until('the task done', () => sql("SELECT status FROM tasks WHERE id = 'slow-job'") === 'done', 60_000);
    expect(sql(`SELECT state FROM daemon_jobs WHERE agent_id = '${claimed}'`)).not.toMatch(/running|done/);
    expect(readFileSync(ran, 'utf8')).toBe('slow-job\n');
  }, 120_000);
});
