import { errorText } from '../../shared/errors';
import type { AgencyRuns } from '../agency/agency-runs';
import type { Action } from '../deciding/scheduler-types';
import type { EngineLog } from '../engine-log';
import type { ProjectPaths } from '../project';
import { runPid } from '../run-folder/run-handle';
import type { AgentJudge } from '../runs/judging/agent-judge';
import type { LocalRuns } from '../runs/local-runs';
import { logSettled, recordPids, type SettleRead, settle } from '../runs/settling/settle';
import { isDamageError } from '../store/db-file';
import { WriteEndedError, type WriteOptions } from '../store/sql-connection';
import type { Store } from '../store/store';
import type { TasksRead } from '../store/task-reads';
import type { Launches } from './launches';
import type { TurnTransactions } from './turn-transaction';

export interface TurnActionParts {
  store: Store;
  paths: ProjectPaths;
  log: EngineLog;
  transactions: TurnTransactions;
  launches: Launches;
  runs: LocalRuns;
  judge: AgentJudge;
  agency: AgencyRuns;
  stopping: () => boolean;
}

/** What the scheduler decided, performed: claims, kills, adoptions, triage and settles, in one transaction. */
export class TurnActions {
  constructor(private readonly o: TurnActionParts) {}

  /**
   * Runs `work` as one transaction (or inside the current one) and starts what it claimed once
   * committed. Returns whether it committed.
   */
  async transact(work: () => Promise<unknown>, options: WriteOptions = {}): Promise<boolean> {
    const claimed = await this.o.transactions.run(work, options);
    if (claimed === null) return false;
    // Stopped meanwhile (by a listener of this very commit): the claims stay as a crash between commit and start
    // leaves them, for the stop's kill or the next coordinator's reconcile.
    if (!this.o.stopping()) for (const c of claimed) void this.o.launches.start(c);
    return true;
  }

  /**
   * `read`: what the turn read of the run these actions settle (SettleRead), when it may stand in for a read; `known`: the
   * tasks to claim as the turn read them whole, when nothing was written since (TickState.whole).
   */
  async performAll(actions: Action[], read?: SettleRead, known: TasksRead | null = null): Promise<void> {
    if (actions.length === 0) return;
    await this.transact(async () => {
      for (let at = 0; at < actions.length; ) {
        // Launches side by side are claimed together (their tasks read in one go), in their order.
        const launches: string[] = [];
        for (let next = actions[at]; next?.type === 'launch'; next = actions[++at]) launches.push(next.task_id);
        if (launches.length > 0) {
          await this.launchAll(launches, known);
          continue;
        }
        const action = actions[at++] as Action;
        try {
          await this.perform(action, read);
        } catch (error) {
          if (isDamageError(error) || error instanceof WriteEndedError) throw error;
          this.o.log.error(`${action.type} failed: ${errorText(error)}`);
        }
      }
    });
  }

  /** Claims ready tasks in the turn under way; their runs start once it commits. */
  async launchAll(taskIds: readonly string[], known: TasksRead | null = null): Promise<void> {
    // Claims start only once their transaction commits (performAll always makes one).
    const claimedNow = this.o.transactions.now()?.claimed;
    if (!claimedNow) throw new Error('a launch outside a coordinator turn');
    claimedNow.push(...(await this.o.launches.claimReady(taskIds, known)));
  }

  private async perform(action: Action, read?: SettleRead): Promise<void> {
    switch (action.type) {
      case 'launch':
        await this.launchAll([action.task_id]);
        return;
      case 'assign':
        // Auto-assign: the task starts on a later turn, once it has its identity (the assignment wakes the coordinator).
        // Outside the turn's transaction: the assignment goes on after the turn commits, and writes on its own.
        void this.o.store.core.detached(() => this.o.agency.assign(action.task_id));
        return;
      case 'kill':
        await this.o.runs.kill(action.agent_id);
        return;
      case 'adopt':
        await this.adopt(action.agent_id);
        return;
      case 'triage':
        await this.o.judge.triage(action.agent_id, action.reason);
        return;
      case 'extend':
        await this.o.store.agents.heartbeat(action.agent_id);
        return;
      default:
        // A run that simply succeeded is in its task's log; the daemon's log keeps what needs a look.
        if (!(await settle(this.o.store, action, this.o.agency.gate(), read))) return;
        if (action.type !== 'complete') this.o.transactions.onCommit(() => logSettled(this.o.log, action));
        // A run that ended may leave work to keep (recover/) and a worktree to remove: swept once the turn commits.
        this.o.transactions.askSweep();
    }
  }

  private async adopt(agentId: string): Promise<void> {
    const agent = await this.o.store.agents.find(agentId);
    if (!(await this.o.runs.adopt(agentId)) || !agent || agent.pid !== null) return;
    // A crash between the start and the store learning the pid: the run folder has it.
    const pid = runPid(this.o.paths, agent);
    if (pid !== null) await this.o.transactions.quietly(() => recordPids(this.o.store, [[agentId, pid]]));
  }
}
