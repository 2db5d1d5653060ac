import { describe, expect, it } from 'vitest';
import type { CreatedAgentToken, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import type { Task } from '../../src/shared/task';
import { makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { daemonTeam } from './helpers/daemon-team';
import { startCoordinator } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * A team's graph (two folders, one real PostgreSQL server) with one `wg agentd` connected to folder a's coordinator
 * (issue 74): its job's task said "Spawned … on agent daemon X" and then "Waiting for an agent daemon" while the job
 * ran, and `wg agentd status` in folder b said no daemon was connected.
 */

const repo = makeRepo('wg-team-view-repo-');

const team = daemonTeam('team_view', 'wg-team-view-');
const { folders, sql } = team;

describe('an agent daemon connected to one coordinator of a team', () => {
  it("its job's task is never said to wait for a daemon, and every coordinator's wg agentd status shows it", async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const [aUrl] = [await startCoordinator(a), await startCoordinator(b)];
    const token = JSON.parse(await a.ok(['token', 'create', 'only', '--json'])) as CreatedAgentToken;
    const daemon = startAgentd('only', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: aUrl as string,
      WG_AGENT_TOKEN: token.token,
      REPO_PATHS: `acme/one=${repo}`,
      CLI_COMMAND: 'sh',
      CLI_ARGS_TEMPLATE: "-c 'sleep 300'",
    });
    await until(
      'the daemon connected to a',
      async () => (await a.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.length === 1,
      30_000,
    );

    // Added in b's folder: both coordinators see it ready at once.
    await b.ok(['add', 'Runs on the daemon', '--id', 'remote-one', '--executor', 'remote', '--repo', 'acme/one']);
    await until('its job running', () => sql("SELECT state FROM daemon_jobs WHERE task_id = 'remote-one'") === 'running', 30_000);
    // Past b's turns with no daemon (100 ms apart) and a's.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const log = (await a.json<Task>(['show', 'remote-one'])).log.map((l) => l.message);
    const spawned = log.findIndex((line) => line.includes('on agent daemon only'));
    expect(spawned, log.join('\n')).toBeGreaterThanOrEqual(0);
    expect(
      log.slice(spawned).filter((line) => line.startsWith('Waiting for')),
      log.join('\n'),
    ).toEqual([]);

    // b has no daemon of its own: it shows a's, saying where it is connected.
    for (const p of [a, b]) {
      const status = await p.json<AgentDaemonsStatus>(['agentd', 'status']);
      expect(status.daemons.map((d) => [d.host, d.active, d.coordinator?.folder])).toEqual([['only', 1, a.root]]);
      expect(status.active_jobs.map((j) => j.task_id)).toEqual(['remote-one']);
      expect(status.waiting).toEqual([]);
    }
    expect(await b.ok(['agentd', 'status'])).toMatch(/^Agent daemons \(1\):\n {2}only {2}1\/1 busy .* via the coordinator on \S+ in /);
    daemon.proc.kill('SIGTERM');
  }, 180_000);
});
