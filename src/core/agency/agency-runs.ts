import { gateCheck, type GateCheck } from '../store/agency/gate-entry';
import { errorText, conflict } from '../../shared/errors';
import { claimRefusal } from '../store/claim-rules';
import { findTaskRow } from '../store/task-reads';
import type { Config } from '../config/config-view';
import { profileFor } from '../deciding/executor-choice';
import { Assigning } from './assignment/assigner-runs';
import { Evaluating } from './evaluation/evaluator-runs';
import type { AgencyRunOptions } from './one-shot-run';
import { SystemTasks } from './system-tasks';
import { inFlight } from '../store/in-flight';
import { assignmentCandidates } from './agency-views';

/**
 * The agency's part in the coordinator: a ready task without an identity is held back while the
 * assigner picks one, agents' "done" goes through the evaluation gate, and each pending-eval task
 * gets an evaluator run. Both kinds of run are internal runs (no agent slot).
 */
export class AgencyRuns {
  private readonly assigning: Assigning;
  private readonly evaluating: Evaluating;
  private readonly system: SystemTasks;

  constructor(private readonly o: Omit<AgencyRunOptions, 'config'> & { config: () => Config }) {
    this.assigning = new Assigning(o);
    this.evaluating = new Evaluating(o);
    this.system = new SystemTasks({
      store: o.store,
      log: o.log,
      stopping: o.stopping,
      evaluate: (taskId) => this.evaluating.evaluateFor(taskId),
      assign: (taskId) => this.assignForSystemTask(taskId),
    });
  }

  /**
   * Upstream's `.assign-X`: X gets an identity from the assigner (or the fallback rule) whether or not
   * auto_assign is on here, since upstream asked for it; what happened, in a few words.
   */
  private async assignForSystemTask(taskId: string): Promise<string> {
    const row = await findTaskRow(this.o.store.core, taskId);
    if (!row) return `'${taskId}' is not in the graph`;
    if (row.agent !== null) return `'${taskId}' already has agent ${row.agent}`;
    const { settings, profiles } = this.o.config();
    if ((await assignmentCandidates(this.o.store, settings)).length === 0) {
      return `skipped: there are no agents to choose from ('wg agency init' seeds some); '${taskId}' runs without an identity`;
    }
    let type: string;
    try {
      type = profileFor(row, settings, profiles).type;
    } catch (error) {
      return `skipped: ${errorText(error)}`;
    }
    await this.assigning.begin(taskId, type);
    const agent = (await findTaskRow(this.o.store.core, taskId))?.agent ?? null;
    return agent ? `'${taskId}' gets agent ${agent}` : `no agent fitted '${taskId}'; it runs without an identity`;
  }

  /** The gate as configured now, for the transaction that records a run's completion. */
  gate(): GateCheck {
    const { settings, profiles } = this.o.config();
    return gateCheck(settings, profiles);
  }

  /** Whether this ready task must get an identity before it starts (auto-assign on, none given yet, or being assigned now). */
  async needsIdentity(task: { id: string; agent: string | null }, executorType: string): Promise<boolean> {
    return this.assigning.needs(task, executorType);
  }

  /** `needsIdentity` for a turn's ready tasks, what it reads read once. */
  async identityNeeds(): Promise<(task: { id: string; agent: string | null }, executorType: string) => boolean> {
    return this.assigning.needsNow();
  }

  /**
   * Gives the task an identity if it needs one before it starts: the assignment runs (once per task at a
   * time) and wakes the coordinator when made, or falls back. Resolves when the task may start.
   */
  async assign(taskId: string): Promise<void> {
    const row = await findTaskRow(this.o.store.core, taskId);
    // Only a task a (forced, as wg spawn's) claim would take: a spawn its claim refuses is refused unassigned.
    if (!row || (await claimRefusal(this.o.store.core, row, true)) !== null) return Promise.resolve();
    const { settings, profiles } = this.o.config();
    let type: string;
    try {
      type = profileFor(row, settings, profiles).type;
    } catch {
      return Promise.resolve(); // the launch itself reports an executor that does not resolve
    }
    return (await this.assigning.needs(row, type)) ? this.assigning.begin(taskId, type) : Promise.resolve();
  }

  /**
   * `wg evaluate run ID`: the evaluator on the task now, whatever auto_evaluate says, awaited (joining one
   * under way); its score is recorded, and settles a pending evaluation. `dryRun`: only its prompt.
   */
  async evaluateNow(taskId: string, evaluatorModel?: string): Promise<void> {
    const task = await this.o.store.get(taskId);
    if (task.status === 'open' || task.status === 'in-progress')
      throw conflict(`task '${taskId}' is ${task.status}: there is no work to evaluate yet`);
    await this.evaluating.evaluateFor(taskId, evaluatorModel);
  }

  /**
   * What `afterTurn` reads, sent before the first await: at the end of a turn they read what the turn leaves, and travel
   * with its commit instead of taking a round trip of their own before its runs start.
   */
  async readAfterTurn(): Promise<AfterTurnRead> {
    const evaluate = this.o.config().settings.agency.auto_evaluate ? inFlight(this.evaluating.pending()) : null;
    const system = inFlight(this.system.ready());
    return { evaluate: evaluate ? await evaluate : null, system: await system };
  }

  /**
   * After a committed turn: an evaluator for each pending-eval task that has none; upstream's ready system tasks run.
   * `read`: what the turn read for it before it committed (readAfterTurn), else read now.
   */
  async afterTurn(read?: AfterTurnRead): Promise<void> {
    const { evaluate, system } = read ?? (await this.readAfterTurn());
    if (evaluate) await this.evaluating.start(evaluate);
    await this.system.start(system);
  }
}

/** What the agency's look after a turn read: tasks pending evaluation (null: not evaluated here) and ready system tasks. */
export interface AfterTurnRead {
  evaluate: Array<{ id: string }> | null;
  system: Array<{ id: string }>;
}
