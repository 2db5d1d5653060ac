import { sqlText } from '../../helpers/sql-text';
import { afterAll, beforeAll } from 'vitest';
import type { CreatedAgentToken, DaemonJob, AgentDaemonsStatus } from '../../../src/shared/agent-daemon-types';
import { Store } from '../../../src/core/store/store';
import { DaemonProject, waitFor } from '../../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd, type AgentdProcess } from './agentd-process';

export interface DaemonSetup {
  /** The agent daemon's host name and token name. */
  host: string;
  /** The daemon's settings beyond its coordinator, token and repository (MAX_JOBS, CLI_COMMAND, ROLES…). */
  env: Record<string, string>;
  /** `wg config` flags set before the coordinator starts. */
  config?: string[];
}

export interface CoordinatorWithDaemon {
  p: DaemonProject;
  /** The daemon as started (its process, its log). */
  daemon(): AgentdProcess;
  /** The remote jobs of a task, oldest first, as the coordinator's store has them. */
  jobs(taskId: string): Promise<DaemonJob[]>;
  /** A read connection to the coordinator's store. */
  reader(): Store;
  /** The coordinator's address, as a daemon is given it. */
  url(): string;
}

/**
 * A real coordinator (`wg service start`) with one real `wg agentd` connected to it, serving one git repository as
 * acme/app, started before the file's tests and stopped (with everything it started) after them.
 */
export function coordinatorWithDaemon(prefix: string, setup: DaemonSetup): CoordinatorWithDaemon {
  const p = new DaemonProject(`wg-agentd-${prefix}-`);
  const repo = makeRepo(`wg-repo-${prefix}-`);
  let reader: Store | null = null;
  let daemon: AgentdProcess | null = null;
  let url: string | null = null;

  beforeAll(async () => {
    await p.init();
    if (setup.config) await p.ok(['config', ...setup.config]);
    const token = await p.json<CreatedAgentToken>(['token', 'create', setup.host]);
    const started = await p.start();
    url = (started.url ?? '').replace(/\/#token=.*$/, '');
    reader = await Store.open(p.paths.db);
    daemon = startAgentd(setup.host, {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: url,
      WG_AGENT_TOKEN: token.token,
      REPO_PATHS: `acme/app=${repo}`,
      ...setup.env,
    });
    await waitFor('the daemon registered', async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons.length === 1);
  });

  afterAll(async () => {
    killMarked();
    await reader?.close();
    await p.remove();
  });

  const opened = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`${what} is not started yet (used outside a test?)`);
    return value;
  };
  return {
    p,
    daemon: () => opened(daemon, 'the daemon'),
    reader: () => opened(reader, "the store's reader"),
    url: () => opened(url, "the coordinator's address"),
    jobs: (taskId) =>
      sqlText<DaemonJob>(opened(reader, "the store's reader").core, 'SELECT * FROM daemon_jobs WHERE task_id = ? ORDER BY created_at').all(
        taskId,
      ),
  };
}
