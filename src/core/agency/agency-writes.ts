import { type Insertable, sql } from 'kysely';
import { shortHash, type DesiredOutcome, type Role, type RoleComponent, type Tradeoff, type AgentIdentity } from '../../shared/agency';
import { conflict } from '../../shared/errors';
import type { Extra } from '../store/agency/agency-rows';
import { AgencyStore, names } from '../store/agency/agency-store';
import type { Tables } from '../store/query/tables';
import type { StoreCore } from '../store/store-core';
import { identityHash, roleHash } from './hash';

/** A role as written: its parts, not yet hashed. */
export interface RoleInput {
  name: string;
  description: string;
  component_ids: string[];
  outcome_id: string;
  default_exec_mode?: string | null;
  default_context_scope?: string | null;
}

export interface IdentityInput {
  name: string;
  role_id: string;
  tradeoff_id: string;
  executor?: string;
  model?: string | null;
  provider?: string | null;
  capabilities?: string[];
}

/** `replace`: overwrite a row with the same id (import); `keep`: leave it (seeding); `refuse`: a conflict (add). */
export type OnExisting = 'replace' | 'keep' | 'refuse';

const json = (value: unknown) => JSON.stringify(value);

type AgencyTable = 'components' | 'outcomes' | 'tradeoffs' | 'roles' | 'agents';

const TABLE_NOUN: Record<AgencyTable, string> = {
  components: 'role component',
  outcomes: 'desired outcome',
  tradeoffs: 'tradeoff',
  roles: 'role',
  agents: 'agent',
};

/**
 * The agency's writes: each entry stored under the content hash upstream gives it (hash.ts). They
 * belong inside a caller's transaction (`core.write` or `core.batch`), which stamps a new revision,
 * so the window hears of it like any other change.
 */
export class AgencyWrites extends AgencyStore {
  async putComponent(c: RoleComponent, on: OnExisting, extra: Extra = {}): Promise<boolean> {
    return this.put('components', on, {
      id: c.id,
      name: c.name,
      description: c.description,
      category: c.category,
      content: json(c.content),
      scope: c.scope,
      extra: json(extra),
      created_at: this.core.nowIso(),
    });
  }

  async putOutcome(o: DesiredOutcome, on: OnExisting, extra: Extra = {}): Promise<boolean> {
    return this.put('outcomes', on, {
      id: o.id,
      name: o.name,
      description: o.description,
      success_criteria: json(o.success_criteria),
      scope: o.scope,
      extra: json(extra),
      created_at: this.core.nowIso(),
    });
  }

  async putTradeoff(t: Omit<Tradeoff, 'created_at'> & { created_at?: string }, on: OnExisting, extra: Extra = {}): Promise<boolean> {
    return this.put('tradeoffs', on, {
      id: t.id,
      name: t.name,
      description: t.description,
      acceptable: json(t.acceptable),
      unacceptable: json(t.unacceptable),
      scope: t.scope,
      extra: json(extra),
      created_at: t.created_at ?? this.core.nowIso(),
    });
  }

  /** Stores a role under the hash of its parts; returns its id. */
  async putRole(input: RoleInput, on: OnExisting, extra: Extra = {}, createdAt?: string): Promise<string> {
    const id = roleHash(input.component_ids, input.outcome_id);
    await this.put('roles', on, {
      id,
      name: input.name,
      description: input.description,
      component_ids: json(input.component_ids),
      outcome_id: input.outcome_id,
      default_exec_mode: input.default_exec_mode ?? null,
      default_context_scope: input.default_context_scope ?? null,
      extra: json(extra),
      created_at: createdAt ?? this.core.nowIso(),
    });
    return id;
  }

  /** Stores an identity under the hash of its role and tradeoff; returns its id. */
  async putIdentity(input: IdentityInput, on: OnExisting, extra: Extra = {}, createdAt?: string): Promise<string> {
    const id = identityHash(input.role_id, input.tradeoff_id);
    await this.put('agents', on, {
      id,
      name: input.name,
      role_id: input.role_id,
      tradeoff_id: input.tradeoff_id,
      executor: input.executor ?? 'claude',
      model: input.model ?? null,
      provider: input.provider ?? null,
      capabilities: json(input.capabilities ?? []),
      extra: json(extra),
      created_at: createdAt ?? this.core.nowIso(),
    });
    return id;
  }

  /**
   * Changes a role. A new name or description keeps its id; new skills or a new outcome make it a
   * different role (a new hash): the identities built on it follow, and so do the tasks and
   * evaluations that named those identities, so no history is orphaned.
   */
  async editRole(role: Role, change: Partial<RoleInput>): Promise<string> {
    const next: RoleInput = {
      name: change.name ?? role.name,
      description: change.description ?? role.description,
      component_ids: change.component_ids ?? role.component_ids,
      outcome_id: change.outcome_id ?? role.outcome_id,
      default_exec_mode: role.default_exec_mode,
      default_context_scope: role.default_context_scope,
    };
    const id = roleHash(next.component_ids, next.outcome_id);
    if (id === role.id) {
      await this.core.send(
        this.core.build.updateTable('agency_roles').set({ name: next.name, description: next.description }).where('id', '=', id),
      );
      return id;
    }
    if (await this.core.get(this.core.build.selectFrom('agency_roles').select(sql.lit(1).as('one')).where('id', '=', id))) {
      throw conflict(`a role with these skills and outcome already exists (${shortHash(id)})`);
    }
    const extra = (await this.extras('roles')).get(role.id)?.extra ?? {};
    await this.putRole(next, 'refuse', extra, role.created_at);
    for (const agent of (await this.identities()).filter((a) => a.role_id === role.id)) {
      const moved = identityHash(id, agent.tradeoff_id);
      const build = this.core.build;
      await this.core.send(build.updateTable('agency_agents').set({ id: moved, role_id: id }).where('id', '=', agent.id));
      await this.core.send(build.updateTable('tasks').set({ agent: moved }).where('agent', '=', agent.id));
      await this.core.send(build.updateTable('agency_assignments').set({ agent_id: moved }).where('agent_id', '=', agent.id));
      await this.core.send(build.updateTable('evaluations').set({ agent_id: moved, role_id: id }).where('agent_id', '=', agent.id));
    }
    await this.core.send(this.core.build.deleteFrom('agency_roles').where('id', '=', role.id));
    return id;
  }

  async removeRole(role: Role): Promise<void> {
    const users = (await this.identities()).filter((a) => a.role_id === role.id);
    if (users.length > 0) throw conflict(`role '${role.name}' is used by ${names(users)}; remove those agents first`);
    await this.core.send(this.core.build.deleteFrom('agency_roles').where('id', '=', role.id));
  }

  async removeTradeoff(tradeoff: Tradeoff): Promise<void> {
    const users = (await this.identities()).filter((a) => a.tradeoff_id === tradeoff.id);
    if (users.length > 0) throw conflict(`tradeoff '${tradeoff.name}' is used by ${names(users)}; remove those agents first`);
    await this.core.send(this.core.build.deleteFrom('agency_tradeoffs').where('id', '=', tradeoff.id));
  }

  /** Refused while unfinished tasks carry the identity: they would lose who they are mid-flight. */
  async removeIdentity(identity: AgentIdentity): Promise<void> {
    const tasks = (
      await this.core.all(
        this.core.build
          .selectFrom('tasks')
          .select('id')
          .where('agent', '=', identity.id)
          .where('status', 'in', ['open', 'in-progress', 'pending-eval'])
          .orderBy('seq'),
      )
    ).map((r) => r.id);
    if (tasks.length > 0) {
      throw conflict(`agent '${identity.name}' is assigned to unfinished task(s) ${tasks.join(', ')}; 'wg assign TASK --clear' first`);
    }
    await this.core.send(this.core.build.deleteFrom('agency_agents').where('id', '=', identity.id));
  }

  /**
   * Inserts the entry, or overwrites the one with its id (every column of `row`). Written as a template: the builder
   * types an insert for one table, and this one writes each of the five.
   */
  private async put<T extends AgencyTable>(
    table: T,
    on: OnExisting,
    row: Insertable<Tables[`agency_${T}`]> & { id: string },
  ): Promise<boolean> {
    const { id } = row;
    const into = sql.table(`agency_${table}`);
    const exists = (await this.core.get(sql`SELECT 1 FROM ${into} WHERE id = ${id}`)) !== undefined;
    if (exists && on === 'keep') return false;
    if (exists && on === 'refuse') {
      const noun = TABLE_NOUN[table];
      throw conflict(`${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} with identical content already exists (${shortHash(id)})`);
    }
    const columns = Object.keys(row);
    const replace = columns.filter((column) => column !== 'id').map((column) => sql`${sql.ref(column)} = ${sql.ref(`excluded.${column}`)}`);
    await this.core.send(
      sql`INSERT INTO ${into} (${sql.join(columns.map((column) => sql.ref(column)))}) VALUES (${sql.join(Object.values(row))}) ON CONFLICT (id) DO UPDATE SET ${sql.join(replace)}`,
    );
    return true;
  }
}

/** The agency of `store`, to write (the store itself carries only the reads). */
export function agencyWrites(store: { core: StoreCore }): AgencyWrites {
  return new AgencyWrites(store.core);
}
