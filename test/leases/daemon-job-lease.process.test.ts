// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import { makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { daemonTeam } from './helpers/daemon-team';
import { startCoordinator, coordinatorIdOf } from '../helpers/team-folders';
import { TempProject } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * A team's graph whose coordinator dies with agent-daemon jobs running (two folders, one real PostgreSQL server,
 * two `wg agentd` processes connected to folder a's coordinator). Folder a's coordinator is killed with one daemon
 * (kill -9 both); the other daemon is frozen (SIGSTOP) until folder b's coordinator has taken the runs over. The
 * dead daemon's job is lost and retried when its job's lease runs out, not a whole stall timeout after the takeover;
 * the frozen one comes back before its job's lease ran out, reconnects to folder b's coordinator with its job,
 * which runs on and reports there, once.
 */

const STALL_S = 45;
const repo = makeRepo('wg-job-lease-repo-');

const team = daemonTeam('job_lease', 'wg-job-lease-');
const { folders, sql } = team;

describe("a lost coordinator's agent-daemon jobs", () => {
  it('are retried when their lease runs out if their daemon does not come back, and kept where it reconnects in time', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    // A team's setting: both coordinators run with it.
    await a.ok(['config', '--stall-timeout', String(STALL_S)]);
    const urls: string[] = [];
    for (const p of [a, b]) urls.push(await startCoordinator(p));
    const daemon = async (name: string, repoName: string, coordinators: string[], command: string) => {
      const token = JSON.parse(await a.ok(['token', 'create', name, '--json'])) as CreatedAgentToken;
      return startAgentd(name, {
        ...(process.env as Record<string, string>),
        WG_COORDINATOR_URL: coordinators.join(','),
        WG_AGENT_TOKEN: token.token,
        REPO_PATHS: `${repoName}=${repo}`,
        CLI_COMMAND: 'sh',
        CLI_ARGS_TEMPLATE: `-c '${command}'`,
      });
    };
    // The one that dies knows only folder a's coordinator; the frozen one knows both.
    const dying = await daemon('dying', 'acme/one', [urls[0] as string], 'sleep 300');
    const frozen = await daemon('frozen', 'acme/two', urls, `sleep 40; echo "$WG_TASK_ID" >> ${join(repo, 'ran.txt')}`);
    await a.ok(['add', 'Dies with its daemon', '--id', 'orphaned', '--executor', 'remote', '--repo', 'acme/one']);
    await a.ok(['add', 'Frozen a while', '--id', 'frozen-job', '--executor', 'remote', '--repo', 'acme/two']);
    const running = () => sql("SELECT count(*) FROM daemon_jobs WHERE state = 'running'") === '2';
    try {
      await until('both jobs running', running, 60_000);
    } catch (error) {
      // Where the dispatch stood: the jobs, the runs, the coordinator's log and the daemons'.
      console.error(
        [
          sql('SELECT task_id, state, daemon_host, outcome FROM daemon_jobs'),
          sql('SELECT id, task_id, state FROM agents'),
          sql("SELECT id, status FROM tasks WHERE id IN ('orphaned', 'frozen-job')"),
          readFileSync(join(a.root, '.workgraph/service/daemon.log'), 'utf8').split('\n').slice(-40).join('\n'),
          dying.log().split('\n').slice(-20).join('\n'),
          frozen.log().split('\n').slice(-20).join('\n'),
        ].join('\n---\n'),
      );
      throw error;
    }
    expect(sql('SELECT DISTINCT coordinator_id FROM agents')).toBe(coordinatorIdOf(a));
    // Let a heartbeat of each daemon move its job's stored lease past the one it was claimed with.
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    const coordinatorPid = Number(sql(`SELECT pid FROM coordinators WHERE id = '${coordinatorIdOf(a)}'`));
    const leaseOf = (task: string) => Date.parse(sql(`SELECT expires_at FROM daemon_jobs WHERE task_id = '${task}'`));
    const killedAt = Date.now();
    process.kill(coordinatorPid, 'SIGKILL');
    process.kill(-dying.pid, 'SIGKILL');
    process.kill(frozen.pid, 'SIGSTOP');
    const storedLease = leaseOf('orphaned');

    // Folder b's sweep declares folder a's coordinator lost, and b takes its runs over.
    await until(
      'the runs taken over',
      () => sql(`SELECT count(*) FROM agents WHERE coordinator_id = '${coordinatorIdOf(b)}'`) === '2',
      60_000,
      200,
    );
    const takenAt = Date.now();
    expect(sql(`SELECT role FROM coordinators WHERE id = '${coordinatorIdOf(a)}'`)).toBe('lost');
    // The frozen daemon wakes after the takeover, before its job's lease ran out: it reconnects to b with its job.
    expect(Date.now()).toBeLessThan(leaseOf('frozen-job'));
    process.kill(frozen.pid, 'SIGCONT');

    await until('the dead daemon job lost', () => sql("SELECT state FROM daemon_jobs WHERE task_id = 'orphaned'") === 'lost', 90_000, 200);
    const retriedAt = Date.now();
    console.info(
      `job of the dead daemon retried ${((retriedAt - killedAt) / 1000).toFixed(1)} s after its coordinator and daemon were killed ` +
        `(${((retriedAt - takenAt) / 1000).toFixed(1)} s after the takeover; its stored lease ran out ${((storedLease - killedAt) / 1000).toFixed(1)} s after the kill; stall timeout ${STALL_S} s)`,
    );
    // Not before its lease ran out, and not a whole stall timeout after the takeover.
    expect(retriedAt).toBeGreaterThanOrEqual(storedLease);
    expect(retriedAt - takenAt).toBeLessThan(STALL_S * 1000 - 5_000);
    expect(sql("SELECT outcome FROM daemon_jobs WHERE task_id = 'orphaned'")).toBe(
      "agent daemon dying did not come back before the job's lease ran out (its coordinator was lost): lease lost",
    );
    // The job's end is the coordinator's next turn to settle (its run ended as a dead run's): the task is open then.
    await until('the orphaned task open again', () => sql("SELECT status FROM tasks WHERE id = 'orphaned'") === 'open', 15_000, 200);

    // The frozen daemon's job ran on and reported to b, once.
    try {
      await until('the frozen job done', () => sql("SELECT status FROM tasks WHERE id = 'frozen-job'") === 'done', 90_000);
    } catch (error) {
      // What the job, its runs and the two sides said: a slow machine or a job lost on the way.
      console.error(
        [
          sql("SELECT lease_id, agent_id, daemon_host, state, expires_at, outcome FROM daemon_jobs WHERE task_id = 'frozen-job'"),
          sql("SELECT id, state, coordinator_id FROM agents WHERE task_id = 'frozen-job'"),
          sql("SELECT status, retry_count FROM tasks WHERE id = 'frozen-job'"),
          readFileSync(join(b.root, '.workgraph/service/daemon.log'), 'utf8').split('\n').slice(-40).join('\n'),
          frozen.log().split('\n').slice(-30).join('\n'),
        ].join('\n---\n'),
      );
      throw error;
    }
    expect(sql("SELECT count(*) || ' ' || string_agg(state, ',') FROM daemon_jobs WHERE task_id = 'frozen-job'")).toBe('1 done');
    expect(sql("SELECT count(*) FROM agents WHERE task_id = 'frozen-job'")).toBe('1');
    expect(readFileSync(join(repo, 'ran.txt'), 'utf8')).toBe('frozen-job\n');
    expect(frozen.log()).toMatch(/trying http:\/\/127\.0\.0\.1:\d+/);
  }, 240_000);

  it('taken over by a coordinator as it starts (the others paused), are retried when their lease runs out too', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    // Folder b's coordinator is paused: it declares folder a's lost, but takes nothing over.
    await b.ok(['service', 'pause']);
    const aUrl = await startCoordinator(a);
    const token = JSON.parse(await a.ok(['token', 'create', 'dying-too', '--json'])) as CreatedAgentToken;
    const dying = startAgentd('dying-too', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: aUrl,
      WG_AGENT_TOKEN: token.token,
      REPO_PATHS: `acme/three=${repo}`,
      CLI_COMMAND: 'sh',
      CLI_ARGS_TEMPLATE: "-c 'sleep 300'",
    });
    await a.ok(['add', 'Dies before anyone takes it', '--id', 'stranded', '--executor', 'remote', '--repo', 'acme/three']);
    // A precondition, not what is measured: the whole suite beside it once took over 30 s to start the job.
    await until('its job running', () => sql("SELECT state FROM daemon_jobs WHERE task_id = 'stranded'") === 'running', 90_000);
    process.kill(Number(sql(`SELECT pid FROM coordinators WHERE id = '${coordinatorIdOf(a)}'`)), 'SIGKILL');
    process.kill(-dying.pid, 'SIGKILL');
    await until('folder a lost', () => sql(`SELECT role FROM coordinators WHERE id = '${coordinatorIdOf(a)}'`) === 'lost', 60_000, 200);
    const storedLease = Date.parse(sql("SELECT expires_at FROM daemon_jobs WHERE task_id = 'stranded'"));

    // A third coordinator starts: it takes the lost one's run over as it starts, and watches its job's lease.
    const c = new TempProject('wg-job-lease-c-');
    folders.push(c);
    execFileSync('git', ['init', '-q'], { cwd: c.root });
    expect((await c.wg(['init', '--store', team.server.url({ schema: 'job_lease' })])).exitCode).toBe(0);
    const third = await c.wgProcess(['service', 'start', '--json']);
    expect(third.exitCode, third.stderr).toBe(0);
    await until(
      'the run taken over at the start',
      () => sql("SELECT coordinator_id FROM agents WHERE task_id = 'stranded'") === coordinatorIdOf(c),
    );
    await until('the job lost', () => sql("SELECT state FROM daemon_jobs WHERE task_id = 'stranded'") === 'lost', STALL_S * 1000, 200);
    expect(Date.now()).toBeGreaterThanOrEqual(storedLease);
    // Its task is open again on the coordinator's next turn, which the job's end asks for: waited for, not read at the
    // job's own moment (it was read in progress once in the full suite).
    await until('its task open again', () => sql("SELECT status FROM tasks WHERE id = 'stranded'") === 'open', 30_000, 200);
  }, 240_000);
});
