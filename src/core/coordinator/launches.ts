import type { Agent } from '../../shared/agent';
import { errorText, WgError } from '../../shared/errors';
import type { ConfigView } from '../config/config-view';
import { heartbeatTimeoutSeconds } from '../config/settings';
import { deadlineOf } from '../deciding/deadlines';
import type { EngineLog } from '../engine-log';
import type { StartGate } from '../leases/start-gate';
import type { ProjectPaths } from '../project';
import { type ClaimOutcome, claimTask, claimTasks, type Claimed, type SpawnOverride } from '../runs/claiming/claim';
import type { AgentJudge } from '../runs/judging/agent-judge';
import type { LocalRuns } from '../runs/local-runs';
import { type LaunchRecords, toAgentView } from '../runs/run-views';
import { failUnlaunchable } from '../runs/settling/settle';
import { isDamageError } from '../store/db-file';
import { WriteEndedError } from '../store/sql-connection';
import type { Store } from '../store/store';
import type { TasksRead } from '../store/task-reads';
import type { TurnInbox } from './turn-inbox';
import type { WakeTimers } from './wake-timers';
import { noteWaiting } from '../runs/claiming/waiting-note';
import type { StartHolds } from './start-holds';
import { ClaimWaits } from '../runs/claiming/claim-waits';

/** What the coordinator's launching works with: the engine's own parts (engine.ts). */
export interface LaunchParts {
  store: Store;
  paths: ProjectPaths;
  log: EngineLog;
  config: ConfigView;
  records: LaunchRecords;
  timers: WakeTimers;
  runs: LocalRuns;
  judge: AgentJudge;
  inbox: TurnInbox;
  starts: StartGate;
  /** Where agents reach the API, once the server listens. */
  api: () => { url: string | null; token: string | null };
  env: NodeJS.ProcessEnv;
  /** What this machine lacks for a start (an agent CLI, a first commit), and the tasks waiting for it. */
  holds: StartHolds;
  /** A claim was refused so: the turn's slot went unused, and the coordinator should look again. */
  refused: () => void;
}

/** A failure that ends the turn under way (its transaction is over): the turn, not a claim, says it. */
const endsTheTurn = (error: unknown) => isDamageError(error) || error instanceof WriteEndedError;

/**
 * The coordinator's launching: claims, made in a turn's transaction (or by hand, `wg spawn`), each arming its run's
 * deadline; and the starts of the claimed runs once that transaction has committed. A start that fails is judged at
 * once; one the lease holds back waits for its renewal. Every start is kept until it settles, so that a stop waits for
 * the runs being spawned.
 */
export class Launches {
  private readonly starting = new Set<Promise<unknown>>();

  constructor(private readonly o: LaunchParts) {}

  /**
   * Claims ready tasks in the transaction under way, in their order (their tasks read in one go); the claims made.
   * A task that cannot run as configured is failed rather than tried again every tick; another refusal is logged.
   */
  async claimReady(taskIds: readonly string[], known: TasksRead | null = null): Promise<Claimed[]> {
    const api = this.o.api();
    const requests = taskIds.map((taskId) => ({ taskId, byHand: false, apiUrl: api.url, apiToken: api.token, hostEnv: this.o.env }));
    let outcomes: ClaimOutcome[];
    try {
      outcomes = await claimTasks(this.o.store, this.o.paths, await this.o.config.current(), requests, endsTheTurn, known);
    } catch (error) {
      if (endsTheTurn(error)) throw error;
      outcomes = taskIds.map(() => ({ ok: false, error }));
    }
    const claimed: Claimed[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const taskId = taskIds[index] as string;
      try {
        if (outcome.ok) {
          claimed.push(await this.noted(outcome.claimed));
          continue;
        }
        if (outcome.error instanceof ClaimWaits) {
          await this.wait(taskId, outcome.error);
          continue;
        }
        const reason = errorText(outcome.error);
        if (outcome.error instanceof WgError && outcome.error.code === 'invalid')
          await failUnlaunchable(this.o.store, taskId, `cannot launch: ${reason}`, this.o.log);
        else this.o.log.warn(`launch of ${taskId} skipped: ${reason}`);
      } catch (error) {
        if (endsTheTurn(error)) throw error;
        this.o.log.error(`launch failed: ${errorText(error)}`);
      }
    }
    return claimed;
  }

  /** The task stays open and waits; its executor's other tasks are passed over until what they wait for is there. */
  private async wait(taskId: string, waits: ClaimWaits): Promise<void> {
    const news = this.o.holds.hold(waits, taskId);
    if (news.newHold) this.o.log.error(`tasks of executor '${waits.executor}' wait: ${waits.message}`);
    if (news.tellTask) await noteWaiting(this.o.store, taskId, waits);
    this.o.refused();
  }

  /** Claims the task by hand (a write: inside the current transaction, if any). */
  async claimByHand(taskId: string, override?: SpawnOverride, by?: string): Promise<Claimed> {
    const api = this.o.api();
    return this.noted(
      await claimTask(this.o.store, this.o.paths, await this.o.config.current(), {
        taskId,
        byHand: true,
        override,
        by,
        apiUrl: api.url,
        apiToken: api.token,
        hostEnv: this.o.env,
      }),
    );
  }

  /** Starts a committed claim's run; kept among the starts a stop waits for until it settles. */
  start(claimed: Claimed): Promise<Agent> {
    const started = this.begin(claimed);
    this.starting.add(started);
    const done = () => this.starting.delete(started);
    started.then(done, done);
    return started;
  }

  /** Settles once every start under way has (a stop waits so: no run is found spawning after it). */
  async startsSettled(): Promise<void> {
    await Promise.allSettled([...this.starting]);
  }

  /** A claim just made: its launch record kept, and its run's deadline armed (the tick that claimed it did not know it). */
  private async noted(claimed: Claimed): Promise<Claimed> {
    this.o.runs.willStart(claimed);
    this.o.records.set(claimed.agent.id, claimed.record);
    const { settings } = await this.o.config.current();
    const { task, agent, record } = claimed;
    const view = toAgentView(
      agent,
      {
        id: task.id,
        status: 'in-progress',
        assigned: agent.id,
        retry_count: task.retry_count,
        max_retries: task.max_retries,
        failure_reason: task.failure_reason,
      },
      record,
      settings,
    );
    const deadline = deadlineOf(view, { heartbeat_timeout_s: heartbeatTimeoutSeconds(settings) });
    if (deadline !== null) this.o.timers.deadlineNoLaterThan(deadline);
    return claimed;
  }

  private async begin(claimed: Claimed): Promise<Agent> {
    const started = await this.o.runs.start(claimed);
    const id = claimed.agent.id;
    if (started.kind === 'failed') {
      this.o.log.warn(`${id} on ${claimed.task.id} did not start: ${started.reason}`);
      await this.o.judge.launchFailed(id, started.reason, started.detail);
      return this.o.store.agents.get(id);
    }
    if (started.kind === 'remote') return claimed.agent;
    if (started.kind === 'held') {
      // Its lease could have lapsed since the claim (a freeze, say): another may have been given the run meanwhile.
      // Started only once a renewal shows the lease still its own; if it was lost, never.
      this.o.starts.hold(() => void this.start(claimed));
      this.o.log.info(`${id} on ${claimed.task.id} waits to start until this coordinator's lease is renewed`);
      return claimed.agent;
    }
    this.o.inbox.started(id, started.pid);
    return { ...claimed.agent, pid: started.pid };
  }
}
