import { errorText } from '../../shared/errors';
import type { DaemonJob, TokenHolder } from '../../shared/agent-daemon-types';
import type { AgentHub } from './agent-hub';
import type { DaemonRegistry } from './daemon-registry';
import type { DaemonSessions } from './daemon-session';
import type { JobStore } from './job-store';
import type { TokenStore } from '../store/token-store';
import { inBackground } from '../engine-log';

export interface RevokedTokensDeps {
  tokens: TokenStore;
  jobs: JobStore;
  registry: DaemonRegistry;
  sessions: Pick<DaemonSessions, 'withdraw' | 'withdrawAway'>;
  hub: Pick<AgentHub, 'closeToken'>;
  /** Whether a run is this coordinator's to judge (on a team's graph, another's jobs are left to it). */
  mine(agentId: string): Promise<boolean>;
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
  private pending: NodeJS.Immediate | null = null;
  private closed = false;

  constructor(private readonly d: RevokedTokensDeps) {}

  /** Something was committed (a revoke may be among it): looked at once, after what runs now. */
  queue(): void {
    if (this.pending !== null || this.closed) return;
    this.pending = setImmediate(() => {
      this.pending = null;
      inBackground(this.check(), (m) => this.d.log.warn(m), 'the look for revoked agent tokens');
    });
  }

  /**
   * The coordinator stops: a look queued now (a commit while the server still answers) would read a store already
   * closed and log that as an error, which `wg service status` keeps across the restart.
   */
  close(): void {
    this.closed = true;
    if (this.pending !== null) clearImmediate(this.pending);
    this.pending = null;
  }

  private async check(): Promise<void> {
    const holders = new Map(this.d.registry.all().map((d) => [{ name: d.token.name, issued: d.token.created_at }, d] as const));
    let stale: TokenHolder[];
    let away: DaemonJob[];
    try {
      stale = await this.d.tokens.stale([...holders.keys()]);
      away = await this.d.jobs.ofRevokedTokens();
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
      for (const daemon of gone) await this.d.sessions.withdraw(daemon, withdrawn(daemon.token.name, daemon.host));
      this.d.hub.closeToken(gone);
    }
    // Those of connections just closed are ended already (no longer active): what is left is away.
    for (const job of away) {
      if ((await this.d.mine(job.agent_id)) && (await this.d.jobs.active(job.lease_id)))
        await this.d.sessions.withdrawAway(job, withdrawn(job.token_name, job.daemon_host));
    }
  }
}
