import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { ConnectedDaemon } from '../../shared/agent-daemon-types';
import type { DaemonsRow } from '../leases/coordinator-lease';
import type { DaemonRegistry } from './daemon-registry';
import type { DaemonSlot } from './matching';

/*
 * A team's graph: each agent daemon is connected to one coordinator, which alone holds its socket. What each
 * coordinator has connected is written in its row of the lease table (coordinators.agent_daemons), so every
 * coordinator of the team shows them all (`wg agentd status`), and one with no daemon that can run a task leaves it
 * to the coordinator whose daemon can: said waiting by the first, it was being run by the second.
 */

/** What a coordinator writes of each daemon connected to it: what `wg agentd status` shows, and what its token allows. */
const storedDaemon = z.object({
  id: z.string(),
  host: z.string(),
  version: z.string(),
  token: z.string(),
  roles: z.array(z.string()),
  repos: z.array(z.string()),
  clis: z.array(z.object({ name: z.string(), version: z.string() })),
  capacity: z.number(),
  active: z.number(),
  connected_at: z.string(),
  last_heartbeat: z.string(),
  downgraded_until: z.string().nullable(),
  downgrade_reason: z.string().nullable(),
  token_roles: z.array(z.string()),
  token_repos: z.array(z.string()),
});
const storedDaemons = z.array(storedDaemon);

/** Where a coordinator runs: its id, machine and folder. */
export interface CoordinatorPlace {
  id: string;
  host: string;
  folder: string;
}

/** A daemon connected to another coordinator of the team: as `wg agentd status` shows it, and as matching reads it. */
export interface TeamDaemon {
  daemon: ConnectedDaemon;
  slot: DaemonSlot;
}

/** The daemons connected to this coordinator, as its row of the lease table holds them. */
export function daemonsJson(registry: DaemonRegistry): string {
  const tokens = new Map(registry.all().map((d) => [d.id, d.token]));
  return JSON.stringify(
    registry.describe().map((d) => ({ ...d, token_roles: tokens.get(d.id)?.roles ?? [], token_repos: tokens.get(d.id)?.repos ?? [] })),
  );
}

/** The other coordinators' daemons in their rows; a row this version cannot read (a newer wg's) is left out. */
function parseRows(rows: readonly DaemonsRow[]): TeamDaemon[] {
  const found: TeamDaemon[] = [];
  for (const row of rows) {
    let parsed: z.infer<typeof storedDaemons>;
    try {
      parsed = storedDaemons.parse(JSON.parse(row.agent_daemons));
    } catch {
      continue;
    }
    for (const { token_roles, token_repos, ...daemon } of parsed) {
      found.push({
        daemon: { ...daemon, coordinator: { id: row.id, host: row.host, folder: row.folder, here: false } },
        slot: {
          id: daemon.id,
          host: daemon.host,
          seq: 0,
          roles: daemon.roles,
          repos: daemon.repos,
          token_name: daemon.token,
          token_roles,
          token_repos,
          capacity: daemon.capacity,
          active: daemon.active,
          downgraded_until_ms: daemon.downgraded_until === null ? null : Date.parse(daemon.downgraded_until),
        },
      });
    }
  }
  return found;
}

/**
 * The daemons of the team's other coordinators, read from the lease table. The dispatcher asks only when it is about
 * to say a task waits, and takes an answer up to `maxAgeMs` old: a coordinator with ready tasks it cannot run asks at
 * each of its turns.
 */
export class TeamDaemons {
  private cached: { at: number; daemons: TeamDaemon[] } | null = null;

  constructor(
    private readonly read: () => Promise<DaemonsRow[]>,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async now(): Promise<TeamDaemon[]> {
    const at = this.clock();
    const daemons = parseRows(await this.read());
    this.cached = { at, daemons };
    return daemons;
  }

  async recent(maxAgeMs: number): Promise<TeamDaemon[]> {
    if (this.cached && this.clock() - this.cached.at <= maxAgeMs) return this.cached.daemons;
    return this.now();
  }
}
