import type { ServiceStatus } from '../../shared/service-types';
import { errorText } from '../../shared/errors';
import { loadSettings } from '../config/settings';
import { withRoleRoutes } from '../config/role-routes';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { readRecentErrors } from './service-log';
import { teamConnection } from '../store/postgres/team-connection';
import type { SilentCoordinator } from './service-probe';

/** A team's graph with no coordinator in this folder: who coordinates it elsewhere, as its lease table says. */
async function teamLease(store: Store): Promise<Pick<ServiceStatus, 'lease'>> {
  const conn = await teamConnection(store.core);
  if (!conn) return {};
  const { leaseMembers } = await import('../leases/coordinator-lease');
  try {
    const members = await leaseMembers(conn);
    return {
      lease: {
        me: null,
        role: 'not running',
        coordinators: members,
      },
    };
  } catch {
    // A store from before the lease table (a reader only): nothing to tell.
    return {};
  }
}

/**
 * What `status` says of a coordinator that runs here but did not answer in time: running, its pid, and what the store
 * says beside (read as for a stopped one); its lease line says it was not heard rather than that none runs.
 */
export async function silentStatus(
  paths: ProjectPaths,
  store: Store | { problem: string },
  silent: SilentCoordinator,
): Promise<ServiceStatus> {
  const stopped = await stoppedStatus(paths, store);
  return {
    ...stopped,
    status: 'running',
    running: true,
    pid: silent.pid,
    not_answering: { waited_ms: silent.waitedMs },
    ...(stopped.lease ? { lease: { ...stopped.lease, role: 'not answering' } } : {}),
  };
}

/** Agent runs by final state, for the status summary. */
export async function agentCounts(store: Store): Promise<ServiceStatus['agents']> {
  const counts = { working: 0, done: 0, failed: 0, dead: 0, killed: 0 };
  const rows = await store.core.all(
    store.core.build
      .selectFrom('agents')
      .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
      .groupBy('state'),
  );
  for (const row of rows) if (row.state in counts) counts[row.state as keyof typeof counts] = row.n;
  return counts;
}

/** The agent summary of a status whose store cannot be read now (a team's database down): why, and no counts. */
export function unreadStore(problem: string): Pick<ServiceStatus, 'agents' | 'store_problem'> {
  return { agents: { working: 0, done: 0, failed: 0, dead: 0, killed: 0 }, store_problem: problem };
}

/**
 * What `status` says when no coordinator runs: nothing running, but the store's agent summary, the
 * settings a start would use (config.toml; an unreadable one is said in one line, as a start would fail on it)
 * and the errors the last coordinator remembered. `store` is why it cannot be read when it cannot (a team's database
 * down): the rest is said all the same, which is when a person asks for it.
 */
export async function stoppedStatus(paths: ProjectPaths, store: Store | { problem: string }): Promise<ServiceStatus> {
  let settings: Awaited<ReturnType<typeof loadSettings>> | null = null;
  let settingsError: string | undefined;
  try {
    settings = await loadSettings(paths);
  } catch (error) {
    settings = null;
    settingsError = errorText(error);
  }
  return {
    status: 'not_running',
    running: false,
    pid: null,
    started_at: null,
    uptime_seconds: null,
    paused: false,
    max_agents: settings?.settings.coordinator.max_agents ?? 0,
    url: null,
    ...('problem' in store ? unreadStore(store.problem) : { agents: await agentCounts(store), ...(await teamLease(store)) }),
    recent_errors: readRecentErrors(paths.daemonLog),
    ...(settings ? { settings: await withRoleRoutes(settings.entries, paths) } : { settings_error: settingsError }),
  };
}
