import type { CliInfo, CoordinatorMessage } from '../../shared/agent-protocol';
import type { AgentTokenInfo, ConnectedDaemon } from '../../shared/agent-daemon-types';
import type { DaemonSlot } from './matching';

/** One authenticated connection of an agent daemon, once it has registered what it can do. */
export interface DaemonConnection {
  id: string;
  seq: number;
  token: AgentTokenInfo;
  host: string;
  /** The daemon process's secret (agent.register): the proof that a reconnect is the same daemon. */
  instance: string;
  /** The `wg` its jobs run (on its machine), for their prompts. */
  wg: string;
  version: string;
  roles: string[];
  repos: string[];
  clis: CliInfo[];
  capacity: number;
  /** Leases this connection holds (current ones only). */
  leases: Set<string>;
  connectedAt: string;
  lastHeartbeat: string;
  downgradedUntilMs: number | null;
  downgradeReason: string | null;
  /** When it last said anything (any frame): a daemon silent past the stall timeout is taken for dead. */
  lastHeardMs: number;
  send(message: CoordinatorMessage): boolean;
  close(code: number, reason: string): void;
  /** Drops the connection without a closing handshake (a frozen peer would never answer one). */
  terminate(): void;
  /** Whether the peer answers a ping (or says anything) within this long. */
  probe(timeoutMs: number): Promise<boolean>;
}

/** The registered daemons, and which of them holds each lease. */
export class DaemonRegistry {
  private readonly daemons = new Map<string, DaemonConnection>();
  private readonly owners = new Map<string, DaemonConnection>();
  /**
   * The daemon instance each current lease was handed to: only that daemon may keep it on a
   * reconnect, whatever token and host name another connection shows. In memory: after a
   * coordinator restart, a reconnect keeps a lease by its token and host name alone.
   */
  private readonly instances = new Map<string, string>();

  add(daemon: DaemonConnection): void {
    this.daemons.set(daemon.id, daemon);
  }

  /** Forgets a connection; its leases stay current (their clock runs) until a reconnect claims them or they expire. */
  remove(id: string): DaemonConnection | undefined {
    const daemon = this.daemons.get(id);
    if (!daemon) return undefined;
    this.daemons.delete(id);
    for (const lease of daemon.leases) if (this.owners.get(lease) === daemon) this.owners.delete(lease);
    return daemon;
  }

  /** The registered connection with this identity (token and host name), if any. */
  withIdentity(tokenName: string, host: string): DaemonConnection | undefined {
    return this.all().find((d) => d.token.name === tokenName && d.host === host);
  }

  /** The daemon instance a current lease belongs to, when this coordinator handed it out or saw it kept. */
  instanceOf(lease: string): string | undefined {
    return this.instances.get(lease);
  }

  get(id: string): DaemonConnection | undefined {
    return this.daemons.get(id);
  }

  all(): DaemonConnection[] {
    return [...this.daemons.values()];
  }

  get size(): number {
    return this.daemons.size;
  }

  hold(daemon: DaemonConnection, lease: string): void {
    const previous = this.owners.get(lease);
    if (previous && previous !== daemon) previous.leases.delete(lease);
    daemon.leases.add(lease);
    this.owners.set(lease, daemon);
    this.instances.set(lease, daemon.instance);
  }

  release(lease: string): DaemonConnection | undefined {
    const owner = this.owners.get(lease);
    owner?.leases.delete(lease);
    this.owners.delete(lease);
    this.instances.delete(lease);
    return owner;
  }

  ownerOf(lease: string): DaemonConnection | undefined {
    return this.owners.get(lease);
  }

  slots(): DaemonSlot[] {
    return this.all().map((d) => ({
      id: d.id,
      host: d.host,
      seq: d.seq,
      roles: d.roles,
      repos: d.repos,
      token_name: d.token.name,
      token_roles: d.token.roles,
      token_repos: d.token.repos,
      capacity: d.capacity,
      active: d.leases.size,
      downgraded_until_ms: d.downgradedUntilMs,
    }));
  }

  describe(): ConnectedDaemon[] {
    return this.all().map((d) => ({
      id: d.id,
      host: d.host,
      version: d.version,
      token: d.token.name,
      roles: d.roles,
      repos: d.repos,
      clis: d.clis,
      capacity: d.capacity,
      active: d.leases.size,
      connected_at: d.connectedAt,
      last_heartbeat: d.lastHeartbeat,
      downgraded_until: d.downgradedUntilMs === null ? null : new Date(d.downgradedUntilMs).toISOString(),
      downgrade_reason: d.downgradeReason,
    }));
  }
}
