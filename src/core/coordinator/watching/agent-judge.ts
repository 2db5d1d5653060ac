import { groupAlive } from '../../agents/process-group';
import type { ProjectPaths } from '../../project';
import type { Store } from '../../store/store';
import type { ConfigView } from '../config-view';
import { agentViewById, type LaunchRecords } from '../engine-state';
import { resumeFailed, runPid } from './reconcile';
import type { RunExit } from './run-monitor';
import { decide, isSettling } from '../deciding/scheduler';
import type { Action, AgentView, SchedulerEvent, SchedulerState } from '../deciding/scheduler-types';
import { triageDead } from '../triage/triage-apply';
import { heartbeatTimeoutSeconds } from '../../config/settings';

export interface JudgeDeps {
  store: Store;
  paths: ProjectPaths;
  records: LaunchRecords;
  config: ConfigView;
  env: NodeJS.ProcessEnv;
  log: { info(message: string): void; error(message: string): void };
  perform(actions: Action[]): void;
  /** The store changed: the engine should look at the whole picture again. */
  wake(): void;
  stopping(): boolean;
  paused(): boolean;
}

/** Grace after a run's group is gone before a signal death is judged: a `wg kill` records itself just then. */
const KILL_RECORD_GRACE_MS = 500;
/** The killer's own windows: SIGTERM grace (5 s) then SIGKILL (2 s). */
const KILLER_WINDOW_MS = 8000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Decides about one agent at a time: how its run ended, a launch that failed, what triage said.
 * The agent is read from the store at that moment and the pure scheduler gives the actions.
 * Judgements that wait (a signal death's grace, a triage run) mark the agent `busy` meanwhile.
 */
export class AgentJudge {
  readonly busy = new Set<string>();

  constructor(private readonly d: JudgeDeps) {}

  exited(exit: RunExit): void {
    if (this.d.stopping()) return;
    const view = this.view(exit.agentId);
    if (!view || view.state !== 'working') return;
    const judge = (current: AgentView | undefined) => {
      const resume = resumeFailed(this.d.paths, exit.agentId, this.d.records.get(exit.agentId), exit.code);
      this.decideFor(current, (agent) => ({
        type: 'exited', agent, code: exit.code, signal: exit.signal, stderr_tail: exit.stderrTail, resume_failed: resume,
      }));
    };
    if (exit.code !== null) {
      judge(view);
      return;
    }
    // Died by a signal: possibly `wg kill`, which records the kill only once the whole group is gone.
    const agent = this.d.store.agents.find(exit.agentId);
    this.busy.add(exit.agentId);
    void this.afterGroupGone(agent ? runPid(this.d.paths, agent) : null).then(() => {
      this.busy.delete(exit.agentId);
      if (!this.d.stopping()) judge(this.view(exit.agentId));
    });
  }

  launchFailed(agentId: string, reason: string): void {
    this.decide(agentId, (agent) => ({ type: 'launch-failed', agent, reason }));
  }

  /** Any other event about one agent (a remote run's end), judged now. */
  judge(agentId: string, event: (agent: AgentView) => SchedulerEvent): void {
    this.decide(agentId, event);
  }

  triage(agentId: string, reason: string): void {
    if (this.busy.has(agentId)) return;
    this.busy.add(agentId);
    void triageDead({ store: this.d.store, paths: this.d.paths, config: this.d.config.current(), env: this.d.env, agentId })
      .catch((error: unknown) => ({ verdict: 'restart' as const, note: `triage failed (${String(error)})` }))
      .then((answer) => {
        this.busy.delete(agentId);
        if (this.d.stopping() || !answer) return;
        this.d.log.info(`triage of ${agentId}: ${answer.verdict} (${answer.note})`);
        this.decide(agentId, (agent) => ({ type: 'triaged', agent, verdict: answer.verdict, reason }));
      });
  }

  /** Waits as the killer does (kill(-pgid, 0) failing, zombies included), within its windows. */
  private async afterGroupGone(pid: number | null): Promise<void> {
    const deadline = Date.now() + KILLER_WINDOW_MS;
    while (pid !== null && groupAlive(pid) && Date.now() < deadline) await sleep(50);
    await sleep(KILL_RECORD_GRACE_MS);
  }

  private view(agentId: string): AgentView | undefined {
    return agentViewById(this.d.store, agentId, this.d.records, this.d.config.current().settings);
  }

  private decide(agentId: string, event: (agent: AgentView) => SchedulerEvent): void {
    this.decideFor(this.view(agentId), event);
  }

  private decideFor(agent: AgentView | undefined, event: (agent: AgentView) => SchedulerEvent): void {
    if (!agent) return;
    const { actions } = decide(this.settingsOnly(), event(agent));
    this.d.perform(actions);
    // A run that is over (settled now, or already by someone else) needs its record no more: a
    // long-lived coordinator would only collect them. Read back from its row if ever needed.
    if (actions.some((action) => isSettling(action) && action.agent_id === agent.id)) this.d.records.forget(agent.id);
    this.d.wake();
  }

  /** Agent events need the settings, not the whole working set. */
  private settingsOnly(): SchedulerState {
    const { settings } = this.d.config.current();
    return {
      now_ms: this.d.store.core.clock().getTime(), paused: this.d.paused(), max_agents: settings.coordinator.max_agents,
      heartbeat_timeout_s: heartbeatTimeoutSeconds(settings), default_max_retries: settings.agent.max_retries,
      auto_triage: settings.coordinator.auto_triage, ready: [], working: [],
    };
  }
}
