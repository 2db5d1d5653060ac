import type {
  AgentIdentity,
  ComponentCategory,
  ContentRef,
  DesiredOutcome,
  Role,
  RoleComponent,
  Skill,
  Tradeoff,
} from '../../../shared/agency';

/* The agency tables as SQLite returns them, and their conversion to the shared shapes. */

/** Fields of upstream's YAML this app does not model (lineage, access control, quality, …), kept for export. */
export type Extra = Record<string, unknown>;

export interface ComponentRow {
  id: string;
  name: string;
  description: string;
  category: string;
  content: string;
  scope: string | null;
  extra: string;
  created_at: string;
}
export interface OutcomeRow {
  id: string;
  name: string;
  description: string;
  success_criteria: string;
  scope: string | null;
  extra: string;
  created_at: string;
}
export interface TradeoffRow {
  id: string;
  name: string;
  description: string;
  acceptable: string;
  unacceptable: string;
  scope: string | null;
  extra: string;
  created_at: string;
}
export interface RoleRow {
  id: string;
  name: string;
  description: string;
  component_ids: string;
  outcome_id: string;
  default_exec_mode: string | null;
  default_context_scope: string | null;
  extra: string;
  created_at: string;
}
/** A row of `agency_agents`: an agent identity (the `agents` table of runs is store/rows.ts `AgentRow`). */
export interface IdentityRow {
  id: string;
  name: string;
  role_id: string;
  tradeoff_id: string;
  executor: string;
  model: string | null;
  provider: string | null;
  capabilities: string;
  extra: string;
  created_at: string;
}

const list = (json: string): string[] => JSON.parse(json) as string[];

export function toComponent(row: ComponentRow): RoleComponent {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    category: row.category as ComponentCategory,
    content: JSON.parse(row.content) as ContentRef,
    scope: row.scope,
  };
}

export function toOutcome(row: OutcomeRow): DesiredOutcome {
  return { id: row.id, name: row.name, description: row.description, success_criteria: list(row.success_criteria), scope: row.scope };
}

export function toTradeoff(row: TradeoffRow): Tradeoff {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    acceptable: list(row.acceptable),
    unacceptable: list(row.unacceptable),
    scope: row.scope,
    created_at: row.created_at,
  };
}

/** A role with its skills and outcome resolved against the stored primitives (ids that name none stay as given). */
export function toRole(row: RoleRow, components: ReadonlyMap<string, RoleComponent>, outcomes: ReadonlyMap<string, DesiredOutcome>): Role {
  const componentIds = list(row.component_ids);
  const skills: Skill[] = componentIds.map((id) => {
    const c = components.get(id);
    return c ? { id, name: c.name, description: c.description } : { id, name: id, description: null };
  });
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    component_ids: componentIds,
    outcome_id: row.outcome_id,
    skills,
    outcome: outcomes.get(row.outcome_id)?.description ?? row.outcome_id,
    default_exec_mode: row.default_exec_mode,
    default_context_scope: row.default_context_scope,
    created_at: row.created_at,
  };
}

export function toIdentity(row: IdentityRow): AgentIdentity {
  return {
    id: row.id,
    name: row.name,
    role_id: row.role_id,
    tradeoff_id: row.tradeoff_id,
    executor: row.executor,
    model: row.model,
    provider: row.provider,
    capabilities: list(row.capabilities),
    created_at: row.created_at,
  };
}
