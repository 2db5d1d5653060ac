import { AWAITING_EVALUATION } from '../../../shared/task';
import { evaluatorPromptFor } from '../agency-requests';
import { gateSettings } from '../../store/agency/gate-rules';
import { recordEvaluatorTrouble } from './gate-writes';
import { finishDecidedPass, settleEvaluation } from './settle-evaluation';
import { missingDimensions, parseEvaluatorAnswer } from './evaluator-answer';
import { answerText } from '../json-answer';
import { resolveRoleModel } from '../../executors/model-resolution';
import { askOneShot, describeTrouble, noteOnTask, oneShotWaits, type AgencyRunOptions } from '../one-shot-run';
import { errorText } from '../../../shared/errors';
import { InternalClaims } from '../internal-claims';
import { ClaimWaits } from '../../runs/claiming/claim-waits';
import { noteWaiting } from '../../runs/claiming/waiting-note';

/**
 * The evaluation gate's runs: every pending-eval (and upstream's failed-pending-eval) task gets an evaluator run (the evaluator role's
 * model, no tools), whose JSON answer settles it by the gate's rules; an evaluator that gives no
 * usable answer is run once more, then the task fails closed. A task whose evaluator run is still
 * working (one adopted after a restart, say) is left to it; when that run ends unheard, a new one
 * starts: a restart may cost an evaluation, never a silent pass.
 */
export class Evaluating {
  private readonly busy = new Set<string>();
  /** Each evaluation under way (a retried one replaces its first), for those who wait for it (system-tasks.ts). */
  private readonly inflight = new Map<string, Promise<void>>();

  /** Of a team's coordinators, one alone evaluates a task: the claim is held until its result is written. */
  private readonly claims: InternalClaims;

  constructor(private readonly o: AgencyRunOptions) {
    this.claims = new InternalClaims(o.store);
  }

  /** Starts an evaluator for each pending-eval task that has none. Call after a coordinator turn. */
  async poke(): Promise<void> {
    await this.start(await this.pending());
  }

  /** The tasks pending evaluation, in queue order: one statement, sent before the first await (AgencyRuns.readAfterTurn). */
  async pending(): Promise<Array<{ id: string }>> {
    const { core } = this.o.store;
    return core.all(
      core.build
        .selectFrom('tasks')
        .select('id')
        .where('status', 'in', ['pending-eval', 'failed-pending-eval'])
        .orderBy('priority', 'desc')
        .orderBy('seq'),
    );
  }

  /** The task's evaluation waits for what this machine lacks: said in its log once, and held with the coordinator's start holds. */
  private async waitFor(taskId: string, waits: ClaimWaits): Promise<void> {
    await noteWaiting(this.o.store, taskId, waits, 'Evaluation waits');
    this.o.waiting?.(waits, taskId);
  }

  /** Starts an evaluator for each task of `pending` that has none. */
  async start(pending: Array<{ id: string }>): Promise<void> {
    // Claude Code not installed: every evaluation waits (nothing claimed, so no commit wakes a team's coordinators).
    const waits = pending.length > 0 ? oneShotWaits(this.o) : null;
    for (const { id } of pending) {
      if (this.busy.has(id)) continue;
      // A pass decided before a crash is finished, never evaluated again (a second verdict could fail work already merged).
      if ((await this.o.store.worktrees.newestForTask(id))?.decided_pass) void this.finishDecided(id);
      else if (await this.evaluatorWorking(id)) continue;
      else if (waits) await this.waitFor(id, waits);
      else void this.evaluate(id, undefined, true);
    }
  }

  /**
   * Evaluates `taskId` whatever its status (upstream's `.evaluate-X` asks for it), or joins the evaluation
   * under way; resolves when it has ended. A task not pending evaluation gets its score recorded, nothing more.
   * `model`: upstream's `wg evaluate run --evaluator-model M`, over the evaluator route (an evaluation already
   * under way is joined as it is).
   */
  async evaluateFor(taskId: string, model?: string): Promise<void> {
    const running = this.inflight.get(taskId);
    if (running) return running;
    if (this.busy.has(taskId) || (await this.evaluatorWorking(taskId))) return Promise.resolve();
    return this.evaluate(taskId, model);
  }

  private async finishDecided(taskId: string): Promise<void> {
    if (!(await this.claim(taskId))) return;
    this.busy.add(taskId);
    try {
      await finishDecidedPass({ store: this.o.store, paths: this.o.paths }, taskId, gateSettings(this.o.config().settings));
    } catch (error) {
      this.o.log.error(`finishing the evaluation of ${taskId}: ${errorText(error)}`);
    } finally {
      this.busy.delete(taskId);
      await this.release(taskId);
    }
    if (!this.o.stopping?.()) this.o.wake();
  }

  /** Claims the task's evaluation in the store; false when another coordinator (or a run here) has it. */
  private async claim(taskId: string): Promise<boolean> {
    try {
      return await this.claims.take(taskId, 'evaluate');
    } catch (error) {
      this.o.log.error(`claiming the evaluation of ${taskId}: ${errorText(error)}`);
      return false;
    }
  }

  private async release(taskId: string): Promise<void> {
    try {
      await this.claims.release(taskId, 'evaluate');
    } catch (error) {
      this.o.log.error(`releasing the evaluation of ${taskId}: ${errorText(error)}`);
    }
  }

  get evaluating(): ReadonlySet<string> {
    return this.busy;
  }

  private async evaluatorWorking(taskId: string): Promise<boolean> {
    return (await this.o.store.agents.forTask(taskId)).some((a) => a.state === 'working' && a.purpose === 'evaluate');
  }

  private evaluate(taskId: string, model?: string, onlyPending = false): Promise<void> {
    const run = this.evaluateOnce(taskId, model, onlyPending);
    this.inflight.set(taskId, run);
    void run.finally(() => {
      if (this.inflight.get(taskId) === run) this.inflight.delete(taskId);
    });
    return run;
  }

  private async evaluateOnce(taskId: string, asked?: string, onlyPending = false): Promise<void> {
    if (!(await this.claim(taskId))) return;
    // Another coordinator settled it between the look and the claim: nothing left to evaluate.
    if (onlyPending && !AWAITING_EVALUATION.includes((await this.o.store.get(taskId)).status)) {
      await this.release(taskId);
      return;
    }
    this.busy.add(taskId);
    // Only a pending evaluation is settled by the score; one asked for a finished task (upstream's .evaluate-X) is recorded.
    const wasPending = AWAITING_EVALUATION.includes((await this.o.store.get(taskId)).status);
    const { settings, registry } = this.o.config();
    const timeout = settings.agency.eval_timeout;
    const model = resolveRoleModel('evaluator', settings, registry, asked);
    let again = false;
    let waiting = false;
    try {
      const prompt = await evaluatorPromptFor(this.o.store, this.o.paths.root, taskId, settings);
      const result = await askOneShot(this.o, { purpose: 'evaluate', taskId, prompt, model, timeoutS: timeout });
      const answer =
        result.code === 0 ? parseEvaluatorAnswer(answerText(result.events)) : { ok: false as const, why: describeTrouble(result, timeout) };
      if (this.o.stopping?.()) return;
      if (wasPending && !AWAITING_EVALUATION.includes((await this.o.store.get(taskId)).status)) {
        // A person scored or settled it meanwhile: theirs stands.
        await noteOnTask(
          this.o.store,
          taskId,
          `The evaluator's ${answer.ok ? `score ${answer.score}` : 'run'} came after the task was settled; not applied`,
        );
      } else if (answer.ok) {
        const missing = missingDimensions(answer.dimensions);
        if (missing.length > 0) await noteOnTask(this.o.store, taskId, `The evaluator left out ${missing.join(', ')}`);
        // A pass merges the work of the task's worktree first (settle-evaluation.ts).
        await settleEvaluation(
          { store: this.o.store, paths: this.o.paths },
          taskId,
          {
            score: answer.score,
            dimensions: answer.dimensions,
            notes: answer.notes || null,
            evaluator: `claude:${model.name ?? 'default'}`,
            source: 'llm',
          },
          'evaluator',
          gateSettings(this.o.config().settings),
        );
      } else {
        again = await recordEvaluatorTrouble(this.o.store, taskId, answer.why, 'coordinator');
        if (!wasPending) await noteOnTask(this.o.store, taskId, `The evaluator gave no score: ${answer.why}`);
      }
    } catch (error) {
      if (error instanceof ClaimWaits && wasPending) {
        // What this machine lacks for every run alike (Claude Code not installed) fails no work: it waits in pending-eval,
        // as a task waits for its own agent's CLI: the coordinator's start holds look for it every few seconds and wake
        // the coordinator once it is found, whose turn evaluates it. No wake now: it would only find it missing again.
        waiting = true;
        await this.waitFor(taskId, error);
      } else {
        const why = errorText(error);
        this.o.log.error(`evaluating ${taskId}: ${why}`);
        if (!this.o.stopping?.()) again = await recordEvaluatorTrouble(this.o.store, taskId, why, 'coordinator');
      }
    } finally {
      this.busy.delete(taskId);
      await this.release(taskId);
    }
    if (this.o.stopping?.() || waiting) return;
    if (again) void this.evaluate(taskId, undefined, true);
    this.o.wake();
  }
}
