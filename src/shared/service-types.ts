import type { Agent } from './agent';
import type { ConfigEntry } from './config-types';

export interface ServiceStatus {
  /** Upstream's word for `running` (its scripts read `.status` of `wg service status --json`). */
  status: 'running' | 'not_running';
  running: boolean;
  pid: number | null;
  /**
   * It runs (it holds this folder's lock) but did not answer within `waited_ms` (busy with a long write, or starting):
   * what it would say of itself is not known, so started_at, uptime, url and paused are not either.
   */
  not_answering?: { waited_ms: number };
  started_at: string | null;
  uptime_seconds: number | null;
  paused: boolean;
  max_agents: number;
  url: string | null;
  /** `killed` is missing from an older coordinator's answer (it did not count killed runs). */
  agents: { working: number; done: number; failed: number; dead: number; killed?: number };
  recent_errors: Array<{ timestamp: string; message: string }>;
  /** The project cannot be written (a read-only folder): it is shown, nothing runs or changes. */
  read_only?: boolean;
  /** Every effective setting with where it came from (default, global, local, or a service flag: override). */
  settings?: ConfigEntry[];
  /** Why the settings a start would use cannot be read (a broken config.toml): a start would fail so; max_agents is then unknown (0). */
  settings_error?: string;
  /** A team's graph: who holds the coordinator lease and who waits (absent on SQLite, one coordinator per folder). */
  lease?: LeaseStatus;
  /**
   * Beside upstream's wg: why its graph.jsonl (or messages/) is not in step with graph.db as of the last sync, in the
   * sync's own words with what to do, a line each (a merge left conflict markers, a line is not JSON, graph.lock stays
   * held). Absent once a sync succeeds, and for a project without graph.jsonl. The window shows it until then.
   */
  sync_problem?: string;
  /** The agent daemons (`wg agentd`) connected to this coordinator now: how many, and their host names. Running only. */
  agent_daemons?: { connected: number; names: string[] };
  /** Why the running coordinator cannot read its store now (a team's database down): `agents` is then not known (zeros). */
  store_problem?: string;
  /**
   * A team's database that the running coordinator cannot reach (a restart, a failover, a network gone), from when it
   * first could not until it answers again: the coordinator stays up, its runs and its agent daemons' jobs go on, and
   * what it must write waits. Absent while the database answers.
   */
  database_outage?: DatabaseOutageStatus;
  /**
   * What the coordinator's machine lacks for a start (an agent CLI not installed, a first commit), each with the
   * executors whose ready tasks wait for it: they start by themselves once it is there. Absent when nothing waits.
   */
  waiting?: StartWait[];
}

/** A database the coordinator cannot reach now: since when, why in plain words, and how many writes wait for it. */
export interface DatabaseOutageStatus {
  since: string;
  last_error: string;
  waiting: number;
}

/** One thing ready tasks wait for before they can start here: why, in a sentence with what to do, and whose tasks. */
export interface StartWait {
  reason: string;
  executors: string[];
}

export interface KillResult {
  killed: Agent[];
  /** A plain kill: whether the killed runs' tasks were paused (upstream's default) or left to the queue (--redispatch). */
  paused?: boolean;
  /** A team's graph: the runs killed that another coordinator owns, ended through the store only (that coordinator stops their processes). */
  elsewhere?: RunElsewhere[];
  /** The killed runs whose task was no longer theirs (done, or taken by another since): left as it is. */
  not_holding?: string[];
  /** `wg kill --tree TASK`: the task and all downstream of it, the runs killed (or that would be), the tasks abandoned. */
  tree?: { root: string; tasks: string[]; would_kill: Agent[]; abandoned: string[]; no_abandon: boolean; dry_run: boolean };
}

export interface DeadAgentsResult {
  dead: Agent[];
  cleaned: number;
  purged: number;
  /** `--processes`: the working local runs whose process runs, and those whose process is gone. */
  processes?: { alive: RunProcess[]; dead_process: RunProcess[] };
  /** `--purge --delete-dirs`: the runs whose folders were removed. */
  dirs_deleted?: string[];
  /** A team's graph: working runs another coordinator owns (or a lost one's, for the others to take over), left to it. */
  elsewhere?: RunElsewhere[];
}

/**
 * A run of a team's graph that another coordinator owns: never judged or signalled by a pid on this machine. `lost`: its
 * coordinator was declared lost (or it names none), so the coordinators still running take it over.
 */
export interface RunElsewhere {
  id: string;
  task_id: string;
  coordinator_id: string | null;
  /** Where its coordinator runs, as its lease row says (null when the run names none, or the row is gone). */
  host: string | null;
  folder: string | null;
  lost: boolean;
}

interface RunProcess {
  id: string;
  task_id: string;
  pid: number | null;
}

/** One coordinator of a team's graph (PostgreSQL), as the project's lease table has it. */
export interface LeaseMember {
  /** The id of the folder it runs in, the same across its restarts there. */
  id: string;
  /**
   * Every coordinator of a team's graph is active until it stops (`wg service stop`: stopped) or its lease lapses past
   * the sweep's grace (killed, frozen, cut off: lost, and fenced).
   */
  role: 'active' | 'stopped' | 'lost';
  /** Its epoch: a fresh one at each start; bumped when it is declared lost, so its later writes commit nothing. */
  epoch: number;
  host: string;
  folder: string;
  pid: number;
  /** Its API's address (where the project's other coordinators fetch its runs' output); null when it has none. */
  url: string | null;
  started_at: string;
  /** When it became active at this epoch. */
  since: string | null;
  renewed_at: string;
  /** By the database's clock: how long its lease lasts without another renewal (negative: lapsed). */
  expires_in_ms: number;
  /** An active row of this machine whose process is not running (killed): its lease lapses on its own. */
  gone?: boolean;
}

/** Who coordinates a team's graph: every coordinator of the project, each active with a lease of its own. */
export interface LeaseStatus {
  /**
   * This coordinator's id, and what it is now (null and 'not running' when no coordinator runs in this folder; null and
   * 'not answering' when one runs here but did not answer, so what it is now was not heard).
   */
  me: string | null;
  role: 'active' | 'fenced' | 'not running' | 'not answering';
  /** Every coordinator the lease table names, active ones first. */
  coordinators: LeaseMember[];
}
