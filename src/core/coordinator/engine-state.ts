import { type RawBuilder, sql } from 'kysely';
import type { Store } from '../store/store';
import type { Config } from '../config/config-view';
import { profileFor } from '../deciding/executor-choice';
import { type AgentView, usesSlot, type ReadyTask, type SchedulerState } from '../deciding/scheduler-types';
import { teamShare } from '../deciding/team-share';
import { heartbeatTimeoutSeconds } from '../config/settings';
import { type LaunchRecords, workingAgents } from '../runs/run-views';
import { inFlight } from '../store/in-flight';
import { errorText } from '../../shared/errors';
import { tasksChosenBy, type TasksRead } from '../store/task-reads';

/** A ready task's columns the scheduler's view of it rests on (besides its being ready). */
export interface ReadyRow {
  id: string;
  executor: string | null;
  exec: string | null;
  agent: string | null;
  /** The task's own model: with no executor named, it decides which executor runs the task (executor-choice.ts). */
  model: string | null;
}

/**
 * Ready tasks in queue order, only the columns the scheduler needs. Tasks whose own executor is a
 * manual profile are left out in SQL: never launched, they would only make the tick read further
 * (a project full of manual gates ahead of the work read 16, 64, then 256 whole rows every tick).
 * Tasks for agent daemons likewise: the remote dispatcher reads those itself.
 */
function readyQuery(store: Store, config: Config, now: Date, limit: number): RawBuilder<ReadyRow> {
  const { core } = store;
  const manual = config.profiles.filter((p) => p.type === 'manual' || p.type === 'remote').map((p) => p.name);
  // Upstream's system tasks (.assign-x, .evaluate-x, …) are not started as agent tasks (agency/system-tasks.ts runs
  // those; wg spawn can), except `.verify-x`, which upstream's coordinator gives an agent like any task (runsAsAgentTask).
  // A task someone is assigned (`wg add --assign`) is theirs to claim: upstream's dispatcher skips it too.
  return sql<ReadyRow>`SELECT id, executor, exec, agent, model FROM ${core.fn.indexed('tasks', 'tasks_ready')}
     WHERE ${core.ready.readyAt(now.toISOString())} AND (substr(id, 1, 1) <> '.' OR substr(id, 1, 8) = '.verify-') AND assigned IS NULL
     ${manual.length > 0 ? sql`AND (executor IS NULL OR ${core.fn.notInList(sql.ref('executor'), manual)})` : sql``}
     ORDER BY ${core.ready.readyOrder} LIMIT ${limit}`;
}

function readyView(row: ReadyRow, config: Config, input: Pick<StateInput, 'held'>, needsIdentity: NeedsIdentity | undefined): ReadyTask {
  try {
    const profile = profileFor(row, config.settings, config.profiles);
    const needs = needsIdentity?.(row, profile.type) ?? false;
    // A task whose model or identity may route its run to another executor is held only by its own refused claim.
    const routable = row.executor === null && (row.model !== null || row.agent !== null);
    const held = input.held?.(profile.name, row.id, routable) ?? null;
    return {
      id: row.id,
      manual: profile.type === 'manual',
      remote: profile.type === 'remote',
      unlaunchable: null,
      needs_identity: needs,
      ...(held === null ? {} : { held }),
    };
  } catch (error) {
    return {
      id: row.id,
      manual: false,
      remote: false,
      unlaunchable: `cannot launch: ${errorText(error)}`,
    };
  }
}

type NeedsIdentity = (task: { id: string; agent: string | null }, executorType: string) => boolean;

export interface StateInput {
  store: Store;
  config: Config;
  records: LaunchRecords;
  now: Date;
  paused: boolean;
  /** Local runs the coordinator watches. */
  watched: string[];
  /**
   * How many ready tasks to look at, given how many runs use a slot now: never more for more runs. The most (none
   * busy) is read together with the runs, and what the runs leave room for is kept.
   */
  readyLimit(busy: number): number;
  /**
   * How many times the usual read a turn asks for, having found the tasks it read not startable (manual ones): the
   * team's cap shortens a read as much as the free slots do, so it widens it as much (1 when not said).
   */
  widen?: number;
  /** On a team's graph, this coordinator's id: it judges only its own runs, and counts the others' toward the team's cap. */
  me?: string | null;
  /** On a team's graph, the live coordinators' capacities (null: not said), by which the team's cap is shared out. */
  teamCapacities?: (number | null)[];
  /** Whether a ready task must be given an identity before it starts (the agency's auto-assign). */
  needsIdentity?: Promise<NeedsIdentity>;
  /** Why a ready task of this executor cannot start on this machine for now (coordinator/start-holds.ts), or null. */
  held?: (executor: string, taskId: string, routable: boolean) => string | null;
  /**
   * The ready tasks it reads are read whole too (their rows, logs, dependencies, tags and worktrees), by the same
   * statement's choice and in the same go: the claims of a turn that reads its state inside its write turn then need no
   * read of their own (TickState.whole).
   */
  whole?: boolean;
}

/** The team's cap, the others' runs, and this coordinator's share of the cap (a coordinator that says no capacity counts as able to use it all). */
function teamInput(cap: number, othersBusy: number, capacities: (number | null)[]): NonNullable<SchedulerState['team']> {
  if (capacities.length === 0) return { max_agents: cap, others_busy: othersBusy };
  return {
    max_agents: cap,
    others_busy: othersBusy,
    share: teamShare(
      cap,
      capacities.map((c) => c ?? cap),
    ),
  };
}

/** What the scheduler reads for a tick: the state, and how many ready rows it read of how many it asked for (and those rows). */
export interface TickState {
  state: SchedulerState;
  readyRows: number;
  readyLimit: number;
  rows: ReadyRow[];
  /**
   * The ready tasks read whole (StateInput.whole), as they were when read, for the claims that follow at once (no other
   * write between): null when not asked for.
   */
  whole: TasksRead | null;
}

/**
 * One consistent-enough snapshot for the scheduler; effects re-check their preconditions in their own transaction. Its
 * reads are sent before its first await, so they travel with whatever the caller sends before awaiting it (one round
 * trip on PostgreSQL): the runs, and as many ready tasks as could have room.
 */
export async function readSchedulerState(input: StateInput): Promise<TickState> {
  const { store, config } = input;
  const most = input.readyLimit(0);
  const runs = inFlight(workingAgents(store, input.records, config.settings, input.me ?? null));
  const query = readyQuery(store, config, input.now, most);
  const ready = most > 0 ? inFlight(store.core.all(query)) : Promise.resolve([]);
  const whole = most > 0 && input.whole ? tasksChosenBy(store.core, query) : Promise.resolve(null);
  const [running, rows, needsIdentity, wholeRows] = await Promise.all([runs, ready, input.needsIdentity, whole]);
  return { ...schedulerRead(input, running, rows, needsIdentity), whole: wholeRows };
}

function schedulerRead(
  input: StateInput,
  runs: { mine: AgentView[]; others: AgentView[] },
  ready: ReadyRow[],
  needsIdentity: NeedsIdentity | undefined,
): Omit<TickState, 'whole'> {
  const { config, now } = input;
  const { settings } = config;
  const { mine: working, others } = runs;
  const slotted = (a: { kind: Parameters<typeof usesSlot>[0]; internal: boolean }) => usesSlot(a.kind) && !a.internal;
  const cap = settings.coordinator.team_max_agents;
  const team = cap !== null && input.me ? teamInput(cap, others.filter(slotted).length, input.teamCapacities ?? []) : undefined;
  const busy = working.filter(slotted).length;
  // Beyond the team's cap (or this coordinator's share of it) the free slots are fewer than its own: so is what is read.
  const readyLimit = Math.min(
    input.readyLimit(busy),
    team
      ? (Math.max(0, Math.min(team.max_agents - team.others_busy, team.share ?? team.max_agents) - busy) + 2) * (input.widen ?? 1)
      : Number.POSITIVE_INFINITY,
  );
  const rows = ready.slice(0, Math.max(0, readyLimit));
  return {
    state: {
      now_ms: now.getTime(),
      paused: input.paused,
      max_agents: settings.coordinator.max_agents,
      heartbeat_timeout_s: heartbeatTimeoutSeconds(settings),
      default_max_retries: settings.agent.max_retries,
      auto_triage: settings.coordinator.auto_triage,
      ready: rows.map((row) => readyView(row, config, input, needsIdentity)),
      working,
      ...(team ? { team } : {}),
      watched: input.watched,
    },
    readyRows: rows.length,
    readyLimit,
    rows,
  };
}
