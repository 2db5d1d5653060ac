import { errorText, invalid } from '../../shared/errors';
import { parseRecoverFilters } from '../../shared/recover';
import type { JsonValue } from '../../shared/task';
import { readToml, section } from '../config/toml-file';
import { recordOperation } from '../provenance/operations-log';
import { getTask } from '../store/task-reads';
import { insertAt } from '../surgery/insert';
import { rescueTask } from '../surgery/rescue';
import { recoverGraph } from '../surgery/recover';
import { directionName, resetGraph } from '../surgery/reset';
import type { Handlers, OpContext } from './context';

/** Upstream's `[replay] keep_done_threshold` of config.toml (default 0.9): done tasks scoring this are kept. */
function keepDoneSetting(configPath: string): number {
  const value = section(readToml(configPath), 'replay').keep_done_threshold;
  return typeof value === 'number' && Number.isFinite(value) ? value : 0.9;
}

type SurgeryOps = 'task:insert' | 'task:rescue' | 'task:reset' | 'task:recover' | 'task:replay';

/** Upstream's audit line in its operations log; one that cannot be written is said, and changes nothing else. */
function audit(ctx: OpContext, op: string, fields: { taskId?: string; actor?: string; detail: Record<string, JsonValue> }): void {
  try {
    recordOperation(ctx.paths.dir, op, fields, ctx.store.core.clock());
  } catch (error) {
    ctx.warn?.(`could not add to log/operations.jsonl: ${errorText(error)}`);
  }
}

export const surgeryHandlers: Handlers<SurgeryOps> = {
  'task:insert': async (input, { store, actor }) => {
    const id = await store.core.write((rev) => insertAt(store.core, input, actor, rev));
    return getTask(store.core, id);
  },
  'task:rescue': async (input, ctx) => {
    const { store, actor } = ctx;
    const { id, targetDone } = await store.core.write((rev) => rescueTask(store.core, input, actor, rev));
    if (targetDone) {
      ctx.warn?.(`[rescue] warning: target '${input.target}' is already Done. Proceeding — new task will route successors around it.`);
    }
    const title = input.title ?? `Rescue: ${input.target}`;
    audit(ctx, 'rescue', { taskId: id, actor, detail: { target: input.target, from_eval: input.fromEval ?? null, title } });
    return getTask(store.core, id);
  },
  'task:reset': async (input, ctx) => {
    const seeds = [input.seed, ...(input.seeds ?? [])];
    const report = await resetGraph(
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
  'task:recover': async (input, ctx) => {
    const filters = parseRecoverFilters(input.filter ?? []);
    // The schema refused a clause that is not one; this keeps the types honest.
    if (typeof filters === 'string') throw invalid(filters);
    const report = await recoverGraph(
      ctx.store.core,
      {
        filters,
        yes: input.yes === true,
        setModel: input.setModel ?? null,
        keepAgency: input.keepAgency === true,
        maxAttempts: input.maxAttempts,
        reason: input.reason ?? null,
      },
      ctx.actor,
    );
    if (report.applied) {
      audit(ctx, 'recover', {
        actor: ctx.actor,
        detail: {
          retried: report.user_retries.map((e) => e.id),
          abandoned: report.agency_abandons.map((e) => e.id),
          skipped: report.skipped.map((e) => e.id),
          set_model: input.setModel ?? null,
          reason: input.reason ?? null,
        },
      });
    }
    return report;
  },
  'task:replay': async (input, ctx) => {
    const { replayGraph } = await import('../history/replay');
    const report = await replayGraph(
      ctx.store,
      ctx.paths,
      {
        model: input.model ?? null,
        failedOnly: input.failedOnly === true,
        belowScore: input.belowScore ?? null,
        tasks: input.tasks ?? [],
        keepDone: input.keepDone ?? keepDoneSetting(ctx.paths.config),
        planOnly: input.planOnly === true,
        subgraph: input.subgraph ?? null,
      },
      { actor: ctx.actor, keepDoneGiven: input.keepDone !== undefined },
    );
    if (report.run_id && !report.plan_only) {
      audit(ctx, 'replay', {
        detail: {
          run_id: report.run_id,
          model: input.model ?? null,
          reset_count: report.reset_tasks.length,
          reset_tasks: report.reset_tasks,
        },
      });
    }
    return report;
  },
};
