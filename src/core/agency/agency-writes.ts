import { shortHash, type DesiredOutcome, type Role, type RoleComponent, type Tradeoff, type AgentIdentity } from '../../shared/agency';
import { conflict } from '../../shared/errors';
import type { Extra } from './agency-rows';
import { AgencyStore, names } from './agency-store';
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

const TABLE_NOUN: Record<string, string> = {
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
    return this.put('components', c.id, on, [
      'id, name, description, category, content, scope, extra, created_at',
      [c.id, c.name, c.description, c.category, json(c.content), c.scope, json(extra), this.core.nowIso()],
    ]);
  }

  async putOutcome(o: DesiredOutcome, on: OnExisting, extra: Extra = {}): Promise<boolean> {
    return this.put('outcomes', o.id, on, [
      'id, name, description, success_criteria, scope, extra, created_at',
      [o.id, o.name, o.description, json(o.success_criteria), o.scope, json(extra), this.core.nowIso()],
    ]);
  }

  async putTradeoff(t: Omit<Tradeoff, 'created_at'> & { created_at?: string }, on: OnExisting, extra: Extra = {}): Promise<boolean> {
    return this.put('tradeoffs', t.id, on, [
      'id, name, description, acceptable, unacceptable, scope, extra, created_at',
      [t.id, t.name, t.description, json(t.acceptable), json(t.unacceptable), t.scope, json(extra), t.created_at ?? this.core.nowIso()],
    ]);
  }

  /** Stores a role under the hash of its parts; returns its id. */
  async putRole(input: RoleInput, on: OnExisting, extra: Extra = {}, createdAt?: string): Promise<string> {
    const id = roleHash(input.component_ids, input.outcome_id);
    await this.put('roles', id, on, [
      'id, name, description, component_ids, outcome_id, default_exec_mode, default_context_scope, extra, created_at',
      [
        id,
        input.name,
        input.description,
        json(input.component_ids),
        input.outcome_id,
        input.default_exec_mode ?? null,
        input.default_context_scope ?? null,
        json(extra),
        createdAt ?? this.core.nowIso(),
      ],
    ]);
    return id;
  }

  /** Stores an identity under the hash of its role and tradeoff; returns its id. */
  async putIdentity(input: IdentityInput, on: OnExisting, extra: Extra = {}, createdAt?: string): Promise<string> {
    const id = identityHash(input.role_id, input.tradeoff_id);
    await this.put('agents', id, on, [
      'id, name, role_id, tradeoff_id, executor, model, provider, capabilities, extra, created_at',
      [
        id,
        input.name,
        input.role_id,
        input.tradeoff_id,
        input.executor ?? 'claude',
        input.model ?? null,
        input.provider ?? null,
        json(input.capabilities ?? []),
        json(extra),
        createdAt ?? this.core.nowIso(),
      ],
    ]);
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
      await this.core.sql('UPDATE agency_roles SET name = ?, description = ? WHERE id = ?').send(next.name, next.description, id);
      return id;
    }
    if (await this.core.sql('SELECT 1 FROM agency_roles WHERE id = ?').get(id)) {
      throw conflict(`a role with these skills and outcome already exists (${shortHash(id)})`);
    }
    const extra = (await this.extras('roles')).get(role.id)?.extra ?? {};
    await this.putRole(next, 'refuse', extra, role.created_at);
    for (const agent of (await this.identities()).filter((a) => a.role_id === role.id)) {
      const moved = identityHash(id, agent.tradeoff_id);
      await this.core.sql('UPDATE agency_agents SET id = ?, role_id = ? WHERE id = ?').send(moved, id, agent.id);
      await this.core.sql('UPDATE tasks SET agent = ? WHERE agent = ?').send(moved, agent.id);
      await this.core.sql('UPDATE agency_assignments SET agent_id = ? WHERE agent_id = ?').send(moved, agent.id);
      await this.core.sql('UPDATE evaluations SET agent_id = ?, role_id = ? WHERE agent_id = ?').send(moved, id, agent.id);
    }
    await this.core.sql('DELETE FROM agency_roles WHERE id = ?').send(role.id);
    return id;
  }

  async removeRole(role: Role): Promise<void> {
    const users = (await this.identities()).filter((a) => a.role_id === role.id);
    if (users.length > 0) throw conflict(`role '${role.name}' is used by ${names(users)}; remove those agents first`);
    await this.core.sql('DELETE FROM agency_roles WHERE id = ?').send(role.id);
  }

  async removeTradeoff(tradeoff: Tradeoff): Promise<void> {
    const users = (await this.identities()).filter((a) => a.tradeoff_id === tradeoff.id);
    if (users.length > 0) throw conflict(`tradeoff '${tradeoff.name}' is used by ${names(users)}; remove those agents first`);
    await this.core.sql('DELETE FROM agency_tradeoffs WHERE id = ?').send(tradeoff.id);
  }

  /** Refused while unfinished tasks carry the identity: they would lose who they are mid-flight. */
  async removeIdentity(identity: AgentIdentity): Promise<void> {
    const tasks = (
      await this.core
        .sql<{ id: string }>("SELECT id FROM tasks WHERE agent = ? AND status IN ('open', 'in-progress', 'pending-eval') ORDER BY seq")
        .all(identity.id)
    ).map((r) => r.id);
    if (tasks.length > 0) {
      throw conflict(`agent '${identity.name}' is assigned to unfinished task(s) ${tasks.join(', ')}; 'wg assign TASK --clear' first`);
    }
    await this.core.sql('DELETE FROM agency_agents WHERE id = ?').send(identity.id);
  }

  private async put(table: string, id: string, on: OnExisting, [columns, values]: [string, unknown[]]): Promise<boolean> {
    const exists = (await this.core.sql(`SELECT 1 FROM agency_${table} WHERE id = ?`).get(id)) !== undefined;
    if (exists && on === 'keep') return false;
    if (exists && on === 'refuse') {
      const noun = TABLE_NOUN[table] ?? table;
      throw conflict(`${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} with identical content already exists (${shortHash(id)})`);
    }
    const marks = values.map(() => '?').join(', ');
    const replace = columns
      .split(',')
      .map((column) => column.trim())
      .filter((column) => column !== 'id')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    await this.core
      .sql(`INSERT INTO agency_${table} (${columns}) VALUES (${marks}) ON CONFLICT (id) DO UPDATE SET ${replace}`)
      .send(...values);
    return true;
  }
}

/** The agency of `store`, to write (the store itself carries only the reads). */
export function agencyWrites(store: { core: StoreCore }): AgencyWrites {
  return new AgencyWrites(store.core);
}
