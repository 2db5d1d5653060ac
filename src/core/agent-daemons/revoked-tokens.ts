import { errorText } from '../../shared/errors';
import type { RemoteJob, TokenHolder } from '../../shared/remote-types';
import type { AgentHub } from './agent-hub';
import type { DaemonRegistry } from './daemon-registry';
import type { DaemonSessions } from './daemon-session';
import type { JobStore } from './job-store';
import type { TokenStore } from './token-store';

export interface RevokedTokensDeps {
  tokens: TokenStore;
  jobs: JobStore;
  registry: DaemonRegistry;
  sessions: DaemonSessions;
  hub: Pick<AgentHub, 'closeToken'>;
  /** Whether a run is this coordinator's to judge (on a team's graph, another's jobs are left to it). */
  mine(agentId: string): boolean;
  log: { warn(message: string): void };
}

const withdrawn = (token: string, host: string) =>
  `agent token '${token}' of agent daemon ${host} was revoked; its job goes back to the queue`;

/**
 * Agent tokens revoked (or issued again) while their daemons hold jobs: the connections that use one close at once,
 * and every job sent under one goes back to the queue at once, counting no retry (the daemon lost its right to run
 * it; the work did not fail). That includes the jobs of a daemon that was away when its token went (this coordinator
 * down, or the daemon cut off): it is refused when it comes back, so waiting for it, as for a silent daemon, only
 * cost a stall timeout and a retry.
 */
export class RevokedTokens {
  private queued = false;

  constructor(private readonly d: RevokedTokensDeps) {}

  /** Something was committed (a revoke may be among it): looked at once, after what runs now. */
  queue(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      this.check();
    });
  }

  private check(): void {
    const holders = new Map(this.d.registry.all().map((d) => [{ name: d.token.name, issued: d.token.created_at }, d] as const));
    let stale: TokenHolder[];
    let away: RemoteJob[];
    try {
      stale = this.d.tokens.stale([...holders.keys()]);
      away = this.d.jobs.ofRevokedTokens();
    } catch (error) {
      // The database away (a server restart): the next change looks again.
      this.d.log.warn(`could not check the agent daemons' tokens: ${errorText(error)}`);
      return;
    }
    if (stale.length > 0) {
      const gone = stale.map((holder) => holders.get(holder)).filter((daemon) => daemon !== undefined);
      this.d.log.warn(`closing the connections of revoked agent token(s): ${[...new Set(gone.map((d) => d.token.name))].join(', ')}`);
      // Out of the registry first: the jobs requeued below must not be handed back to a connection
      // that is closing (its close event comes only after this turn).
      for (const daemon of gone) this.d.registry.remove(daemon.id);
      for (const daemon of gone) this.d.sessions.withdraw(daemon, withdrawn(daemon.token.name, daemon.host));
      this.d.hub.closeToken(gone);
    }
    // Those of connections just closed are ended already (no longer active): what is left is away.
    for (const job of away) {
      if (this.d.mine(job.agent_id) && this.d.jobs.active(job.lease_id))
        this.d.sessions.withdrawAway(job, withdrawn(job.token_name, job.daemon_host));
    }
  }
}
