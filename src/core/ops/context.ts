import type { ChatExchange } from '../../shared/chat';
import type { Agent } from '../../shared/agent';
import type { OpName, OpOutput, OpParsed } from '../../shared/ops/registry';
import type { ServiceStatus } from '../../shared/service-types';
import type { PersonCaller, AgentDaemonsStatus } from '../../shared/agent-daemon-types';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import type { Config } from '../config/config-view';

/** What the running coordinator offers to `service`-scoped operations. */
export interface ServiceControl {
  status(): Promise<ServiceStatus>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  reload(overrides: { maxAgents?: number; model?: string; executor?: string }): Promise<void>;
  /** `wg spawn`: with this run's own executor, model and timeout (seconds) where given; `by`: the person who asked, for the task's log. */
  spawn(taskId: string, override?: { executor?: string; model?: string; timeoutS?: number }, by?: string): Promise<Agent>;
  /** Agent daemons, where the coordinator accepts them. */
  agentDaemonsStatus?(): Promise<AgentDaemonsStatus>;
  /** `wg evaluate run`: an evaluator run on the task now; resolves once its answer is recorded (a dry run is built without it). */
  evaluate?(taskId: string, evaluatorModel?: string): Promise<void>;
  /** `wg chat "…"`: the message to the coordinator agent, answered (or not) within `timeoutS` seconds. */
  chat?(message: string, timeoutS: number): Promise<ChatExchange>;
}

export interface OpContext {
  store: Store;
  paths: ProjectPaths;
  /** Who is acting: an agent id (WG_AGENT_ID), `user`, `api`, `app`, or a person's name (their token's). */
  actor: string;
  /**
   * The agent run the request comes from, when it comes from one: WG_AGENT_ID and WG_RUN_ID in the
   * CLI's environment, `X-WG-Agent`/`X-WG-Run` over HTTP. Its reports are checked against the task,
   * and what it may do at all by run-authority.ts. `credential`: it came with the run's own
   * credential (the API token of an http agent) over TCP, not the project's token, nor over the unix
   * socket (a local run's `wg` on a team's graph, routes.ts).
   */
  agent?: { id: string; runId: string | null; credential?: boolean };
  /**
   * The person a request comes from, when it came with a person's token (`wg token create NAME
   * --person`): the actor is their name, and what they may do is person-authority.ts's rule.
   */
  person?: PersonCaller;
  /** Present only where the coordinator runs (daemon, Electron main). */
  service?: ServiceControl;
  /**
   * Where the coordinator runs: the configuration it runs with (ConfigView.current), so that an operation's look at the
   * settings is no read of config.toml and the team's settings of its own (op-config.ts).
   */
  config?: () => Promise<Config>;
  /** Where a side matter that does not fail the operation is told (a `wg` command: one line on stderr; the service: its log). */
  warn?: (message: string) => void;
}

export type Handler<N extends OpName> = (input: OpParsed<N>, ctx: OpContext) => OpOutput<N> | Promise<OpOutput<N>>;
export type Handlers<N extends OpName = OpName> = { [K in N]: Handler<K> };
