import type { Task } from '../../../shared/task';
import { assignerRequestFor } from '../agency-requests';
import { assignmentCandidates, defaultAgentId } from '../agency-views';
import { parseAssignerAnswer } from './assigner-answer';
import { assignIdentity, type Assignment } from './assign-task';
import { chooseFallback } from './fallback';
import { answerText } from '../json-answer';
import { resolveRoleModel } from '../../executors/model-resolution';
import { askOneShot, describeTrouble, type AgencyRunOptions } from '../one-shot-run';
import { errorText } from '../../../shared/errors';
import { InternalClaims } from '../internal-claims';

/** Executor types whose agents read a prompt, and so can be given an identity. */
const PROMPTED = new Set(['claude', 'codex', 'cli', 'http', 'external', 'remote']);

/**
 * Auto-assignment: a ready task without an identity gets one before it is spawned. One lightweight
 * question to the assigner role's model (an internal run: Claude Code in print mode, no tools, a
 * JSON answer) within `[agency] assign_timeout`; if it fails, times out or names no offered agent,
 * the fallback rule picks (best-scoring fitting agent, else the default agent). Either way the task
 * log gets seed 004's "Lightweight assignment: …" line and the task may start.
 */
export class Assigning {
  /** Tasks being assigned now (not to be launched until they have their identity), each with its assignment's end. */
  private readonly busy = new Map<string, Promise<void>>();
  /** Of a team's coordinators, one alone assigns a task: claimed in the store until the identity is written. */
  private readonly claims: InternalClaims;

  constructor(private readonly o: AgencyRunOptions) {
    this.claims = new InternalClaims(o.store);
  }

  /** Whether this ready task must be given an identity before it starts. */
  async needs(task: Pick<Task, 'id' | 'agent'>, executorType: string): Promise<boolean> {
    return (await this.needsNow())(task, executorType);
  }

  /** `needs` for every task of a turn, the candidates read once (not a read a ready task). */
  async needsNow(): Promise<(task: Pick<Task, 'id' | 'agent'>, executorType: string) => boolean> {
    const { settings } = this.o.config();
    if (!settings.agency.auto_assign) return () => false;
    const anyCandidate = (await assignmentCandidates(this.o.store, settings)).length > 0;
    return (task, executorType) => task.agent === null && PROMPTED.has(executorType) && (this.busy.has(task.id) || anyCandidate);
  }

  /**
   * Starts assigning (once per task at a time), after the caller's transaction: the assigner's run is
   * recorded in a commit of its own before it starts, like any run. Resolves once the task has its
   * identity (or the assignment gave up); never rejects.
   */
  begin(taskId: string, executorType: string): Promise<void> {
    const running = this.busy.get(taskId);
    if (running) return running;
    const assignment = Promise.resolve()
      .then(() => this.assign(taskId, executorType))
      .finally(() => {
        this.busy.delete(taskId);
        this.o.wake();
      });
    this.busy.set(taskId, assignment);
    return assignment;
  }

  private async assign(taskId: string, executorType: string): Promise<void> {
    let claimed = false;
    try {
      claimed = await this.claims.take(taskId, 'assign');
      // Another coordinator assigns it, or has given it its identity already.
      if (!claimed || (await this.o.store.get(taskId)).agent !== null) return;
      await this.assignClaimed(taskId, executorType);
    } catch (error) {
      this.o.log.error(`assigning ${taskId}: ${errorText(error)}`);
    } finally {
      if (claimed) {
        try {
          await this.claims.release(taskId, 'assign');
        } catch (error) {
          this.o.log.error(`releasing the assignment of ${taskId}: ${errorText(error)}`);
        }
      }
    }
  }

  private async assignClaimed(taskId: string, executorType: string): Promise<void> {
    const { settings, registry } = this.o.config();
    const timeout = settings.agency.assign_timeout;
    const model = resolveRoleModel('assigner', settings, registry);
    let assignment: Assignment | null = null;
    let trouble: string;
    try {
      const { prompt, offered } = await assignerRequestFor(this.o.store, taskId, settings, executorType);
      const result = await askOneShot(this.o, { purpose: 'assign', taskId, prompt, model, timeoutS: timeout });
      const answer =
        result.code === 0
          ? parseAssignerAnswer(answerText(result.events), offered)
          : { ok: false as const, why: `the assigner gave no answer: ${describeTrouble(result, timeout)}` };
      if (answer.ok) {
        assignment = {
          identity: answer.identity,
          exec_mode: answer.exec_mode,
          context_scope: answer.context_scope,
          reason: answer.reason,
          source: 'model',
        };
      }
      trouble = answer.ok ? '' : answer.why;
    } catch (error) {
      trouble = errorText(error);
    }
    if (this.o.stopping?.()) return;
    try {
      // Given one by hand meanwhile: that one stands.
      if ((await this.o.store.get(taskId)).agent !== null) return;
      assignment ??= await this.fallback(taskId, trouble);
      if (assignment) await assignIdentity(this.o.store, taskId, assignment, 'coordinator');
    } catch (error) {
      this.o.log.error(`assigning ${taskId}: ${errorText(error)}`);
    }
  }

  private async fallback(taskId: string, trouble: string): Promise<Assignment | null> {
    const { settings } = this.o.config();
    const task = await this.o.store.get(taskId);
    const choice = chooseFallback(task, await assignmentCandidates(this.o.store, settings), await defaultAgentId(this.o.store, settings));
    if (!choice) return null;
    return {
      identity: choice.identity,
      exec_mode: 'full',
      context_scope: 'task',
      reason: `${trouble}; chose ${choice.why}`,
      source: 'fallback',
    };
  }
}
