import { errorText } from '../../shared/errors';
import type { JsonValue } from '../../shared/task';
import { recordOperation } from '../provenance/operations-log';
import { getTask } from '../store/task-reads';
import { insertAt } from '../surgery/insert';
import { rescueTask } from '../surgery/rescue';
import { directionName, resetGraph } from '../surgery/reset';
import type { Handlers, OpContext } from './context';

type SurgeryOps = 'task:insert' | 'task:rescue' | 'task:reset';

/** Upstream's audit line in its operations log; one that cannot be written is said, and changes nothing else. */
function audit(ctx: OpContext, op: string, fields: { taskId?: string; actor?: string; detail: Record<string, JsonValue> }): void {
  try {
    recordOperation(ctx.paths.dir, op, fields, ctx.store.core.clock());
  } catch (error) {
    ctx.warn?.(`could not add to log/operations.jsonl: ${errorText(error)}`);
  }
}

export const surgeryHandlers: Handlers<SurgeryOps> = {
  'task:insert': (input, { store, actor }) => {
    const id = store.core.write((rev) => insertAt(store.core, input, actor, rev));
    return getTask(store.core, id);
  },
  'task:rescue': (input, ctx) => {
    const { store, actor } = ctx;
    const { id, targetDone } = store.core.write((rev) => rescueTask(store.core, input, actor, rev));
    if (targetDone) {
      ctx.warn?.(`[rescue] warning: target '${input.target}' is already Done. Proceeding — new task will route successors around it.`);
    }
    const title = input.title ?? `Rescue: ${input.target}`;
    audit(ctx, 'rescue', { taskId: id, actor, detail: { target: input.target, from_eval: input.fromEval ?? null, title } });
    return getTask(store.core, id);
  },
  'task:reset': (input, ctx) => {
    const seeds = [input.seed, ...(input.seeds ?? [])];
    const report = resetGraph(
      ctx.store.core,
      {
        seeds,
        direction: input.direction,
        alsoStripMeta: input.alsoStripMeta === true,
        dryRun: input.dryRun === true,
        yes: input.yes === true,
      },
      ctx.actor,
    );
    if (!report.was_dry_run) {
      audit(ctx, 'reset', {
        actor: 'reset',
        detail: {
          seeds,
          direction: directionName(input.direction),
          closure: report.closure,
          meta_stripped: report.meta_to_strip,
          reset_count: report.reset_count,
          stripped_count: report.stripped_count,
        },
      });
    }
    return report;
  },
};
