import type { Generated } from 'kysely';

/**
 * The store's tables as the query builder sees them (kysely's typing of every query's columns and rows), one
 * interface per table of the migrations' schema. Made from the schema itself: test/store/query-tables.test.ts
 * writes it anew from a migrated SQLite store and fails when this file differs, so a migration that adds a column
 * also adds it here (the test prints the text to paste). `Generated` marks a column with a default (an insert may
 * leave it out). PostgreSQL's schema has the same columns (postgres/pg-schema.ts) plus `wg_rowid` where SQLite has
 * an implicit rowid, which rows never carry.
 */

export interface AgencyAgentsTable {
  id: string;
  name: string;
  role_id: string;
  tradeoff_id: string;
  executor: Generated<string>;
  model: string | null;
  provider: string | null;
  capabilities: Generated<string>;
  extra: Generated<string>;
  created_at: string;
}

export interface AgencyAssignmentsTable {
  task_id: string;
  agent_id: string;
  exec_mode: string | null;
  context_scope: string | null;
  reason: string;
  source: string;
  timestamp: string;
}

export interface AgencyComponentsTable {
  id: string;
  name: string;
  description: string;
  category: string;
  content: string;
  scope: string | null;
  extra: Generated<string>;
  created_at: string;
}

export interface AgencyFilesTable {
  path: string;
  hash: string;
}

export interface AgencyOutcomesTable {
  id: string;
  name: string;
  description: string;
  success_criteria: Generated<string>;
  scope: string | null;
  extra: Generated<string>;
  created_at: string;
}

export interface AgencyRolesTable {
  id: string;
  name: string;
  description: Generated<string>;
  component_ids: Generated<string>;
  outcome_id: Generated<string>;
  default_exec_mode: string | null;
  default_context_scope: string | null;
  extra: Generated<string>;
  created_at: string;
}

export interface AgencyTradeoffsTable {
  id: string;
  name: string;
  description: string;
  acceptable: Generated<string>;
  unacceptable: Generated<string>;
  scope: string | null;
  extra: Generated<string>;
  created_at: string;
}

export interface AgentTokensTable {
  name: string;
  hash: string;
  last4: string;
  roles: Generated<string>;
  repos: Generated<string>;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  kind: Generated<string>;
}

export interface AgentsTable {
  id: string;
  task_id: string;
  executor: string;
  model: string | null;
  model_source: string | null;
  pid: number | null;
  state: string;
  runs_elsewhere: Generated<number>;
  started_at: string;
  ended_at: string | null;
  last_heartbeat: string | null;
  exit_code: number | null;
  reason: string | null;
  output_path: string | null;
  session_id: string | null;
  cost_usd: Generated<number>;
  tokens_in: Generated<number>;
  tokens_out: Generated<number>;
  turns: Generated<number>;
  rev: number;
  launch: string | null;
  run_id: string | null;
  purpose: Generated<string>;
  coordinator_id: string | null;
}

export interface CoordinatorsTable {
  id: string;
  role: string;
  epoch: Generated<number>;
  host: string;
  folder: string;
  pid: number;
  url: string | null;
  started_at: number;
  since: number | null;
  renewed_at: number;
  expires_at: number;
  output_key: string | null;
  capacity: number | null;
  agent_daemons: string | null;
}

export interface DaemonJobsTable {
  lease_id: string;
  agent_id: string;
  task_id: string;
  token_name: string;
  daemon_host: string;
  repo: string;
  role: string | null;
  state: string;
  created_at: string;
  claimed_at: string | null;
  expires_at: string;
  ended_at: string | null;
  outcome: string | null;
}

export interface DepsTable {
  task_id: string;
  dep_id: string;
}

export interface EvaluationsTable {
  id: Generated<number>;
  task_id: string;
  agent_id: string | null;
  role_id: string | null;
  tradeoff_id: string | null;
  score: number;
  dimensions: Generated<string>;
  notes: string | null;
  evaluator: string | null;
  model: string | null;
  source: string;
  timestamp: string;
  upstream_id: string | null;
  upstream_file: string | null;
  loop_iteration: Generated<number>;
}

export interface InternalClaimsTable {
  task_id: string;
  purpose: string;
  coordinator_id: string | null;
  claimed_at: string;
}

export interface LooseDepsTable {
  task_id: string;
  dep_id: string;
  kind: string;
}

export interface MessageCursorsTable {
  reader: string;
  task_id: string;
  cursor: number;
}

export interface MessagesTable {
  task_id: string;
  seq: number;
  timestamp: string;
  sender: string;
  body: string;
  priority: string;
  status: string;
  read_at: string | null;
  agent_id: string | null;
}

export interface MetaTable {
  key: string;
  value: number;
}

export interface OtherNodesTable {
  id: string;
  seq: number;
  node: string;
}

export interface ProjectTable {
  id: Generated<number>;
  rev: number;
}

export interface TaskLogTable {
  id: Generated<number>;
  task_id: string;
  timestamp: string;
  actor: string;
  message: string;
  user: string | null;
}

export interface TaskTagsTable {
  task_id: string;
  tag: string;
}

export interface TasksTable {
  id: string;
  seq: number;
  title: string;
  description: Generated<string>;
  status: string;
  paused: Generated<number>;
  priority: Generated<number>;
  model: string | null;
  executor: string | null;
  exec: string | null;
  schedule: string | null;
  not_before: string | null;
  assigned: string | null;
  agent: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  artifacts: Generated<string>;
  results: Generated<string>;
  retry_count: Generated<number>;
  max_retries: number | null;
  repo: string | null;
  role: string | null;
  failure_reason: string | null;
  evaluation: string | null;
  session_id: string | null;
  cost_usd: Generated<number>;
  tokens_in: Generated<number>;
  tokens_out: Generated<number>;
  extra: Generated<string>;
  blockers: Generated<number>;
  rev: number;
  rescue_count: Generated<number>;
  eval_attempts: Generated<number>;
}

export interface TeamSettingsTable {
  key: string;
  value: string;
  rev: number;
}

export interface WorktreesTable {
  id: string;
  task_id: string;
  agent_id: string | null;
  path: string;
  branch: string;
  base_branch: string;
  base_commit: string;
  owner: string;
  state: string;
  merge_commit: string | null;
  conflict_files: Generated<string>;
  setup_files: Generated<string>;
  recover_branch: string | null;
  created_at: string;
  updated_at: string;
  rev: number;
  decided_pass: string | null;
  merge_at_end: Generated<number>;
}

export interface Tables {
  agency_agents: AgencyAgentsTable;
  agency_assignments: AgencyAssignmentsTable;
  agency_components: AgencyComponentsTable;
  agency_files: AgencyFilesTable;
  agency_outcomes: AgencyOutcomesTable;
  agency_roles: AgencyRolesTable;
  agency_tradeoffs: AgencyTradeoffsTable;
  agent_tokens: AgentTokensTable;
  agents: AgentsTable;
  coordinators: CoordinatorsTable;
  daemon_jobs: DaemonJobsTable;
  deps: DepsTable;
  evaluations: EvaluationsTable;
  internal_claims: InternalClaimsTable;
  loose_deps: LooseDepsTable;
  message_cursors: MessageCursorsTable;
  messages: MessagesTable;
  meta: MetaTable;
  other_nodes: OtherNodesTable;
  project: ProjectTable;
  task_log: TaskLogTable;
  task_tags: TaskTagsTable;
  tasks: TasksTable;
  team_settings: TeamSettingsTable;
  worktrees: WorktreesTable;
}
