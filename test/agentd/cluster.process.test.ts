import { sqlText } from '../helpers/sql-text';
import { everyAsync } from '../../src/shared/async-arrays';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DaemonJob, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import { Store } from '../../src/core/store/store';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, markedRunning, startAgentd, type AgentdProcess } from './helpers/agentd-process';
import { RawClient } from './helpers/raw-client';

/**
 * A real coordinator and three real `wg agentd` processes on loopback, each with its own
 * repositories and roles, running a shell "CLI" in temporary git repositories.
 */
const p = new DaemonProject('wg-agentd-');
let url = '';
let reader: Store;
const tokens: Record<string, CreatedAgentToken> = {};
const daemons: Record<string, AgentdProcess> = {};
const app = makeRepo('wg-repo-app-');
const web = makeRepo('wg-repo-web-');

// The task id says how long the job takes: slow-* 30 s, mid-* 3 s, anything else at once.
const SCRIPT =
  'echo "$WG_TASK_ID on $WG_REPO"; case "$WG_TASK_ID" in slow*) sleep 30;; mid*) sleep 3;; esac; echo "$WG_TASK_ID" >> done.txt';

function daemonEnv(token: string, repoPaths: string, roles: string, maxJobs: number): Record<string, string> {
  return {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: url,
    WG_AGENT_TOKEN: token,
    REPO_PATHS: repoPaths,
    ROLES: roles,
    MAX_JOBS: String(maxJobs),
    CLI_COMMAND: 'sh',
    CLI_ARGS_TEMPLATE: `-c '${SCRIPT}'`,
    LOG_LEVEL: 'debug',
  };
}

const jobs = async (taskId: string): Promise<DaemonJob[]> =>
  sqlText<DaemonJob>(reader.core, 'SELECT * FROM daemon_jobs WHERE task_id = ? ORDER BY created_at').all(taskId);
const status = () => p.json<AgentDaemonsStatus>(['agentd', 'status']);

beforeAll(async () => {
  await p.init();
  await p.ok(['config', '--stall-timeout', '3']);
  for (const name of ['one', 'two', 'three']) tokens[name] = await p.json<CreatedAgentToken>(['token', 'create', name]);
  const started = await p.start();
  url = (started.url ?? '').replace(/\/#token=.*$/, '');
  reader = await Store.open(p.paths.db);
  daemons.one = startAgentd('d1', daemonEnv(tokens.one?.token ?? '', `acme/app=${app}`, 'dev', 2));
  daemons.two = startAgentd('d2', daemonEnv(tokens.two?.token ?? '', `acme/app=${app}`, 'qa,dev', 1));
  daemons.three = startAgentd('d3', daemonEnv(tokens.three?.token ?? '', `acme/web=${web}`, 'dev', 1));
  await waitFor('three daemons registered', async () => (await status()).daemons.length === 3);
});

afterAll(async () => {
  killMarked();
  await reader?.close();
  await p.remove();
});

describe('wg agentd against a real coordinator', () => {
  it('runs each task on a daemon allowed to run it; the least busy takes the next one', async () => {
    await p.ok(['add', 'Web work', '--id', 'web-1', '--executor', 'remote', '--repo', 'acme/web', '--role', 'dev']);
    await p.ok(['add', 'QA work', '--id', 'qa-1', '--executor', 'remote', '--repo', 'acme/app', '--role', 'qa']);
    await waitFor('both done', () => everyAsync(['web-1', 'qa-1'], async (id) => (await p.task(id)).status === 'done'));
    expect((await jobs('web-1')).map((j) => j.daemon_host)).toEqual(['d3']);
    expect((await jobs('qa-1')).map((j) => j.daemon_host)).toEqual(['d2']);
    // For a person: each daemon on a line with what it offers and how busy it is, and the jobs that ended (not JSON).
    const said = await p.ok(['agentd', 'status']);
    expect(said).toContain('Agent daemons (3):');
    expect(said).toMatch(/^ {2}d3 {2}0\/1 busy {2}token three {2}repos acme\/web, roles dev {2}connected /m);
    expect(said).toMatch(/^ {2}agent-\d+ {2}web-1 {2}on d3 {2}done/m);
    expect(said).not.toContain('{');
    expect((await p.task('web-1')).results).toMatchObject({ output: 'web-1 on acme/web', agent_daemon: 'd3' });
    // The change the job made comes back as a diff, kept beside the run's output.
    expect((await p.task('web-1')).artifacts.some((a) => a.endsWith('changes.diff'))).toBe(true);

    // d1 and d2 both have acme/app with role dev: d1 takes the first, the idle d2 the second, then d1 (capacity 2) the third.
    await p.ok(['add', 'Long one', '--id', 'mid-a', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev']);
    await waitFor('mid-a running', async () => (await jobs('mid-a'))[0]?.state === 'running');
    await p.ok(['add', 'Long two', '--id', 'mid-b', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev']);
    await waitFor('mid-b running', async () => (await jobs('mid-b'))[0]?.state === 'running');
    await p.ok(['add', 'Long three', '--id', 'mid-c', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev']);
    await waitFor(
      'all three done',
      () => everyAsync(['mid-a', 'mid-b', 'mid-c'], async (id) => (await p.task(id)).status === 'done'),
      30_000,
    );
    const hosts = await Promise.all(['mid-a', 'mid-b', 'mid-c'].map(async (id) => (await jobs(id))[0]?.daemon_host));
    expect(hosts[0]).not.toBe(hosts[1]);
    expect(hosts[2]).toBe('d1');
  });

  it('a task no daemon can take waits, and says for what', async () => {
    await p.ok(['add', 'Mobile work', '--id', 'mobile-1', '--executor', 'remote', '--repo', 'acme/mobile', '--role', 'dev']);
    await waitFor('the waiting line', async () =>
      (await p.task('mobile-1')).log.some((l) => l.message === 'Waiting for an agent daemon with repo acme/mobile, role dev'),
    );
    expect((await status()).waiting).toContainEqual({
      task_id: 'mobile-1',
      reason: 'waiting for an agent daemon with repo acme/mobile, role dev',
    });
    await p.ok(['abandon', 'mobile-1']);
  });

  it('a daemon killed mid-job: its task is dispatched again after the stall timeout, and its late result is ignored', async () => {
    await p.ok(['add', 'Slow web', '--id', 'slow-web', '--executor', 'remote', '--repo', 'acme/web', '--max-retries', '3']);
    const first = await waitFor('slow-web running on d3', async () =>
      (await jobs('slow-web'))[0]?.state === 'running' ? (await jobs('slow-web'))[0] : null,
    );
    process.kill(daemons.three?.pid as number, 'SIGKILL');
    await waitFor('the lease lost', async () => (await jobs('slow-web'))[0]?.state === 'lost', 15_000);
    expect((await jobs('slow-web'))[0]?.outcome).toBe('agent daemon d3 silent for 3s (stall timeout): lease lost');
    // The task's retry is the coordinator's next turn, which the job's end asks for: not the same moment as the job's.
    await waitFor('slow-web open again', async () => (await p.task('slow-web')).status === 'open', 15_000);
    expect(await p.task('slow-web')).toMatchObject({ status: 'open', retry_count: 1 });
    expect((await p.agentsOf('slow-web'))[0]?.state).toBe('dead');

    // A new d3 (same token) takes it again.
    daemons.three = startAgentd('d3', daemonEnv(tokens.three?.token ?? '', `acme/web=${web}`, 'dev', 1));
    const second = await waitFor(
      'dispatched again',
      async () => ((await jobs('slow-web'))[1]?.state === 'running' ? (await jobs('slow-web'))[1] : null),
      20_000,
    );
    expect(second.lease_id).not.toBe(first?.lease_id);

    // The old run's result arrives late, from a connection with d3's token. As d3 it is not even
    // admitted while the new d3 answers (one live connection per daemon identity) ...
    const refused = await RawClient.open(url);
    refused.auth(tokens.three?.token ?? '');
    await refused.next('auth.ok');
    refused.register('d3', [{ lease_id: first?.lease_id as string, state: 'finished' }], { repos: ['acme/web'] });
    expect((await refused.next('error')).code).toBe('conflict');
    expect((await refused.waitClosed()).code).toBe(4011);
    // ... and under another name its lease is dropped and its result recorded as ignored.
    const late = await RawClient.open(url);
    late.auth(tokens.three?.token ?? '');
    await late.next('auth.ok');
    late.register('d3-old', [{ lease_id: first?.lease_id as string, state: 'finished' }], { repos: ['acme/web'] });
    expect(await late.next('agent.registered')).toMatchObject({ keep: [], drop: [first?.lease_id] });
    late.send({
      type: 'ticket.result',
      lease_id: first?.lease_id,
      exit_code: 0,
      output: 'late',
      cost_usd: null,
      tokens_in: null,
      tokens_out: null,
      artifacts: [],
      diff: null,
      branch: null,
      duration_ms: 1,
      work: { agent: false, commits: [], commit_count: 0, changed: false, wrote_files: false, shared_with: [], wg_calls: {} },
    });
    expect(await late.next('ticket.ack')).toMatchObject({ lease_id: first?.lease_id, accepted: false });
    late.close();
    const task = await p.task('slow-web');
    expect(task).toMatchObject({ status: 'in-progress', assigned: second.agent_id });
    expect(task.results.output).toBeUndefined();
    expect(
      task.log.some((l) =>
        l.message.startsWith(`Ignored a late result from agent daemon d3-old for ${first?.agent_id}: its lease is no longer current`),
      ),
    ).toBe(true);
    await p.ok(['abandon', 'slow-web']);
    // The coordinator tells the daemon to stop the job, and the daemon kills its whole process group.
    await waitFor('the slow job stopped', async () => !markedRunning('sleep 30') || (await jobs('slow-web'))[1]?.state === 'cancelled');
    expect((await jobs('slow-web'))[1]?.state).toBe('cancelled');
  });

  it('a daemon frozen past the stall timeout reconnects when resumed and is not given the same work twice', async () => {
    await p.ok(['add', 'QA long', '--id', 'mid-qa', '--executor', 'remote', '--repo', 'acme/app', '--role', 'qa']);
    const first = await waitFor('mid-qa running on d2', async () =>
      (await jobs('mid-qa'))[0]?.state === 'running' ? (await jobs('mid-qa'))[0] : null,
    );
    const pid = daemons.two?.pid as number;
    process.kill(pid, 'SIGSTOP');
    await waitFor('the lease lost while frozen', async () => (await jobs('mid-qa'))[0]?.state === 'lost', 15_000);
    process.kill(pid, 'SIGCONT');
    await waitFor('mid-qa done', async () => (await p.task('mid-qa')).status === 'done', 40_000);
    const all = await jobs('mid-qa');
    expect(all.map((j) => j.state)).toEqual(['lost', 'done']);
    expect(all[1]?.daemon_host).toBe('d2');
    expect(all[1]?.lease_id).not.toBe(first?.lease_id);
    expect((await p.agentsOf('mid-qa')).map((a) => a.state)).toEqual(['dead', 'done']);
    expect(daemons.two?.log()).toMatch(/reconnecting|disconnected/);
    expect((await status()).daemons.map((d) => d.host).sort()).toEqual(['d1', 'd2', 'd3']);
  });

  it('a revoked token: its connection is closed at once, its job goes back to the queue at once using no retry, and it is refused after', async () => {
    await p.ok(['add', 'Slow dev', '--id', 'slow-rv', '--executor', 'remote', '--repo', 'acme/app', '--role', 'dev']);
    const running = await waitFor('slow-rv running', async () =>
      (await jobs('slow-rv'))[0]?.state === 'running' ? (await jobs('slow-rv'))[0] : null,
    );
    // d1 and d2 both run acme/app dev work: revoke the token of the one that took it.
    const name = running?.daemon_host === 'd1' ? 'one' : 'two';
    expect(await p.ok(['token', 'revoke', name])).toMatch(new RegExp(name));
    const exit = await daemons[name]?.proc;
    expect(exit?.exitCode).toBe(2);
    expect(daemons[name]?.log()).toMatch(/the coordinator refused this daemon: agent token revoked/);
    // Not a stall: no stall timeout waited for (3 s here), no retry used.
    expect((await jobs('slow-rv'))[0]?.state).toBe('lost');
    expect((await jobs('slow-rv'))[0]?.outcome).toBe(
      `agent token '${name}' of agent daemon ${running?.daemon_host} was revoked; its job goes back to the queue`,
    );
    expect((await p.task('slow-rv')).retry_count).toBe(0);
    expect((await p.task('slow-rv')).log.some((l) => l.message.includes('was revoked; its job goes back to the queue'))).toBe(true);
    await waitFor(
      `${running?.daemon_host} gone from the coordinator`,
      async () => !(await status()).daemons.some((d) => d.host === running?.daemon_host),
    );
    const again = await RawClient.open(url);
    again.auth(tokens[name]?.token ?? '');
    expect(await again.next('error')).toMatchObject({ code: 'unauthorized', message: `agent token '${name}' was revoked` });
    expect((await again.waitClosed()).code).toBe(4001);
  });
});
