import type { ServiceStatus } from '../../shared/service-types';
import { errorText } from '../../shared/errors';
import type { AgentDaemonService } from '../agent-daemons/agent-daemon-service';
import type { Engine } from '../coordinator/engine';
import type { DatabaseOutage } from '../database-outage/database-outage';
import type { ListenRequest } from '../service-state/state-file';
import type { Store } from '../store/store';
import type { SyncService } from '../upstream-sync/sync-service';
import type { ApiAddress } from './api-address';
import { listenInForce } from './listen-in-force';
import type { ServiceLog } from './service-log';
import { agentCounts, unreadStore } from './service-status';
import type { TeamLease } from './team-lease';

export interface StatusParts {
  startedAt: Date;
  store: Store;
  engine: Engine;
  agentDaemons: AgentDaemonService;
  outage: DatabaseOutage;
  /** Beside upstream's graph.jsonl only. */
  upstream: SyncService | null;
  lease: TeamLease;
  address: ApiAddress;
  log: ServiceLog;
  /** `wg service start --listen …`, if given. */
  listen?: ListenRequest;
}

/** `wg service status` of a running coordinator. */
export function coordinatorStatus(p: StatusParts): () => Promise<ServiceStatus> {
  const { engine, log } = p;
  // A team's database down (or a disk gone) must not take the status with it: that is when a person asks for it.
  const connectedDaemons = (): NonNullable<ServiceStatus['agent_daemons']> => {
    const names = p.agentDaemons.connectedHosts();
    return { connected: names.length, names };
  };
  const storeCounts = async (): Promise<Pick<ServiceStatus, 'agents' | 'store_problem'>> => {
    try {
      return { agents: await agentCounts(p.store) };
    } catch (error) {
      return unreadStore(errorText(error));
    }
  };
  const databaseOutage = (): Pick<ServiceStatus, 'database_outage'> => {
    const away = p.outage.status();
    return away ? { database_outage: away } : {};
  };
  const startWaits = () => {
    const waiting = engine.startWaits;
    return waiting.length === 0 ? {} : { waiting };
  };
  const syncProblem = () => {
    const problem = p.upstream?.problem() ?? null;
    return problem === null ? {} : { sync_problem: problem };
  };
  return async () => ({
    status: 'running',
    running: true,
    pid: process.pid,
    started_at: p.startedAt.toISOString(),
    uptime_seconds: Math.round((Date.now() - p.startedAt.getTime()) / 1000),
    paused: engine.isPaused,
    max_agents: (await engine.config.current()).settings.coordinator.max_agents,
    url: p.address.url,
    ...(await storeCounts()),
    ...databaseOutage(),
    recent_errors: log.recentErrors(),
    settings: listenInForce((await engine.config.current()).entries, p.listen, p.address.listen),
    agent_daemons: connectedDaemons(),
    ...(await p.lease.status()),
    ...syncProblem(),
    ...startWaits(),
  });
}
