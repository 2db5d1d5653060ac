// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import { makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { daemonTeam } from './helpers/daemon-team';
import { coordinatorIdOf, startCoordinator } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * An agent daemon on a team's graph names both coordinators (WG_COORDINATOR_URL, comma separated), both active.
 * The one it is connected to, whose run the job is, is killed while the job runs: the daemon reconnects to the
 * other at once with the job, which becomes that coordinator's run, keeps running and reports there. Nothing
 * runs twice.
 */

const repo = makeRepo('wg-lease-repo-');

const team = daemonTeam('jobs', 'wg-lease-daemon-');
const { folders, sql } = team;

describe('an agent daemon of a team whose coordinator dies', () => {
  it('reconnects to the other active coordinator, with its job, which reports there; nothing runs twice', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const urls: string[] = [];
    for (const p of [a, b]) urls.push(await startCoordinator(p));
    const token = JSON.parse(await a.ok(['token', 'create', 'd1', '--json'])) as CreatedAgentToken;
    const daemon = startAgentd('d1', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: urls.join(','),
      WG_AGENT_TOKEN: token.token,
      REPO_PATHS: `acme/app=${repo}`,
      CLI_COMMAND: 'sh',
      CLI_ARGS_TEMPLATE: `-c 'sleep 14; echo "$WG_TASK_ID" >> ${join(repo, 'ran.txt')}'`,
    });
    await a.ok(['add', 'Long job', '--id', 'long-job', '--executor', 'remote', '--repo', 'acme/app']);
    await until('the job running', () => sql("SELECT state FROM daemon_jobs WHERE task_id = 'long-job'") === 'running');
    expect(sql("SELECT coordinator_id FROM agents WHERE task_id = 'long-job'")).toBe(coordinatorIdOf(a));
    const ownerPid = Number(sql(`SELECT pid FROM coordinators WHERE id = '${coordinatorIdOf(a)}'`));
    const killedAt = Date.now();
    process.kill(ownerPid, 'SIGKILL');
    // At once: the daemon reconnected to the other coordinator, which holds the run now (no wait for a lease to lapse).
    await until(
      'the run taken over',
      () => sql("SELECT coordinator_id FROM agents WHERE task_id = 'long-job'") === coordinatorIdOf(b),
      10_000,
    );
    expect(Date.now() - killedAt).toBeLessThan(10_000);

    await until('the task done', () => sql("SELECT status FROM tasks WHERE id = 'long-job'") === 'done', 60_000);
    expect(sql(`SELECT role FROM coordinators WHERE id = '${coordinatorIdOf(b)}'`)).toBe('holder');
    expect(sql("SELECT count(*) || ' ' || string_agg(state, ',') FROM daemon_jobs WHERE task_id = 'long-job'")).toBe('1 done');
    expect(sql("SELECT count(*) FROM agents WHERE task_id = 'long-job'")).toBe('1');
    expect(readFileSync(join(repo, 'ran.txt'), 'utf8')).toBe('long-job\n');
    expect(daemon.log()).toMatch(/trying http:\/\/127\.0\.0\.1:\d+/);
    // In the dead one's folder, no coordinator runs; its status says who coordinates the project now.
    const status = await a.wgProcess(['service', 'status']);
    expect(status.stdout).toContain("lease: no coordinator runs in this folder; the project's are");
    expect(status.stdout).toMatch(
      new RegExp(`active: +${hostname()}:${b.root.replaceAll('/', '\\/')} \\(pid \\d+\\) at http:\\S+, epoch 2`),
    );
  }, 120_000);
});
