import { sql } from 'kysely';
import { AWAITING_EVALUATION, coordinatorSystemTask } from '../../shared/task';
import type { Store } from '../store/store';
import { findTaskRow } from '../store/task-reads';
import { appendLog, transition } from '../store/task-writes';
import { COORDINATOR } from '../runs/settling/settle';
import { errorText } from '../../shared/errors';
import { InternalClaims } from './internal-claims';

/*
 * Upstream's system tasks, run by this app: upstream's coordinator makes `.assign-X` before
 * X, `.flip-X` and `.evaluate-X` after it (its `scaffold_full_pipeline`), and an imported graph brings them here.
 * Nothing may wait on them for ever, so each, once ready, is done by this app's own part for it:
 * `.evaluate-X` by the evaluator (its score recorded on X, a pending evaluation settled by the gate's
 * rules), `.assign-X` by the assigner, and `.flip-X` completed with a line saying why it was skipped:
 * FLIP (upstream's `wg evaluate run X --flip`, two model calls that infer the task's prompt from its
 * output and compare) is not built here, and `.evaluate-X` runs without it.
 */

/** The system tasks this app runs itself; `.verify-X` starts as an agent task (runsAsAgentTask); this app's `.merge-X` waits for a person. */
export function runsHere(id: string): boolean {
  return coordinatorSystemTask(id) !== null;
}

export const FLIP_SKIPPED =
  "Skipped: FLIP (upstream's intent-fidelity probe, wg evaluate run --flip) is not built in this app; the evaluation runs without a FLIP score";

export interface SystemTaskParts {
  store: Store;
  /** Runs (or joins) this app's evaluator on X; resolves when that run has ended. */
  evaluate(taskId: string): Promise<void>;
  /** Gives X an identity with this app's assigner; resolves to what happened, in a few words. */
  assign(taskId: string): Promise<string>;
  log: { error(message: string): void };
  stopping?: () => boolean;
}

/** A system task not done by anyone yet: what is run, and what its run's end completes. */
const toDo = (row: { status: string } | undefined): boolean => row !== undefined && (row.status === 'open' || row.status === 'incomplete');

export class SystemTasks {
  private readonly busy = new Set<string>();
  private readonly claims: InternalClaims;

  constructor(private readonly o: SystemTaskParts) {
    this.claims = new InternalClaims(o.store);
  }

  /** The ready system tasks, in one statement sent before the first await (a turn's last read: AgencyRuns.readAfterTurn). */
  async ready(): Promise<Array<{ id: string }>> {
    const core = this.o.store.core;
    // System ids are a key range: a few rows, not every ready task.
    return core.all(
      sql<{
        id: string;
      }>`SELECT id FROM tasks WHERE id >= '.' AND id < '/' AND ${core.fn.notByIndex(core.ready.readyAt(core.nowIso()))} ORDER BY seq`,
    );
  }

  /** Starts each ready system task (`ready`) this app runs and is not running yet. */
  async start(ready: Array<{ id: string }>): Promise<void> {
    for (const { id } of ready) {
      const task = coordinatorSystemTask(id);
      if (!task || this.busy.has(id)) continue;
      // Claimed in the store: of a team's coordinators, one alone runs it.
      if (!(await this.claims.take(id, 'system'))) continue;
      // The ready list was read with an earlier commit: a run that ended since (this coordinator's or another's) may have
      // done it and let go of its claim. Run again, `.evaluate-X` would evaluate X a second time.
      if (!(await this.stillToDo(id))) {
        await this.releaseClaim(id);
        continue;
      }
      this.busy.add(id);
      void this.run(id, task.kind, task.target).finally(async () => {
        this.busy.delete(id);
        await this.releaseClaim(id);
      });
    }
  }

  private async run(id: string, kind: 'evaluate' | 'assign' | 'flip', target: string): Promise<void> {
    try {
      const line = await this.perform(kind, target);
      if (line !== null && !this.o.stopping?.()) await this.complete(id, line);
    } catch (error) {
      this.o.log.error(`running ${id}: ${errorText(error)}`);
    }
  }

  /** The system task is still there to be done, as `complete` will find it (read after its claim). */
  private async stillToDo(id: string): Promise<boolean> {
    return toDo(await findTaskRow(this.o.store.core, id));
  }

  private async releaseClaim(id: string): Promise<void> {
    try {
      await this.claims.release(id, 'system');
    } catch (error) {
      this.o.log.error(`releasing ${id}: ${errorText(error)}`);
    }
  }

  /** What to say on the system task when it is done, or null when it is not done yet (tried again next turn). */
  private async perform(kind: 'evaluate' | 'assign' | 'flip', target: string): Promise<string | null> {
    if (kind === 'flip') return FLIP_SKIPPED;
    if (!(await findTaskRow(this.o.store.core, target))) return `Skipped: '${target}' is not in the graph`;
    if (kind === 'assign') return `Assignment here: ${await this.o.assign(target)}`;
    const before = (await this.o.store.get(target)).evaluation?.timestamp ?? null;
    await this.o.evaluate(target);
    const after = await this.o.store.get(target);
    // Its evaluator asked again (it gave no usable answer once): the task stays pending and this waits for that run.
    if (AWAITING_EVALUATION.includes(after.status)) return null;
    const evaluation = after.evaluation;
    return evaluation && evaluation.timestamp !== before
      ? `Evaluated here: score ${evaluation.score} recorded on '${target}'`
      : `Evaluated here: no score for '${target}' (its log says why); '${target}' is ${after.status}`;
  }

  /** Done, with the line, if nothing else took the task meanwhile. */
  private async complete(id: string, line: string): Promise<void> {
    const core = this.o.store.core;
    await core.write(async (rev) => {
      const row = await findTaskRow(core, id);
      if (!row || !toDo(row)) return;
      await appendLog(core, id, COORDINATOR, line);
      await transition(core, row, { status: 'done', completed_at: core.nowIso(), failure_reason: null }, rev);
    });
  }
}
