import { sql } from 'kysely';
import { shortHash, type AgentIdentity, type DesiredOutcome, type Role, type RoleComponent, type Tradeoff } from '../../../shared/agency';
import { invalid, notFound } from '../../../shared/errors';
import type { StoreCore } from '../store-core';
import { toComponent, toIdentity, toOutcome, toRole, toTradeoff, type Extra } from './agency-rows';

const HEX = /^[0-9a-f]{1,64}$/i;

/**
 * The project's agency in its SQLite store, as read: role components, desired outcomes, tradeoffs,
 * roles and agent identities, each keyed by its content hash. The writes (which hash) are
 * agency-writes.ts, loaded only by what writes: every `wg` command opens the store, and the YAML
 * library the hashes need is a cost every start would pay.
 */
export class AgencyStore {
  constructor(protected readonly core: StoreCore) {}

  async components(): Promise<RoleComponent[]> {
    return (await this.core.all(this.core.build.selectFrom('agency_components').selectAll().orderBy('name').orderBy('id'))).map(
      toComponent,
    );
  }

  async outcomes(): Promise<DesiredOutcome[]> {
    return (await this.core.all(this.core.build.selectFrom('agency_outcomes').selectAll().orderBy('name').orderBy('id'))).map(toOutcome);
  }

  async tradeoffs(): Promise<Tradeoff[]> {
    return (
      await this.core.all(this.core.build.selectFrom('agency_tradeoffs').selectAll().orderBy('created_at').orderBy(this.core.fn.rowid))
    ).map(toTradeoff);
  }

  async roles(): Promise<Role[]> {
    const components = new Map((await this.components()).map((c) => [c.id, c]));
    const outcomes = new Map((await this.outcomes()).map((o) => [o.id, o]));
    return (
      await this.core.all(this.core.build.selectFrom('agency_roles').selectAll().orderBy('created_at').orderBy(this.core.fn.rowid))
    ).map((r) => toRole(r, components, outcomes));
  }

  async identities(): Promise<AgentIdentity[]> {
    return (
      await this.core.all(this.core.build.selectFrom('agency_agents').selectAll().orderBy('created_at').orderBy(this.core.fn.rowid))
    ).map(toIdentity);
  }

  async identity(id: string): Promise<AgentIdentity | undefined> {
    const row = await this.core.get(this.core.build.selectFrom('agency_agents').selectAll().where('id', '=', id));
    return row ? toIdentity(row) : undefined;
  }

  async isEmpty(): Promise<boolean> {
    const any = await this.core.get(this.core.build.selectFrom('agency_agents').select(sql.lit(1).as('one')).limit(1));
    return any === undefined && (await this.roles()).length === 0;
  }

  /** Upstream fields this app does not model, and when each entry was made, per id (for the YAML export). */
  async extras(
    table: 'components' | 'outcomes' | 'tradeoffs' | 'roles' | 'agents',
  ): Promise<Map<string, { extra: Extra; created_at: string }>> {
    const rows = await this.core.all(this.core.build.selectFrom(`agency_${table}`).select(['id', 'extra', 'created_at']));
    return new Map(rows.map((r) => [r.id, { extra: JSON.parse(r.extra) as Extra, created_at: r.created_at }]));
  }

  async resolveRole(ref: string): Promise<Role> {
    return resolve(await this.roles(), ref, 'role');
  }

  async resolveTradeoff(ref: string): Promise<Tradeoff> {
    return resolve(await this.tradeoffs(), ref, 'tradeoff');
  }

  async resolveIdentity(ref: string): Promise<AgentIdentity> {
    return resolve(await this.identities(), ref, 'agent');
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
