import { shortHash, type AgentIdentity, type DesiredOutcome, type Role, type RoleComponent, type Tradeoff } from '../../shared/agency';
import { invalid, notFound } from '../../shared/errors';
import type { StoreCore } from '../store/store-core';
import {
  toComponent,
  toIdentity,
  toOutcome,
  toRole,
  toTradeoff,
  type IdentityRow,
  type ComponentRow,
  type Extra,
  type OutcomeRow,
  type RoleRow,
  type TradeoffRow,
} from './agency-rows';

const HEX = /^[0-9a-f]{1,64}$/i;

/**
 * The project's agency in its SQLite store, as read: role components, desired outcomes, tradeoffs,
 * roles and agent identities, each keyed by its content hash. The writes (which hash) are
 * agency-writes.ts, loaded only by what writes: every `wg` command opens the store, and the YAML
 * library the hashes need is a cost every start would pay.
 */
export class AgencyStore {
  constructor(protected readonly core: StoreCore) {}

  components(): RoleComponent[] {
    return this.core.sql<ComponentRow>('SELECT * FROM agency_components ORDER BY name, id').all().map(toComponent);
  }

  outcomes(): DesiredOutcome[] {
    return this.core.sql<OutcomeRow>('SELECT * FROM agency_outcomes ORDER BY name, id').all().map(toOutcome);
  }

  tradeoffs(): Tradeoff[] {
    return this.core.sql<TradeoffRow>('SELECT * FROM agency_tradeoffs ORDER BY created_at, rowid').all().map(toTradeoff);
  }

  roles(): Role[] {
    const components = new Map(this.components().map((c) => [c.id, c]));
    const outcomes = new Map(this.outcomes().map((o) => [o.id, o]));
    return this.core
      .sql<RoleRow>('SELECT * FROM agency_roles ORDER BY created_at, rowid')
      .all()
      .map((r) => toRole(r, components, outcomes));
  }

  identities(): AgentIdentity[] {
    return this.core.sql<IdentityRow>('SELECT * FROM agency_agents ORDER BY created_at, rowid').all().map(toIdentity);
  }

  identity(id: string): AgentIdentity | undefined {
    const row = this.core.sql<IdentityRow>('SELECT * FROM agency_agents WHERE id = ?').get(id);
    return row ? toIdentity(row) : undefined;
  }

  isEmpty(): boolean {
    return this.core.sql('SELECT 1 FROM agency_agents LIMIT 1').get() === undefined && this.roles().length === 0;
  }

  /** Upstream fields this app does not model, and when each entry was made, per id (for the YAML export). */
  extras(table: 'components' | 'outcomes' | 'tradeoffs' | 'roles' | 'agents'): Map<string, { extra: Extra; created_at: string }> {
    const rows = this.core
      .sql<{ id: string; extra: string; created_at: string }>(`SELECT id, extra, created_at FROM agency_${table}`)
      .all();
    return new Map(rows.map((r) => [r.id, { extra: JSON.parse(r.extra) as Extra, created_at: r.created_at }]));
  }

  resolveRole(ref: string): Role {
    return resolve(this.roles(), ref, 'role');
  }

  resolveTradeoff(ref: string): Tradeoff {
    return resolve(this.tradeoffs(), ref, 'tradeoff');
  }

  resolveIdentity(ref: string): AgentIdentity {
    return resolve(this.identities(), ref, 'agent');
  }
}

/** Each item as `name (short id)`, for refusals that list them. */
export function names(items: ReadonlyArray<{ name: string; id: string }>): string {
  return items.map((i) => `${i.name} (${shortHash(i.id)})`).join(', ');
}

/** An id, any unique prefix of it, or the exact name (case aside). */
function resolve<T extends { id: string; name: string }>(items: readonly T[], ref: string, what: string): T {
  const wanted = ref.trim();
  if (!wanted) throw invalid(`which ${what}? give its id, an id prefix or its name`);
  const byId = HEX.test(wanted) ? items.filter((i) => i.id.startsWith(wanted.toLowerCase())) : [];
  if (byId.length === 1) return byId[0] as T;
  if (byId.length > 1) throw invalid(`'${wanted}' matches ${byId.length} ${what}s: ${names(byId)}; give more of the id`);
  const byName = items.filter((i) => i.name.toLowerCase() === wanted.toLowerCase());
  if (byName.length === 1) return byName[0] as T;
  if (byName.length > 1) throw invalid(`${byName.length} ${what}s are named '${wanted}': ${names(byName)}; give the id`);
  throw notFound(what, wanted);
}
